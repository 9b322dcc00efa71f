import { describe, expect, it } from 'vitest';
import { runCanary } from './canary';
import { testKaizen } from '../../testing/kaizen-fixtures';

const MIN = 60_000;

describe('the canary', () => {
  it.each([
    {
      name: 'stalls far apart open one ticket each, each resolved automatically',
      every: 30 * MIN,
      stallFor: 20_000,
      tickets: 4,
      reopened: 0,
    },
    {
      name: 'stalls inside the reopen window reopen one ticket instead',
      every: 5 * MIN,
      stallFor: 20_000,
      tickets: 1,
      reopened: 28,
    },
    {
      name: 'stalls shorter than the rule open nothing',
      every: 30 * MIN,
      stallFor: 1500,
      tickets: 0,
      reopened: 0,
    },
  ])('$name', ({ every, stallFor, tickets, reopened }) => {
    // 150 minutes: stalls start at every multiple of `every` after the start, before the end.
    const k = testKaizen({ visibilityOf: () => 'public' });
    const report = runCanary(k, k.clock.set, {
      tenantId: 'demo',
      durationMs: 150 * MIN,
      stallEveryMs: every,
      stallForMs: stallFor,
    });
    expect(report.ticketIds).toHaveLength(tickets);
    expect(report.reopened).toBe(reopened);
    expect(report.unresolved).toBe(0);
    const critical = report.mttr.severities.find((s) => s.severity === 'critical')!;
    expect(critical.auto.count).toBe(tickets);
    if (tickets > 0 && reopened === 0) {
      // Opened 2 s into the stall (within one evaluation), resolved at the first frame after it.
      expect(critical.all.meanSeconds!).toBeGreaterThanOrEqual((stallFor - 2250) / 1000);
      expect(critical.all.meanSeconds!).toBeLessThanOrEqual((stallFor - 2000 + 250) / 1000);
    }
  });

  it('follows a schedule of its own and reports every evaluation', () => {
    const k = testKaizen({ visibilityOf: () => 'public' });
    const evaluations: number[] = [];
    const report = runCanary(k, k.clock.set, {
      tenantId: 'demo',
      durationMs: 60 * MIN,
      // One stall from the start to the 40th minute.
      stalledAt: (sinceStartMs) => sinceStartMs < 40 * MIN,
      onEvaluate: (atMs) => evaluations.push(atMs),
    });
    expect(report.ticketIds).toHaveLength(1);
    expect(report.unresolved).toBe(0);
    const ticket = k.store.get(report.ticketIds[0]!)!;
    // No frame from the start: stalled 2 s later; frames again at 40 min, resolved at the next
    // evaluation.
    expect(ticket.openedAtMs - k.clock.now() + 60 * MIN).toBe(2000);
    expect(ticket.resolvedAtMs! - ticket.openedAtMs).toBeGreaterThanOrEqual(40 * MIN - 2000);
    expect(ticket.resolvedAtMs! - ticket.openedAtMs).toBeLessThanOrEqual(40 * MIN - 2000 + 250);
    expect(evaluations).toHaveLength((60 * MIN) / 250 + 1);
    expect(evaluations.at(-1)).toBe(k.clock.now());
  });

  it('needs a schedule', () => {
    const k = testKaizen();
    expect(() => runCanary(k, k.clock.set, { tenantId: 'demo', durationMs: MIN })).toThrow(
      'needs stallEveryMs and stallForMs, or stalledAt',
    );
  });
});
