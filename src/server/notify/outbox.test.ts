import { describe, expect, it } from 'vitest';
import { openDatabase } from '../storage/database';
import { createOutbox, NotifyError, NotifyQueueFullError, type Outbox } from './outbox';

const T = 1_000_000;
const LEASE = 10_000;

const fresh = (maxPending?: number): Outbox =>
  createOutbox({ db: openDatabase(':memory:'), maxPending });

describe('the outbox', () => {
  it('enqueues a dedup_key once; the first body wins', () => {
    const outbox = fresh();
    const first = outbox.enqueue({ channel: 'slack', dedupKey: 'd1', body: { n: 1 } }, T);
    const again = outbox.enqueue({ channel: 'slack', dedupKey: 'd1', body: { n: 2 } }, T + 1);
    expect(first.result).toBe('queued');
    expect(again.result).toBe('duplicate');
    expect(again.entry.id).toBe(first.entry.id);
    expect(outbox.list()).toHaveLength(1);
    expect(outbox.get('slack', 'd1')!.body).toEqual({ n: 1 });
  });

  it('keeps dedup keys apart per channel', () => {
    const outbox = fresh();
    outbox.enqueue({ channel: 'slack', dedupKey: 'k', body: {} }, T);
    expect(outbox.enqueue({ channel: 'pagerduty', dedupKey: 'k', body: {} }, T).result).toBe(
      'queued',
    );
  });

  it('does not enqueue again once sent, but requeues one that failed for good', () => {
    const outbox = fresh();
    outbox.enqueue({ channel: 'slack', dedupKey: 'sent', body: {} }, T);
    outbox.enqueue({ channel: 'slack', dedupKey: 'dead', body: { v: 1 } }, T);
    const [a, b] = outbox.claim(['slack'], 2, T, LEASE);
    outbox.markSent(a!, T + 1, 200);
    outbox.markFailed(b!, T + 1, 'HTTP 400: no', 400);
    expect(outbox.enqueue({ channel: 'slack', dedupKey: 'sent', body: {} }, T + 2).result).toBe(
      'duplicate',
    );
    const revived = outbox.enqueue({ channel: 'slack', dedupKey: 'dead', body: { v: 2 } }, T + 2);
    expect(revived.result).toBe('requeued');
    expect(revived.entry).toMatchObject({
      status: 'pending',
      attempts: 0,
      body: { v: 2 },
      lastError: null,
      failedAtMs: null,
    });
  });

  it('rolls back with the transaction it was enqueued in', () => {
    const outbox = fresh();
    expect(() =>
      outbox.db.transaction(() => {
        outbox.enqueue({ channel: 'slack', dedupKey: 'x', body: {} }, T);
        throw new Error('the state change failed');
      })(),
    ).toThrow('the state change failed');
    expect(outbox.list()).toEqual([]);
  });

  it('refuses beyond maxPending per channel, and takes more once delivered', () => {
    const outbox = fresh(2);
    outbox.enqueue({ channel: 'slack', dedupKey: 'a', body: {} }, T);
    outbox.enqueue({ channel: 'slack', dedupKey: 'b', body: {} }, T);
    expect(() => outbox.enqueue({ channel: 'slack', dedupKey: 'c', body: {} }, T)).toThrow(
      NotifyQueueFullError,
    );
    expect(outbox.enqueue({ channel: 'pagerduty', dedupKey: 'c', body: {} }, T).result).toBe(
      'queued',
    );
    // A duplicate of a pending key is not a new notification: no room needed.
    expect(outbox.enqueue({ channel: 'slack', dedupKey: 'a', body: {} }, T).result).toBe(
      'duplicate',
    );
    outbox.markSent(outbox.claim(['slack'], 1, T, LEASE)[0]!, T, 200);
    expect(outbox.enqueue({ channel: 'slack', dedupKey: 'c', body: {} }, T).result).toBe('queued');
  });

  it.each([
    { name: 'an empty dedup key', dedupKey: '', body: {}, message: 'dedup_key must be 1 to 255' },
    { name: 'a long dedup key', dedupKey: 'k'.repeat(256), body: {}, message: 'got 256' },
    { name: 'a body that is not JSON', dedupKey: 'k', body: undefined, message: 'not JSON' },
  ])('refuses $name', ({ dedupKey, body, message }) => {
    const outbox = fresh();
    expect(() => outbox.enqueue({ channel: 'slack', dedupKey, body }, T)).toThrow(NotifyError);
    expect(() => outbox.enqueue({ channel: 'slack', dedupKey, body }, T)).toThrow(message);
  });

  it('claims due rows oldest first, counts the attempt and leases them', () => {
    const outbox = fresh();
    outbox.enqueue({ channel: 'slack', dedupKey: 'a', body: {} }, T);
    outbox.enqueue({ channel: 'slack', dedupKey: 'b', body: {} }, T + 1);
    outbox.enqueue({ channel: 'pagerduty', dedupKey: 'c', body: {} }, T);
    const claims = outbox.claim(['slack'], 10, T + 5, LEASE);
    expect(claims.map((c) => [c.entry.dedupKey, c.entry.attempts])).toEqual([
      ['a', 1],
      ['b', 1],
    ]);
    // Leased: nobody else gets them until the lease runs out, then somebody may.
    expect(outbox.claim(['slack'], 10, T + 6, LEASE)).toEqual([]);
    expect(outbox.nextClaimableAtMs(['slack'])).toBe(T + 5 + LEASE);
    const taken = outbox.claim(['slack'], 10, T + 5 + LEASE, LEASE);
    expect(taken.map((c) => c.entry.attempts)).toEqual([2, 2]);
    // The first claim is stale now: marking with it changes nothing.
    expect(outbox.markSent(claims[0]!, T + 6, 200)).toBe(false);
    expect(outbox.markSent(taken[0]!, T + 6, 200)).toBe(true);
  });

  it('delivers a group in order: the second row waits until the first is settled', () => {
    const outbox = fresh();
    outbox.enqueue({ channel: 'pagerduty', dedupKey: 'p/trigger', groupKey: 'p', body: {} }, T);
    outbox.enqueue({ channel: 'pagerduty', dedupKey: 'p/resolve', groupKey: 'p', body: {} }, T);
    const [trigger, ...others] = outbox.claim(['pagerduty'], 10, T, LEASE);
    expect(trigger!.entry.dedupKey).toBe('p/trigger');
    expect(others).toEqual([]);
    outbox.markRetry(trigger!, T + 500, 'HTTP 500: x', 500);
    expect(outbox.claim(['pagerduty'], 10, T + 100, LEASE)).toEqual([]);
    expect(outbox.nextClaimableAtMs(['pagerduty'])).toBe(T + 500);
    const again = outbox.claim(['pagerduty'], 10, T + 500, LEASE);
    expect(again.map((c) => c.entry.dedupKey)).toEqual(['p/trigger']);
    outbox.markSent(again[0]!, T + 501, 202);
    expect(outbox.claim(['pagerduty'], 10, T + 502, LEASE).map((c) => c.entry.dedupKey)).toEqual([
      'p/resolve',
    ]);
  });

  it('records the outcome of each attempt', () => {
    const outbox = fresh();
    outbox.enqueue({ channel: 'slack', dedupKey: 'a', body: {} }, T);
    const first = outbox.claim(['slack'], 1, T, LEASE)[0]!;
    outbox.markRetry(first, T + 1000, 'HTTP 429: slow down', 429);
    expect(outbox.get('slack', 'a')).toMatchObject({
      status: 'pending',
      attempts: 1,
      nextAttemptAtMs: T + 1000,
      lastHttpStatus: 429,
      lastError: 'HTTP 429: slow down',
    });
    const second = outbox.claim(['slack'], 1, T + 1000, LEASE)[0]!;
    outbox.markSent(second, T + 1001, 200);
    expect(outbox.get('slack', 'a')).toMatchObject({
      status: 'sent',
      attempts: 2,
      sentAtMs: T + 1001,
      lastHttpStatus: 200,
      lastError: null,
    });
    expect(outbox.pendingCount()).toBe(0);
    expect(outbox.nextClaimableAtMs(['slack'])).toBeNull();
  });
});
