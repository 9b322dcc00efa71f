import { describe, expect, it } from 'vitest';
import type { SessionInfo } from '../../core/api/session';
import { rcaWriteRefusal } from './rca-queries';

const session = (over: Partial<SessionInfo>): SessionInfo => ({
  token: null,
  read: ['demo'],
  write: [],
  admin: false,
  ...over,
});

describe('rcaWriteRefusal', () => {
  it('says why the RCA controls are off, from the session, or nothing when they are on', () => {
    expect(rcaWriteRefusal(undefined, 'demo')).toBe('Checking what your token may do…');
    expect(rcaWriteRefusal(session({}), 'demo')).toBe(
      'Read only: sign in with an operator token that grants tenant “demo” to edit or review this RCA.',
    );
    const vic = { id: 'tok_0123456789abcdef', name: 'vic', role: 'viewer' } as const;
    expect(rcaWriteRefusal(session({ token: vic }), 'demo')).toBe(
      'Read only: token “vic” is a viewer; editing and reviewing RCAs needs an operator.',
    );
    const ana = { id: 'tok_0123456789abcdef', name: 'ana', role: 'operator' } as const;
    expect(rcaWriteRefusal(session({ token: ana, write: ['small'] }), 'demo')).toBe(
      'Read only: token “ana” does not grant tenant “demo”.',
    );
    expect(rcaWriteRefusal(session({ token: ana, write: ['demo'] }), 'demo')).toBeNull();
  });
});
