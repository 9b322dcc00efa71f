// One suite, two backends: the outbox and observer mode behave the same in the data directory's
// SQLite and in a PostgreSQL cluster the test starts itself; and several instances on one state
// (gateways of a cluster) share one queue: what one holds another releases, what one enqueues
// another's worker sends to a real HTTP receiver, and two senders never claim one row.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { stateBackends, type StateFixture } from '../../testing/state-backends';
import { SLACK_OK, startReceiver } from '../../testing/webhook-receiver';
import { NotifyError, NotifyQueueFullError } from './outbox';
import type { NotifyState } from './state';
import { createDeliveryWorker } from './worker';
import { ObserverError } from './observer';

const T = 1_000_000;
const LEASE = 10_000;

for (const harness of stateBackends()) {
  if (harness.missing)
    console.warn(`[state] skipping the ${harness.backend} suite: ${harness.missing}`);

  describe.skipIf(harness.missing !== null)(`notify state on ${harness.backend}`, () => {
    let fixture: StateFixture;
    let state: NotifyState;

    beforeAll(() => harness.start());
    afterAll(() => harness.stop());
    beforeEach(async () => {
      fixture = await harness.fixture();
      state = await fixture.notify();
    });
    afterEach(() => fixture.close());

    it('enqueues a dedup_key once per channel; the first body wins', async () => {
      const { outbox } = state;
      const first = await outbox.enqueue({ channel: 'slack', dedupKey: 'd1', body: { n: 1 } }, T);
      const again = await outbox.enqueue({ channel: 'slack', dedupKey: 'd1', body: { n: 2 } }, T);
      expect([first.result, again.result]).toEqual(['queued', 'duplicate']);
      expect(again.entry.id).toBe(first.entry.id);
      expect((await outbox.get('slack', 'd1'))!.body).toEqual({ n: 1 });
      const other = await outbox.enqueue({ channel: 'pagerduty', dedupKey: 'd1', body: {} }, T);
      expect(other.result).toBe('queued');
      expect(await outbox.list()).toHaveLength(2);
    });

    it('requeues a key that failed for good, never one that was sent', async () => {
      const { outbox } = state;
      await outbox.enqueue({ channel: 'slack', dedupKey: 'sent', body: {} }, T);
      await outbox.enqueue({ channel: 'slack', dedupKey: 'dead', body: { v: 1 } }, T);
      const [a, b] = await outbox.claim(['slack'], 2, T, LEASE);
      expect(await outbox.markSent(a!, T + 1, 200)).toBe(true);
      expect(await outbox.markFailed(b!, T + 1, 'HTTP 400: no', 400)).toBe(true);
      const sent = await outbox.enqueue({ channel: 'slack', dedupKey: 'sent', body: {} }, T + 2);
      expect(sent.result).toBe('duplicate');
      const revived = await outbox.enqueue(
        { channel: 'slack', dedupKey: 'dead', body: { v: 2 } },
        T + 2,
      );
      expect(revived.result).toBe('requeued');
      expect(revived.entry).toMatchObject({
        status: 'pending',
        attempts: 0,
        body: { v: 2 },
        lastError: null,
        failedAtMs: null,
      });
    });

    it('refuses beyond maxPending per channel, and bad input with the reason', async () => {
      const { outbox } = await fixture.notify({ maxPending: 1 });
      await outbox.enqueue({ channel: 'slack', dedupKey: 'a', body: {} }, T);
      await expect(
        outbox.enqueue({ channel: 'slack', dedupKey: 'b', body: {} }, T),
      ).rejects.toThrow(NotifyQueueFullError);
      expect((await outbox.enqueue({ channel: 'slack', dedupKey: 'a', body: {} }, T)).result).toBe(
        'duplicate',
      );
      await expect(
        outbox.enqueue({ channel: 'slack', dedupKey: 'k'.repeat(256), body: {} }, T),
      ).rejects.toThrow(NotifyError);
      await expect(
        outbox.enqueue({ channel: 'slack', dedupKey: 'k', body: undefined }, T),
      ).rejects.toThrow('not JSON');
      expect(await outbox.list()).toHaveLength(1);
    });

    it('claims due rows oldest first under a lease, and a group in order', async () => {
      const { outbox } = state;
      await outbox.enqueue({ channel: 'slack', dedupKey: 'a', body: {} }, T);
      await outbox.enqueue({ channel: 'slack', dedupKey: 'b', body: {} }, T + 1);
      await outbox.enqueue({ channel: 'pagerduty', dedupKey: 'p/t', groupKey: 'p', body: {} }, T);
      await outbox.enqueue({ channel: 'pagerduty', dedupKey: 'p/r', groupKey: 'p', body: {} }, T);
      const claims = await outbox.claim(['slack', 'pagerduty'], 10, T + 5, LEASE);
      expect(claims.map((c) => [c.entry.dedupKey, c.entry.attempts])).toEqual([
        ['a', 1],
        ['p/t', 1],
        ['b', 1],
      ]);
      expect(await outbox.claim(['slack'], 10, T + 6, LEASE)).toEqual([]);
      expect(await outbox.nextClaimableAtMs(['slack'])).toBe(T + 5 + LEASE);
      const taken = await outbox.claim(['slack'], 10, T + 5 + LEASE, LEASE);
      expect(taken.map((c) => c.entry.attempts)).toEqual([2, 2]);
      // The first claim is stale now: marking with it changes nothing.
      expect(await outbox.markSent(claims[0]!, T + 6, 200)).toBe(false);
      const trigger = claims.find((c) => c.entry.dedupKey === 'p/t')!;
      expect(await outbox.markRetry(trigger, T + 500, 'HTTP 500: x', 500)).toBe(true);
      expect(await outbox.nextClaimableAtMs(['pagerduty'])).toBe(T + 500);
      const again = await outbox.claim(['pagerduty'], 10, T + 500, LEASE);
      expect(again.map((c) => c.entry.dedupKey)).toEqual(['p/t']);
      await outbox.markSent(again[0]!, T + 501, 202);
      const next = await outbox.claim(['pagerduty'], 10, T + 502, LEASE);
      expect(next.map((c) => c.entry.dedupKey)).toEqual(['p/r']);
      expect(await outbox.pendingCount(['pagerduty'])).toBe(1);
    });

    it('never hands one row to two instances claiming at once', async () => {
      const others = await Promise.all([fixture.notify(), fixture.notify(), fixture.notify()]);
      for (let i = 0; i < 30; i += 1) {
        await state.outbox.enqueue({ channel: 'slack', dedupKey: `k${i}`, body: { i } }, T);
      }
      const rounds = await Promise.all(
        [state, ...others].map(async (s) => {
          const ids: number[] = [];
          for (;;) {
            const claims = await s.outbox.claim(['slack'], 3, T, LEASE);
            if (claims.length === 0) return ids;
            ids.push(...claims.map((c) => c.entry.id));
          }
        }),
      );
      const all = rounds.flat();
      expect(all).toHaveLength(30);
      expect(new Set(all).size).toBe(30);
    });

    it('holds in observer mode; one instance releases what another held, a worker sends it', async () => {
      const other = await fixture.notify();
      expect(await state.setObserver({ enabled: true, by: 'ana', reason: 'burn-in' }, T)).toBe(
        true,
      );
      expect(await other.setObserver({ enabled: true, by: 'ben' }, T)).toBe(false);
      const held = await state.outbox.enqueue({ channel: 'slack', dedupKey: 'h1', body: { a: 1 } });
      await state.outbox.enqueue({ channel: 'slack', dedupKey: 'h2', body: { a: 2 } });
      await state.outbox.enqueue({ channel: 'slack', dedupKey: 'h3', body: { a: 3 } });
      expect(held.entry.status).toBe('held');
      expect(await other.observerStatus()).toMatchObject({
        enabled: true,
        changedBy: 'ana',
        reason: 'burn-in',
        changedAt: new Date(T).toISOString(),
        heldNotifications: 3,
      });
      expect(await state.outbox.claim(['slack'], 10, Date.now(), LEASE)).toEqual([]);

      expect(await other.outbox.discard({ ids: [held.entry.id + 2] }, 'ben')).toEqual({
        changed: 1,
        notHeld: [],
      });
      expect(await other.outbox.release({ all: true })).toEqual({ changed: 2, notHeld: [] });
      expect(await other.outbox.release({ ids: [held.entry.id] })).toEqual({
        changed: 0,
        notHeld: [held.entry.id],
      });
      const receiver = await startReceiver([SLACK_OK]);
      try {
        const worker = createDeliveryWorker({
          outbox: state.outbox,
          targets: { slack: { url: receiver.url, prepare: (body) => body } },
        });
        const report = await worker.drain({ timeoutMs: 10_000 });
        expect(report.outcomes.map((o) => o.result)).toEqual(['sent', 'sent']);
        expect(receiver.requests.map((r) => r.json)).toEqual([{ a: 1 }, { a: 2 }]);
      } finally {
        await receiver.close();
      }
      expect((await state.outbox.get('slack', 'h3'))!).toMatchObject({
        status: 'failed',
        lastError: 'discarded while held (observer mode) by ben',
      });
      expect(await state.setObserver({ enabled: false, by: 'ana' })).toBe(true);
      const after = await other.outbox.enqueue({ channel: 'slack', dedupKey: 'h4', body: {} });
      expect(after.entry.status).toBe('pending');
      expect((await state.observerStatus()).heldNotifications).toBe(0);
    });

    it('says who may switch observer mode and why, and refuses a bad switch', async () => {
      expect(await state.observerStatus()).toEqual({
        enabled: false,
        changedAt: null,
        changedBy: null,
        reason: null,
        heldNotifications: 0,
      });
      await expect(state.setObserver({ enabled: true, by: '  ' })).rejects.toThrow(ObserverError);
      await expect(
        state.setObserver({ enabled: true, by: 'ana', reason: 'x'.repeat(501) }),
      ).rejects.toThrow('at most 500');
      expect((await state.observerStatus()).enabled).toBe(false);
    });
  });
}
