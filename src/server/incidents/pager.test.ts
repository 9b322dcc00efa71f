import { describe, expect, it } from 'vitest';
import { createOutbox, NotifyQueueFullError } from '../notify/outbox';
import { openDatabase } from '../storage/database';
import { createKaizen } from './kaizen';
import { createPager, PAGER_ACTOR, type PagerOptions } from './pager';
import type { OpenTicketInput } from './store';
import { stallTicket } from '../../testing/kaizen-fixtures';
import { T0, virtualClock } from '../../testing/virtual-clock';

const H = 3_600_000;
const MIN = 60_000;

function setup(options: Partial<PagerOptions> = {}, maxPending?: number) {
  const db = openDatabase(':memory:');
  const clock = virtualClock();
  const kaizen = createKaizen({ db, now: clock.now });
  const outbox = createOutbox({ db, maxPending });
  const pager = createPager({
    store: kaizen.store,
    outbox,
    pageAfterMs: 2 * H,
    source: 'console-1',
    ...options,
  });
  const open = (input: Partial<OpenTicketInput> = {}) =>
    kaizen.store.openOrDedup(stallTicket({ summary: 'No frame since 12:00.', ...input })).ticket;
  const evaluateAt = (ms: number) => {
    clock.set(ms);
    return pager.evaluate(ms);
  };
  const pd = () => outbox.list({ channel: 'pagerduty' });
  return { kaizen, outbox, pager, open, evaluateAt, pd, clock };
}

