import { describe, expect, it } from 'vitest';
import { logEntry } from '../logging/log-line';
import { createTenantLogRing } from './log-ring';

describe('the per-tenant log ring', () => {
  it("keeps each tenant's lines apart, bounded, and says when a window was cut", () => {
    const ring = createTenantLogRing({ linesPerTenant: 3, secrets: () => ['hunter2-secret'] });
    for (let i = 0; i < 5; i += 1) {
      ring.record(logEntry(`[stream] a: line ${i}`, { tenant: 'a' }, 1000 + i));
    }
    ring.record(logEntry('[stream] b: the password is hunter2-secret', { tenant: 'b' }, 1002));
    ring.record(logEntry('[server] no tenant', undefined, 1002));

    const a = ring.read('a', 1000, 2000);
    expect(a.entries.map((e) => e.line)).toEqual([
      '[stream] a: line 2',
      '[stream] a: line 3',
      '[stream] a: line 4',
    ]);
    expect(a.partial).toBe(true);
    expect(ring.read('a', 1003, 2000)).toMatchObject({ partial: false });
    expect(ring.read('b', 0, 2000).entries.map((e) => [e.line, e.subsystem])).toEqual([
      ['[stream] b: the password is [redacted]', 'stream'],
    ]);
    expect(ring.read('nobody', 0, 2000)).toEqual({ entries: [], partial: false });
  });
});
