// Observer mode: what is enqueued while it is on is held, listed, and sent only once released;
// a discarded one never is. Real SQLite, the real outbox and worker against a real HTTP receiver.
import { afterEach, describe, expect, it } from 'vitest';
import { SLACK_OK, startReceiver, type Receiver } from '../../testing/webhook-receiver';
import { openDatabase } from '../storage/database';
import { NOTIFY_COMPONENT, NOTIFY_MIGRATIONS } from './migrations';
import { observerEnabled, observerStatus, setObserver } from './observer';
import { createOutbox } from './outbox';
import { createDeliveryWorker } from './worker';

const T = 1_000_000;

describe('observer mode', () => {
  let receiver: Receiver | undefined;
  afterEach(async () => {
    await receiver?.close();
    receiver = undefined;
  });

  it('is off until switched on, and remembers who switched it and why', () => {
    const db = openDatabase(':memory:');
    expect(observerStatus(db)).toEqual({
      enabled: false,
      changedAt: null,
      changedBy: null,
      reason: null,
      heldNotifications: 0,
    });
    expect(setObserver(db, { enabled: true, by: 'ana', reason: 'burn-in' }, T)).toBe(true);
    expect(setObserver(db, { enabled: true, by: 'bo' }, T + 1)).toBe(false);
    expect(observerStatus(db)).toMatchObject({
      enabled: true,
      changedAt: new Date(T).toISOString(),
      changedBy: 'ana',
      reason: 'burn-in',
    });
    expect(() => setObserver(db, { enabled: false, by: ' ' })).toThrow(/who switches/);
  });

  it('holds what is enqueued while on; nothing held is claimed; release makes it due in order', () => {
    const db = openDatabase(':memory:');
    const outbox = createOutbox({ db });
    outbox.enqueue({ channel: 'slack', dedupKey: 'before', body: { text: 'sent as usual' } }, T);
    setObserver(db, { enabled: true, by: 'ana' });
    const trigger = outbox.enqueue(
      {
        channel: 'pagerduty',
        dedupKey: 'inc/trigger',
        groupKey: 'inc',
        body: { event_action: 'trigger', payload: { summary: '[demo] stalled' } },
      },
      T,
    );
    expect(trigger.entry.status).toBe('held');
    setObserver(db, { enabled: false, by: 'ana' });
    // Observer mode is off, but the resolve must not overtake its held trigger.
    outbox.enqueue(
      { channel: 'pagerduty', dedupKey: 'inc/resolve', groupKey: 'inc', body: {} },
      T + 1,
    );
    expect(
      outbox.claim(['slack', 'pagerduty'], 10, T + 10, 1000).map((c) => c.entry.dedupKey),
    ).toEqual(['before']);
    expect(observerStatus(db).heldNotifications).toBe(1);

    expect(outbox.release({ ids: [trigger.entry.id, 999] }, T + 20)).toEqual({
      changed: 1,
      notHeld: [999],
    });
    const claimed = outbox.claim(['pagerduty'], 10, T + 20, 1000);
    expect(claimed.map((c) => c.entry.dedupKey)).toEqual(['inc/trigger']);
  });

  it('counts held rows against the outbox bound, and a discarded row is never sent', () => {
    const db = openDatabase(':memory:');
    const outbox = createOutbox({ db, maxPending: 2 });
    setObserver(db, { enabled: true, by: 'ana' });
    outbox.enqueue({ channel: 'slack', dedupKey: 'a', body: {} }, T);
    outbox.enqueue({ channel: 'slack', dedupKey: 'b', body: {} }, T);
    expect(() => outbox.enqueue({ channel: 'slack', dedupKey: 'c', body: {} }, T)).toThrow(/full/);
    expect(outbox.discard({ all: true }, 'bo', T + 1)).toEqual({ changed: 2, notHeld: [] });
    expect(outbox.list({ status: 'failed' }).map((e) => e.lastError)).toEqual([
      'discarded while held (observer mode) by bo',
      'discarded while held (observer mode) by bo',
    ]);
    expect(outbox.claim(['slack'], 10, T + 2, 1000)).toEqual([]);
  });

  it('delivers a released notification through the worker to a real receiver', async () => {
    receiver = await startReceiver([SLACK_OK]);
    const db = openDatabase(':memory:');
    const outbox = createOutbox({ db });
    setObserver(db, { enabled: true, by: 'ana' });
    outbox.enqueue({ channel: 'slack', dedupKey: 'digest', body: { text: 'digest' } });
    const worker = createDeliveryWorker({
      outbox,
      targets: { slack: { url: receiver.url, prepare: (body) => body } },
    });
    expect((await worker.drain({ timeoutMs: 2000 })).outcomes).toEqual([]);
    expect(receiver.requests).toHaveLength(0);
    outbox.release({ all: true });
    const report = await worker.drain({ timeoutMs: 10_000 });
    expect(report.outcomes.map((o) => o.result)).toEqual(['sent']);
    expect(receiver.requests).toHaveLength(1);
  });

  it('keeps pending and sent rows through the migration that allows held ones', () => {
    const db = openDatabase(':memory:');
    // The outbox as version 1 left it, with a row in it.
    const v1 = NOTIFY_MIGRATIONS.filter((m) => m.version === 1);
    db.exec('BEGIN');
    v1[0]!.up(db);
    db.prepare(
      'INSERT INTO schema_migrations (component, version, description) VALUES (?, 1, ?)',
    ).run(NOTIFY_COMPONENT, v1[0]!.description);
    db.prepare(
      `INSERT INTO notify_outbox (channel, dedup_key, group_key, body, status, created_at, next_attempt_at)
       VALUES ('slack', 'old', 'old', '{}', 'pending', 1, 1)`,
    ).run();
    db.exec('COMMIT');
    const outbox = createOutbox({ db });
    expect(outbox.get('slack', 'old')).toMatchObject({ status: 'pending', createdAtMs: 1 });
    expect(observerEnabled(db)).toBe(false);
  });
});
