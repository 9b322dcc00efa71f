// The server's notifications on two gateways of one cluster: real PostgreSQL, real advisory-lock
// leases, the pager and the sender on their timers, and a real HTTP server answering as
// PagerDuty. The page goes out once although both gateways run; when the gateway holding the
// tenant's pager lease goes, the other takes the leases it held and resolves the page.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { firingAlert } from '../../testing/alertmanager-payload';
import { stateBackends, type StateFixture } from '../../testing/state-backends';
import { tempDir } from '../../testing/temp-dir';
import { T0, virtualClock, type VirtualClock } from '../../testing/virtual-clock';
import {
  PAGERDUTY_ACCEPTED,
  pagerDutyIncidents,
  startReceiver,
  type Receiver,
} from '../../testing/webhook-receiver';
import { NOTIFY_SENDER_LEASE, pagerLease } from '../state/cluster';
import { pgLeases, type Leases } from '../state/leases';
import { openPgPool } from '../state/pg';
import type { TicketState } from '../state/tickets';
import { openDatabase } from '../storage/database';
import { receiveAlerts } from './alertmanager';
import { createKaizen, type Kaizen } from './kaizen';
import { startKaizenNotifications } from './notifications';

const H = 3_600_000;
const harness = stateBackends().find((h) => h.backend === 'postgres')!;
if (harness.missing) console.warn(`[state] skipping the cluster notifications: ${harness.missing}`);

interface Gateway {
  kaizen: Kaizen;
  tickets: TicketState;
  leases: Leases;
  lines: string[];
  stop(): Promise<void>;
}

describe.skipIf(harness.missing !== null)('the server’s notifications in a cluster', () => {
  let fixture: StateFixture;
  let clock: VirtualClock;
  let pagerDuty: Receiver;
  const cleanup: (() => Promise<void>)[] = [];

  const gateway = async (): Promise<Gateway> => {
    const pool = await openPgPool(fixture.where, { max: 4 });
    const leases = pgLeases({ url: fixture.where, retryMs: 50 });
    const tickets = await fixture.tickets({ now: clock.now });
    const db = openDatabase(':memory:');
    const kaizen = createKaizen({ db, now: clock.now, tickets: () => tickets });
    const lines: string[] = [];
    const notifications = startKaizenNotifications({
      db,
      kaizen,
      dataDir: tempDir('notify-cluster'),
      env: { PAGERDUTY_ROUTING_KEY: 'cluster-key', PAGERDUTY_EVENTS_URL: pagerDuty.url },
      registry: new Registry(),
      pagerIntervalMs: 20,
      cluster: { pool, leases },
      log: (line) => lines.push(line),
    });
    let stopped = false;
    const stop = async () => {
      if (stopped) return;
      stopped = true;
      await notifications.stop();
      await leases.close();
      await pool.end();
      db.close();
    };
    cleanup.push(stop);
    return { kaizen, tickets, leases, lines, stop };
  };

  beforeAll(() => harness.start());
  afterAll(() => harness.stop());
  beforeEach(async () => {
    fixture = await harness.fixture();
    clock = virtualClock();
    pagerDuty = await startReceiver([PAGERDUTY_ACCEPTED], '/v2/enqueue');
  });
  afterEach(async () => {
    for (const stop of cleanup.splice(0)) await stop();
    await pagerDuty.close();
    await fixture.close();
  });

  it('pages once from two gateways, and the survivor resolves the page', async () => {
    const a = await gateway();
    await expect.poll(() => a.leases.holds(NOTIFY_SENDER_LEASE)).toBe(true);
    const b = await gateway();
    expect(b.lines.join('\n')).toContain("the cluster's outbox and pages in PostgreSQL");

    const alert = firingAlert('fp-cluster', 'Stream demo stalled');
    alert.alerts[0]!.startsAt = new Date(T0).toISOString();
    await receiveAlerts(b.kaizen, alert);
    clock.set(T0 + 2 * H);
    await pagerDuty.waitFor(1);
    // Many pager rounds of both gateways later, still one page.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(pagerDutyIncidents(pagerDuty.requests)).toMatchObject({ triggers: 1, resolves: 0 });
    expect(pagerDuty.requests[0]!.json).toMatchObject({ routing_key: 'cluster-key' });
    // Both asked for the tenant's pager lease once a ticket was due; one holds it.
    const holders = [a, b].filter((g) => g.leases.holds(pagerLease('demo')));
    expect(holders).toHaveLength(1);

    const [holder] = holders;
    const survivor = holder === a ? b : a;
    await holder!.stop();
    await expect.poll(() => survivor.leases.holds(NOTIFY_SENDER_LEASE)).toBe(true);
    await expect.poll(() => survivor.leases.holds(pagerLease('demo'))).toBe(true);
    const [ticket] = (await survivor.tickets.list({}, { limit: 1 })).tickets;
    await survivor.tickets.resolve(ticket!.id, { by: 'ana', outcome: 'true_positive' });
    await pagerDuty.waitFor(2);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const view = pagerDutyIncidents(pagerDuty.requests);
    expect([view.triggers, view.resolves, [...view.incidents.values()]]).toEqual([
      1,
      1,
      ['resolved'],
    ]);
  });

  it('asks for no lease on a gateway without PagerDuty or any channel', async () => {
    const pool = await openPgPool(fixture.where, { max: 2 });
    const leases = pgLeases({ url: fixture.where, retryMs: 50 });
    const db = openDatabase(':memory:');
    const tickets = await fixture.tickets({ now: clock.now });
    const kaizen = createKaizen({ db, now: clock.now, tickets: () => tickets });
    const notifications = startKaizenNotifications({
      db,
      kaizen,
      dataDir: tempDir('notify-cluster'),
      env: {},
      registry: new Registry(),
      pagerIntervalMs: 20,
      cluster: { pool, leases },
    });
    cleanup.push(async () => {
      await notifications.stop();
      await leases.close();
      await pool.end();
      db.close();
    });
    expect(notifications.pager).toBeNull();
    // Time for several lease tries: had this gateway asked, it would hold the sender lease now.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(leases.holds(NOTIFY_SENDER_LEASE)).toBe(false);
    const paging = await gateway();
    const alert = firingAlert('fp-quiet', 'Stream demo stalled');
    alert.alerts[0]!.startsAt = new Date(T0).toISOString();
    await receiveAlerts(paging.kaizen, alert);
    clock.set(T0 + 2 * H);
    await pagerDuty.waitFor(1);
    expect(paging.leases.holds(NOTIFY_SENDER_LEASE)).toBe(true);
    expect(paging.leases.holds(pagerLease('demo'))).toBe(true);
    expect(leases.holds(NOTIFY_SENDER_LEASE)).toBe(false);
  });
});
