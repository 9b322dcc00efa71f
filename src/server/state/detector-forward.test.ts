// The detector's tickets, judged on the process's own store, reach the cluster's ticket state in
// order; other tickets of the store (the gates', the pager's notes) stay where they are.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stallTicket } from '../../testing/kaizen-fixtures';
import { stateBackends } from '../../testing/state-backends';
import { virtualClock } from '../../testing/virtual-clock';
import { createTicketStore } from '../incidents/store';
import { openDatabase } from '../storage/database';
import { forwardDetectorTickets } from './detector-forward';

const postgres = stateBackends().find((h) => h.backend === 'postgres')!;
if (postgres.missing) console.warn(`[state] skipping the detector forward: ${postgres.missing}`);

describe.skipIf(postgres.missing !== null)("the detector's tickets in a cluster", () => {
  beforeAll(() => postgres.start());
  afterAll(() => postgres.stop());

  it('are opened, deduplicated and resolved in the shared state, in order', async () => {
    const fixture = await postgres.fixture();
    const clock = virtualClock();
    const shared = await fixture.tickets({ now: clock.now });
    const store = createTicketStore({ db: openDatabase(':memory:'), now: clock.now });
    const logs: string[] = [];
    const forward = forwardDetectorTickets(store, shared, (l) => logs.push(l));

    const local = store.openOrDedup(stallTicket({ detail: 'no frame for 2 s' })).ticket;
    store.openOrDedup(stallTicket({ detail: 'still none' }));
    store.resolveIncident('demo', local.fingerprint, { detail: 'frames again' });
    store.openOrDedup(stallTicket({ source: 'manual', fingerprint: 'gate:x', actor: 'gates' }));
    await forward.settled();

    const page = await shared.list({}, { limit: 10 });
    expect(page.tickets.map((t) => [t.fingerprint, t.source, t.status])).toEqual([
      [local.fingerprint, 'detector', 'resolved'],
    ]);
    const detail = await shared.get(page.tickets[0]!.id);
    expect(detail!.events.map((e) => [e.kind, e.detail])).toEqual([
      ['opened', 'no frame for 2 s'],
      ['deduplicated', 'still none'],
      ['resolved', 'frames again'],
    ]);
    expect(logs).toEqual([]);

    // A refusal (here: the database is gone) is logged; the detector's own store carries on.
    await fixture.close();
    store.openOrDedup(stallTicket({ fingerprint: 'f2' }));
    await forward.settled();
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatch(/cannot file opened of f2 in the cluster/);
    expect(store.findUnresolved('demo', 'f2')).toBeDefined();
    forward.stop();
  });
});
