// The pager of a cluster on a real PostgreSQL: two pagers (two gateways) over one database, the
// ticket filed by the Alertmanager receiver's own code, and a real HTTP server answering as
// PagerDuty's Events API. Whatever the two do at once, PagerDuty hears one trigger and one resolve.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { firingAlert } from '../../testing/alertmanager-payload';
import { stateBackends, type StateFixture } from '../../testing/state-backends';
import { T0, virtualClock, type VirtualClock } from '../../testing/virtual-clock';
import {
  PAGERDUTY_ACCEPTED,
  pagerDutyIncidents,
  startReceiver,
  type Receiver,
} from '../../testing/webhook-receiver';
import { withRoutingKey } from '../notify/pagerduty';
import { pgOutbox, type PgOutbox } from '../notify/pg-outbox';
import { createDeliveryWorker, type DeliveryWorker } from '../notify/worker';
import { openDatabase } from '../storage/database';
import { openPgPool, type PgPool } from '../state/pg';
import type { TicketState } from '../state/tickets';
import { receiveAlerts } from './alertmanager';
import { createKaizen, type Kaizen } from './kaizen';
import { PAGER_ACTOR } from './pager';
import { createPgPager, type PgPager } from './pager-pg';

const H = 3_600_000;
const harness = stateBackends().find((h) => h.backend === 'postgres')!;
if (harness.missing) console.warn(`[state] skipping the cluster pager: ${harness.missing}`);

interface Gateway {
  pool: PgPool;
  outbox: PgOutbox;
  pager: PgPager;
  worker: DeliveryWorker;
}

describe.skipIf(harness.missing !== null)('the pager on the cluster’s PostgreSQL', () => {
  let fixture: StateFixture;
  let clock: VirtualClock;
  let tickets: TicketState;
  let kaizen: Kaizen;
  let pagerDuty: Receiver;
  let gateways: Gateway[];

  const gateway = async (source: string, maxPending?: number): Promise<Gateway> => {
    const pool = await openPgPool(fixture.where, { max: 4 });
    const outbox = pgOutbox({ pool, maxPending });
    const pager = createPgPager({ pool, outbox, pageAfterMs: 2 * H, source });
    const worker = createDeliveryWorker({
      outbox,
      targets: {
        pagerduty: { url: pagerDuty.url, prepare: (body) => withRoutingKey(body, 'R'.repeat(32)) },
      },
      now: clock.now,
    });
    const made = { pool, outbox, pager, worker };
    gateways.push(made);
    return made;
  };

  /** Every pager at once, then every sender at once, as the gateways' timers would. */
  const round = async () => {
    const events = (await Promise.all(gateways.map((g) => g.pager.evaluate(clock.now())))).flat();
    await Promise.all(gateways.map((g) => g.worker.drain({ timeoutMs: 10_000 })));
    return events;
  };

  const fileAlert = async () => {
    const alert = firingAlert('fp-stall', 'Stream demo stalled');
    alert.alerts[0]!.startsAt = new Date(clock.now()).toISOString();
    await receiveAlerts(kaizen, alert);
    const [ticket] = (await tickets.list({}, { limit: 10 })).tickets;
    return ticket!;
  };

  beforeAll(() => harness.start());
  afterAll(() => harness.stop());
  beforeEach(async () => {
    fixture = await harness.fixture();
    clock = virtualClock();
    tickets = await fixture.tickets({ now: clock.now });
    kaizen = createKaizen({ db: openDatabase(':memory:'), now: clock.now, tickets: () => tickets });
    pagerDuty = await startReceiver([PAGERDUTY_ACCEPTED], '/v2/enqueue');
    gateways = [];
  });
  afterEach(async () => {
    for (const g of gateways) await g.pool.end();
    await pagerDuty.close();
    await fixture.close();
  });

  it('pages a webhook-filed critical ticket once with two pagers, and resolves it once', async () => {
    await gateway('gateway-a');
    await gateway('gateway-b');
    const ticket = await fileAlert();
    expect(ticket).toMatchObject({ source: 'alertmanager', severity: 'critical', status: 'open' });

    clock.set(T0 + 2 * H - 1);
    expect(await round()).toEqual([]);
    expect(pagerDuty.requests).toHaveLength(0);

    clock.set(T0 + 2 * H);
    const paged = await round();
    expect(paged).toHaveLength(1);
    expect(paged[0]).toMatchObject({ action: 'trigger', ticketId: ticket.id, queued: 'queued' });
    clock.set(T0 + 3 * H);
    expect(await round()).toEqual([]);
    const triggered = pagerDutyIncidents(pagerDuty.requests);
    expect(triggered).toMatchObject({ triggers: 1, resolves: 0 });
    expect(pagerDuty.requests[0]!.json).toMatchObject({
      routing_key: 'R'.repeat(32),
      event_action: 'trigger',
      dedup_key: paged[0]!.dedupKey,
      payload: { severity: 'critical', component: 'demo', class: 'alertmanager' },
    });
    const notes = async () =>
      (await tickets.get(ticket.id))!.events.filter((e) => e.actor === PAGER_ACTOR);
    expect((await notes()).map((e) => e.detail)).toEqual([
      `Paged PagerDuty: open 2h without acknowledgement (dedup_key ${paged[0]!.dedupKey}).`,
    ]);

    await tickets.resolve(ticket.id, { by: 'ana', outcome: 'true_positive' });
    const resolved = await round();
    expect(resolved).toHaveLength(1);
    expect(resolved[0]).toMatchObject({ action: 'resolve', dedupKey: paged[0]!.dedupKey });
    expect(await round()).toEqual([]);
    const after = pagerDutyIncidents(pagerDuty.requests);
    expect(after).toMatchObject({ triggers: 1, resolves: 1 });
    expect([...after.incidents.values()]).toEqual(['resolved']);
    expect(await notes()).toHaveLength(2);
  });

  it('keeps nothing of a page whose outbox row cannot be written, and pages at the next try', async () => {
    const full = await gateway('gateway-a', 0);
    const ticket = await fileAlert();
    clock.set(T0 + 2 * H);
    expect(await full.pager.evaluate(clock.now())).toEqual([]);
    expect((await tickets.get(ticket.id))!.events.map((e) => e.actor)).not.toContain(PAGER_ACTOR);
    expect(await full.outbox.list()).toEqual([]);

    gateways = [];
    await gateway('gateway-b');
    const paged = await round();
    expect(paged).toHaveLength(1);
    expect(pagerDutyIncidents(pagerDuty.requests).triggers).toBe(1);
    await full.pool.end();
  });

  it('leaves the tenants it does not own to the pager that does', async () => {
    const pool = await openPgPool(fixture.where, { max: 2 });
    const outbox = pgOutbox({ pool });
    const other = createPgPager({ pool, outbox, pageAfterMs: 2 * H, owns: (t) => t !== 'demo' });
    await fileAlert();
    clock.set(T0 + 2 * H);
    expect(await other.evaluate(clock.now())).toEqual([]);
    expect(await outbox.list()).toEqual([]);
    await pool.end();
  });

  it('never pages an acknowledged ticket', async () => {
    await gateway('gateway-a');
    const ticket = await fileAlert();
    await tickets.acknowledge(ticket.id, 'ana');
    clock.set(T0 + 3 * H);
    expect(await round()).toEqual([]);
    expect(pagerDuty.requests).toHaveLength(0);
  });
});