describe('the pager', () => {
  it('pages a critical ticket once, when it has been open and unacknowledged for page-after', () => {
    const { kaizen, open, evaluateAt, pd } = setup();
    const ticket = open();
    expect(evaluateAt(T0 + 2 * H - 1)).toEqual([]);
    const [event, ...rest] = evaluateAt(T0 + 2 * H);
    expect(rest).toEqual([]);
    expect(event).toEqual({
      action: 'trigger',
      ticketId: ticket.id,
      tenantId: 'demo',
      cycle: 0,
      dedupKey: 'phase-console:console-1:ticket-1',
      atMs: T0 + 2 * H,
      openForMs: 2 * H,
      queued: 'queued',
    });
    expect(evaluateAt(T0 + 3 * H)).toEqual([]);
    expect(pd()).toHaveLength(1);
    expect(pd()[0]).toMatchObject({
      dedupKey: 'phase-console:console-1:ticket-1/trigger',
      groupKey: 'phase-console:console-1:ticket-1',
      body: {
        event_action: 'trigger',
        dedup_key: 'phase-console:console-1:ticket-1',
        payload: {
          summary: '[demo] Stream demo stalled',
          source: 'console-1',
          severity: 'critical',
          timestamp: '2026-03-01T12:00:00.000Z',
          component: 'demo',
          group: 'kaizen',
          class: 'detector',
          custom_details: {
            ticket_id: 1,
            tenant: 'demo',
            fingerprint: 'detector:stream-stalled:demo',
            opened_at: '2026-03-01T12:00:00.000Z',
            reopen_count: 0,
            open_for: '2h',
            summary: 'No frame since 12:00.',
          },
        },
        client: 'Phase console',
      },
    });
    const notes = kaizen.store.get(ticket.id)!.events.filter((e) => e.kind === 'noted');
    expect(notes.map((e) => [e.actor, e.detail])).toEqual([
      [
        PAGER_ACTOR,
        'Paged PagerDuty: open 2h without acknowledgement (dedup_key phase-console:console-1:ticket-1).',
      ],
    ]);
  });

  it.each([
    { name: 'an acknowledged ticket', input: {}, acknowledge: true, options: {} },
    { name: 'a warning', input: { severity: 'warning' as const }, acknowledge: false, options: {} },
    {
      name: 'another tenant’s ticket',
      input: { tenantId: 'live' },
      acknowledge: false,
      options: { tenant: 'demo' },
    },
  ])('does not page $name', ({ input, acknowledge, options }) => {
    const { kaizen, open, evaluateAt, pd } = setup(options);
    const ticket = open(input);
    if (acknowledge) kaizen.store.acknowledge(ticket.id, 'ana');
    expect(evaluateAt(T0 + 5 * H)).toEqual([]);
    expect(pd()).toEqual([]);
  });

  it('resolves the page with the same dedup_key when the ticket resolves, once', () => {
    const { kaizen, open, evaluateAt, pd, clock } = setup();
    const ticket = open();
    evaluateAt(T0 + 2 * H);
    clock.set(T0 + 2 * H + 30 * MIN);
    kaizen.store.resolveIncident('demo', ticket.fingerprint, { detail: 'frames resumed' });
    const [event] = evaluateAt(T0 + 2 * H + 30 * MIN);
    expect(event).toMatchObject({
      action: 'resolve',
      dedupKey: 'phase-console:console-1:ticket-1',
    });
    expect(evaluateAt(T0 + 4 * H)).toEqual([]);
    expect(pd().map((e) => [e.dedupKey, e.groupKey, e.body])).toEqual([
      [
        'phase-console:console-1:ticket-1/trigger',
        'phase-console:console-1:ticket-1',
        expect.anything(),
      ],
      [
        'phase-console:console-1:ticket-1/resolve',
        'phase-console:console-1:ticket-1',
        { event_action: 'resolve', dedup_key: 'phase-console:console-1:ticket-1' },
      ],
    ]);
  });

  it('treats a reopening as a new incident: resolves the old page, pages again after page-after', () => {
    const { kaizen, open, evaluateAt, pd, clock } = setup();
    const ticket = open();
    evaluateAt(T0 + 2 * H);
    clock.set(T0 + 2 * H + MIN);
    kaizen.store.resolveIncident('demo', ticket.fingerprint, {});
    clock.set(T0 + 2 * H + 2 * MIN);
    expect(open().reopenCount).toBe(1);
    expect(evaluateAt(T0 + 2 * H + 3 * MIN).map((e) => [e.action, e.cycle])).toEqual([
      ['resolve', 0],
    ]);
    expect(evaluateAt(T0 + 4 * H + 2 * MIN - 1)).toEqual([]);
    expect(evaluateAt(T0 + 4 * H + 2 * MIN).map((e) => [e.action, e.dedupKey])).toEqual([
      ['trigger', 'phase-console:console-1:ticket-1:reopen-1'],
    ]);
    expect(pd()).toHaveLength(3);
  });

  it('keeps nothing of a page it could not queue, and pages at the next evaluation', () => {
    const { kaizen, outbox, open, evaluateAt, pd } = setup({}, 1);
    outbox.enqueue({ channel: 'pagerduty', dedupKey: 'someone-else', body: {} });
    const ticket = open();
    const lines: string[] = [];
    const pager = createPager({
      store: kaizen.store,
      outbox,
      pageAfterMs: 2 * H,
      source: 'console-1',
      log: (line) => lines.push(line),
    });
    expect(pager.evaluate(T0 + 2 * H)).toEqual([]);
    expect(lines[0]).toContain('cannot page ticket 1: [notify] the pagerduty queue is full');
    expect(kaizen.store.get(ticket.id)!.noteCount).toBe(0);
    expect(pd()).toHaveLength(1);
    expect(() => outbox.enqueue({ channel: 'pagerduty', dedupKey: 'x', body: {} })).toThrow(
      NotifyQueueFullError,
    );
    // Room again: the next evaluation pages.
    const claim = outbox.claim(['pagerduty'], 1, Date.now(), 10_000)[0]!;
    outbox.markSent(claim, Date.now(), 202);
    expect(evaluateAt(T0 + 2 * H + 15_000).map((e) => e.action)).toEqual(['trigger']);
    expect(kaizen.store.get(ticket.id)!.noteCount).toBe(1);
  });
});
