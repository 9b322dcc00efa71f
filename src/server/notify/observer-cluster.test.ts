// Observer mode across a cluster: two real console servers sharing one PostgreSQL (--database).
// Switched on through gateway A, a notification is held in the cluster's outbox; gateway B lists
// it, releases it, and the cluster's sender delivers it to a real HTTP receiver. B's gates answer
// shows the cluster's switch, not the one in its own console.db.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatesReport } from '../../core/api/gates';
import type { HeldChangeResult, NotificationList, ObserverStatus } from '../../core/api/observer';
import { openDatabase } from '../storage/database';
import { observerStatus } from './observer';
import { startGatewayPair, type GatewayPair } from '../../testing/gateway-pair';
import { postgresBinDir } from '../../testing/postgres';
import { SLACK_OK, startReceiver, type Receiver } from '../../testing/webhook-receiver';
import type { TestServer } from '../../testing/test-server';
import { pgNotifyState } from './state';
import { createDeliveryWorker } from './worker';

const missing = postgresBinDir() ? null : 'needs PostgreSQL: apt-get install -y postgresql';
if (missing) console.warn(`[state] skipping the cluster observer test: ${missing}`);

describe.skipIf(missing !== null)('observer mode on gateways sharing one PostgreSQL', () => {
  let pair: GatewayPair;
  let a: TestServer;
  let b: TestServer;
  let receiver: Receiver;
  let admin = '';
  let adminId = '';

  const call = <T>(s: TestServer, method: string, route: string, body?: unknown) =>
    pair.call<T>(s, admin, method, route, body);

  beforeAll(async () => {
    receiver = await startReceiver([SLACK_OK]);
    pair = await startGatewayPair();
    ({ a, b } = pair);
    const issued = await a.issueStoredToken(['demo'], 'ana', 'admin');
    admin = issued.token;
    adminId = issued.tokenId;
  });
  afterAll(async () => {
    await pair?.close();
    await receiver?.close();
  });

  it('holds through one gateway what the other lists, releases and sends', async () => {
    const on = await call<ObserverStatus>(a, 'PUT', '/api/observer', {
      enabled: true,
      reason: 'burn-in',
    });
    expect(on.status).toBe(200);
    expect(on.json).toMatchObject({
      enabled: true,
      changedBy: `token:${adminId}`,
      reason: 'burn-in',
    });
    expect((await call<ObserverStatus>(b, 'GET', '/api/observer')).json.enabled).toBe(true);

    // What the pager or a digest would enqueue through gateway A while observer mode is on.
    const onA = pgNotifyState(a.sharedState!.pool);
    const { entry } = await onA.outbox.enqueue({
      channel: 'slack',
      dedupKey: 'digest-2026-12-06',
      body: { text: 'daily digest' },
    });
    expect(entry.status).toBe('held');

    const held = await call<NotificationList>(b, 'GET', '/api/notifications?status=held');
    expect(held.json.total).toBe(1);
    expect(held.json.notifications[0]).toMatchObject({ id: entry.id, dedupKey: entry.dedupKey });
    expect((await call<ObserverStatus>(b, 'GET', '/api/observer')).json.heldNotifications).toBe(1);

    const released = await call<HeldChangeResult>(b, 'POST', '/api/notifications/release', {
      ids: [entry.id],
    });
    expect(released.json).toEqual({ changed: 1, notHeld: [] });

    // The cluster's sender, wherever it runs, finds the released row pending.
    const sender = createDeliveryWorker({
      outbox: onA.outbox,
      targets: { slack: { url: receiver.url, prepare: (body) => body } },
    });
    const report = await sender.drain({ timeoutMs: 10_000 });
    expect(report.outcomes.map((o) => o.result)).toEqual(['sent']);
    expect(receiver.requests.map((r) => r.json)).toEqual([{ text: 'daily digest' }]);
    const sent = await call<NotificationList>(a, 'GET', '/api/notifications?status=sent');
    expect(sent.json.notifications.map((n) => n.id)).toEqual([entry.id]);
  });

  it("shows the cluster's switch in every gateway's gates answer", async () => {
    const off = await call<ObserverStatus>(a, 'PUT', '/api/observer', { enabled: false });
    expect(off.status).toBe(200);
    expect((await call<GatesReport>(b, 'GET', '/api/gates')).json.observer.enabled).toBe(false);

    await call<ObserverStatus>(a, 'PUT', '/api/observer', { enabled: true, reason: 'week one' });
    const gates = await call<GatesReport>(b, 'GET', '/api/gates');
    expect(gates.status).toBe(200);
    expect(gates.json.observer).toMatchObject({
      enabled: true,
      changedBy: `token:${adminId}`,
      reason: 'week one',
    });
    // B's own console.db never held the switch: the answer came from the cluster.
    const bDb = openDatabase(b.dataDir);
    try {
      expect(observerStatus(bDb).enabled).toBe(false);
    } finally {
      bDb.close();
    }
  });
});
