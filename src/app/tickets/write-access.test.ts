import { describe, expect, it } from 'vitest';
import type { SessionInfo } from '../../core/api/session';
import { ticketWriteAccess } from './write-access';

const session = (over: Partial<SessionInfo>): SessionInfo => ({
  token: null,
  read: ['demo'],
  write: [],
  admin: false,
  ...over,
});

describe('ticketWriteAccess', () => {
  it('allows a token that may write the tenant', () => {
    const s = session({
      token: { id: 't1', name: 'bo', role: 'operator' },
      write: ['demo'],
    });
    expect(ticketWriteAccess(s, 'demo')).toEqual({ allowed: true });
  });

  it('asks an anonymous caller to sign in, naming the tenant', () => {
    const access = ticketWriteAccess(session({}), 'demo');
    expect(access).toMatchObject({ allowed: false, testReason: 'anonymous', pending: false });
    if (!access.allowed) expect(access.reason).toContain('“demo”');
  });

  it('tells a viewer that changing needs the operator role', () => {
    const s = session({ token: { id: 't2', name: 'partner', role: 'viewer' }, read: ['demo'] });
    const access = ticketWriteAccess(s, 'demo');
    expect(access).toMatchObject({ allowed: false, testReason: 'viewer' });
    if (!access.allowed) expect(access.reason).toContain('“partner” is a viewer');
  });

  it('tells an operator without the grant which tenant it lacks', () => {
    const s = session({
      token: { id: 't3', name: 'bo', role: 'operator' },
      write: ['small'],
    });
    const access = ticketWriteAccess(s, 'demo');
    expect(access).toMatchObject({ allowed: false, testReason: 'not-granted' });
    if (!access.allowed) expect(access.reason).toContain('does not grant tenant “demo”');
  });

  it('waits while the session loads, and leaves the server to judge when it cannot be read', () => {
    expect(ticketWriteAccess(undefined, 'demo')).toMatchObject({
      allowed: false,
      pending: true,
    });
    expect(ticketWriteAccess(null, 'demo')).toEqual({ allowed: true });
  });
});
