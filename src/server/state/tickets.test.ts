// One suite, two backends: the ticket state behaves the same on SQLite files and on a PostgreSQL
// cluster the test starts itself; and several instances on one state (gateways of a cluster)
// file one ticket per incident however many of them receive the same alert at once.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { stallTicket } from '../../testing/kaizen-fixtures';
import { stateBackends, type StateFixture } from '../../testing/state-backends';
import { T0, virtualClock, type VirtualClock } from '../../testing/virtual-clock';
import { TicketError, type TicketChange } from '../incidents/store';
import { MAX_NOTE_CHARS } from '../incidents/types';
import type { TicketFiling, TicketState } from './tickets';

const MIN = 60_000;

for (const harness of stateBackends()) {
  if (harness.missing)
    console.warn(`[state] skipping the ${harness.backend} suite: ${harness.missing}`);

  describe.skipIf(harness.missing !== null)(`ticket state on ${harness.backend}`, () => {
    let fixture: StateFixture;
    let clock: VirtualClock;
    let state: TicketState;

    beforeAll(() => harness.start());
    afterAll(() => harness.stop());
    beforeEach(async () => {
      fixture = await harness.fixture();
      clock = virtualClock();
      state = await fixture.tickets({ now: clock.now, reopenWindowMs: 10 * MIN });
    });
    afterEach(() => fixture.close());

    it('opens a ticket with an "opened" event, times from the injected clock', async () => {
      const { result, ticket } = await state.openOrDedup(stallTicket({ summary: 'no frame' }));
      expect(result).toBe('opened');
      expect(ticket).toMatchObject({
        tenantId: 'demo',
        visibility: 'public',
        status: 'open',
        openedAtMs: T0,
        resolvedAtMs: null,
        summary: 'no frame',
        reopenCount: 0,
        noteCount: 0,
      });
      const read = await state.get(ticket.id);
      expect(read!.events.map((e) => [e.kind, e.atMs, e.actor])).toEqual([
        ['opened', T0, 'detector'],
      ]);
      expect(await state.get(ticket.id + 1000)).toBeUndefined();
    });

    it('deduplicates while unresolved, opens anew per tenant and fingerprint', async () => {
      const first = (await state.openOrDedup(stallTicket())).ticket;
      await state.acknowledge(first.id, 'ana');
      const again = await state.openOrDedup(stallTicket({ detail: 'still stalled' }));
      expect(again.result).toBe('deduplicated');
      expect(again.ticket.id).toBe(first.id);
      expect(again.ticket.status).toBe('acknowledged');
      const other = await state.openOrDedup(stallTicket({ tenantId: 'acme' }));
      expect(other.result).toBe('opened');
      expect(other.ticket.id).not.toBe(first.id);
      const events = (await state.get(first.id))!.events;
      expect(events.map((e) => [e.kind, e.detail])).toEqual([
        ['opened', ''],
        ['acknowledged', ''],
        ['deduplicated', 'still stalled'],
      ]);
      expect(await state.findUnresolved('demo', stallTicket().fingerprint)).toMatchObject({
        id: first.id,
      });
      expect(await state.findUnresolved('demo', 'nothing')).toBeUndefined();
    });

    it('reopens within the reopen window and opens a new ticket after it', async () => {
      const first = (await state.openOrDedup(stallTicket())).ticket;
      clock.advance(MIN);
      await state.resolveIncident('demo', first.fingerprint, {});
      clock.advance(5 * MIN);
      const reopened = await state.openOrDedup(stallTicket());
      expect(reopened.result).toBe('reopened');
      expect(reopened.ticket).toMatchObject({
        id: first.id,
        status: 'open',
        resolvedAtMs: null,
        resolvedBy: null,
        reopenCount: 1,
      });
      await state.resolve(first.id, { by: 'ana', outcome: 'true_positive' });
      clock.advance(11 * MIN);
      const fresh = await state.openOrDedup(stallTicket());
      expect(fresh.result).toBe('opened');
      expect(fresh.ticket.id).not.toBe(first.id);
    });

    it('resolves once: conflicts, unknown tickets and automatic outcomes are refused', async () => {
      const { ticket } = await state.openOrDedup(stallTicket({ atMs: T0 - 5 * MIN }));
      expect(ticket.openedAtMs).toBe(T0 - 5 * MIN);
      clock.advance(2 * MIN);
      // A remote clock ahead of ours cannot end the incident in the future.
      const resolved = await state.resolve(ticket.id, {
        by: 'ana',
        outcome: 'false_positive',
        atMs: T0 + 60 * MIN,
      });
      expect(resolved).toMatchObject({
        status: 'resolved',
        resolvedAtMs: T0 + 2 * MIN,
        resolvedBy: 'ana',
        outcome: 'false_positive',
      });
      await expect(state.resolve(ticket.id, { by: 'ana' })).rejects.toMatchObject({
        code: 'conflict',
      });
      await expect(state.acknowledge(ticket.id, 'ana')).rejects.toMatchObject({ code: 'conflict' });
      await expect(state.resolve(9999, { by: 'ana' })).rejects.toMatchObject({ code: 'not_found' });
      const other = (await state.openOrDedup(stallTicket({ fingerprint: 'f2' }))).ticket;
      await expect(
        state.resolve(other.id, { by: 'auto', outcome: 'true_positive' }),
      ).rejects.toBeInstanceOf(TicketError);
      expect(await state.resolveIncident('demo', 'no-such', {})).toBeUndefined();
    });

    it('refuses bad input with the reason and keeps the state as it was', async () => {
      await expect(state.openOrDedup(stallTicket({ title: '  ' }))).rejects.toMatchObject({
        code: 'invalid',
      });
      await expect(
        state.openOrDedup(stallTicket({ summary: 'x'.repeat(MAX_NOTE_CHARS + 1) })),
      ).rejects.toMatchObject({ code: 'too_large' });
      await expect(state.openOrDedup(stallTicket({ actor: '' }))).rejects.toMatchObject({
        code: 'invalid',
      });
      const { ticket } = await state.openOrDedup(stallTicket());
      await expect(state.addNote(ticket.id, 'ana', ' ')).rejects.toMatchObject({ code: 'invalid' });
      await expect(state.addNote(404, 'ana', 'hi')).rejects.toMatchObject({ code: 'not_found' });
      await expect(state.list({}, { limit: 5, cursor: 'bm90IG91cnM' })).rejects.toMatchObject({
        code: 'invalid',
      });
      expect((await state.list({}, { limit: 10 })).total).toBe(1);
    });

    it('files text with a NUL character, which PostgreSQL cannot store, all the same', async () => {
      const odd = stallTicket({
        fingerprint: 'am:\u0000x',
        summary: 'a\u0000b',
        detail: 'c\u0000',
      });
      const first = await state.openOrDedup(odd);
      const again = await state.openOrDedup(odd);
      expect([first.result, again.result]).toEqual(['opened', 'deduplicated']);
      expect(first.ticket.summary.replace('\ufffd', '\u0000')).toBe('a\u0000b');
      expect(await state.findUnresolved('demo', 'am:\u0000x')).toMatchObject({
        id: first.ticket.id,
      });
      await state.addNote(first.ticket.id, 'ana', 'see \u0000');
      expect(await state.resolveIncident('demo', 'am:\u0000x', {})).toMatchObject({
        status: 'resolved',
      });
    });

    it('adds notes to the timeline and counts them', async () => {
      const { ticket } = await state.openOrDedup(stallTicket());
      clock.advance(1000);
      const note = await state.addNote(ticket.id, 'ana', 'restarted the source');
      expect(note).toMatchObject({
        ticketId: ticket.id,
        atMs: T0 + 1000,
        kind: 'noted',
        actor: 'ana',
        detail: 'restarted the source',
      });
      expect((await state.get(ticket.id))!.noteCount).toBe(1);
    });

    it('lists newest first with filters, totals and a keyset cursor', async () => {
      const ids: number[] = [];
      for (let i = 0; i < 5; i += 1) {
        clock.advance(1000);
        const tenantId = i % 2 === 0 ? 'demo' : 'acme';
        const severity = i < 3 ? 'critical' : 'warning';
        ids.push(
          (await state.openOrDedup(stallTicket({ tenantId, severity, fingerprint: `f${i}` })))
            .ticket.id,
        );
      }
      await state.resolve(ids[0]!, { by: 'ana' });
      await state.resolveIncident('acme', 'f1', {});
      const first = await state.list({}, { limit: 2 });
      expect(first.total).toBe(5);
      expect(first.tickets.map((t) => t.id)).toEqual([ids[4], ids[3]]);
      const second = await state.list({}, { limit: 2, cursor: first.nextCursor! });
      expect(second.tickets.map((t) => t.id)).toEqual([ids[2], ids[1]]);
      const third = await state.list({}, { limit: 2, cursor: second.nextCursor! });
      expect(third.tickets.map((t) => t.id)).toEqual([ids[0]]);
      expect(third.nextCursor).toBeNull();

      const demo = await state.list({ tenants: new Set(['demo']) }, { limit: 10 });
      expect(demo.tickets.map((t) => t.id)).toEqual([ids[4], ids[2], ids[0]]);
      expect((await state.list({ tenants: new Set() }, { limit: 10 })).total).toBe(0);
      expect((await state.list({ tenant: 'acme' }, { limit: 10 })).total).toBe(2);
      expect((await state.list({ severities: ['warning'] }, { limit: 10 })).total).toBe(2);
      expect((await state.list({ statuses: ['resolved'] }, { limit: 10 })).total).toBe(2);
      expect(
        (await state.list({ resolvedBy: 'auto' }, { limit: 10 })).tickets.map((t) => t.id),
      ).toEqual([ids[1]]);
      expect(
        (await state.list({ resolvedBy: 'person' }, { limit: 10 })).tickets.map((t) => t.id),
      ).toEqual([ids[0]]);
      expect((await state.list({ openedSinceMs: T0 + 4000 }, { limit: 10 })).total).toBe(2);
      expect((await state.list({ sources: ['manual'] }, { limit: 10 })).total).toBe(0);
    });

    it('reports resolutions for MTTR, open counts for the gauge, and follows visibility', async () => {
      const a = (await state.openOrDedup(stallTicket())).ticket;
      const b = (await state.openOrDedup(stallTicket({ tenantId: 'acme', severity: 'error' })))
        .ticket;
      await state.openOrDedup(stallTicket({ fingerprint: 'f3', severity: 'warning' }));
      await state.acknowledge(b.id, 'ana');
      clock.advance(3 * MIN);
      await state.resolve(a.id, { by: 'ana' });
      expect(await state.resolvedBetween({}, T0, T0 + 10 * MIN)).toEqual([
        {
          tenantId: 'demo',
          severity: 'critical',
          openedAtMs: T0,
          resolvedAtMs: T0 + 3 * MIN,
          resolvedBy: 'ana',
        },
      ]);
      expect(await state.resolvedBetween({ tenant: 'acme' }, T0, T0 + 10 * MIN)).toEqual([]);
      expect(await state.resolvedBetween({ tenants: new Set(['x']) }, T0, T0 + 10 * MIN)).toEqual(
        [],
      );
      const counts = await state.unresolvedCounts();
      expect(counts).toEqual(
        expect.arrayContaining([
          { tenantId: 'acme', severity: 'error', status: 'acknowledged', count: 1 },
          { tenantId: 'demo', severity: 'warning', status: 'open', count: 1 },
        ]),
      );
      expect(counts).toHaveLength(2);
      expect(await state.setTenantVisibility('demo', 'private')).toBe(2);
      expect(await state.setTenantVisibility('demo', 'private')).toBe(0);
      expect((await state.get(a.id))!.visibility).toBe('private');
    });

    it('tells change listeners of each committed change, once', async () => {
      const changes: TicketChange[] = [];
      const stop = state.onChange((c) => changes.push(c));
      const { ticket } = await state.openOrDedup(stallTicket());
      await state.acknowledge(ticket.id, 'ana');
      await expect(state.resolve(404, { by: 'ana' })).rejects.toThrow();
      expect(changes.map((c) => [c.kind, c.ticket.id, c.ticket.status])).toEqual([
        ['opened', ticket.id, 'open'],
        ['acknowledged', ticket.id, 'acknowledged'],
      ]);
      stop();
      await state.addNote(ticket.id, 'ana', 'quiet now');
      expect(changes).toHaveLength(2);
    });

    it.skipIf(harness.backend === 'sqlite')(
      'tells another gateway of the changes made through this one',
      async () => {
        const gateway = await fixture.tickets({ now: clock.now });
        const heard: TicketChange[] = [];
        gateway.onChange((c) => heard.push(c));
        // The other gateway's feed starts with its first listener: file until it is heard.
        await expect
          .poll(
            async () => {
              await state.openOrDedup(stallTicket());
              return heard.length;
            },
            { timeout: 5000, interval: 50 },
          )
          .toBeGreaterThan(0);
        const ticket = heard[0]!.ticket;
        await state.acknowledge(ticket.id, 'ana');
        await expect
          .poll(() => heard.find((c) => c.kind === 'acknowledged'), { timeout: 1000 })
          .toMatchObject({ ticket: { id: ticket.id, status: 'acknowledged' } });
        expect(heard.filter((c) => c.kind === 'acknowledged')).toHaveLength(1);
      },
    );

    it('files a batch in order, all of it or none of it', async () => {
      const open = (fingerprint: string, tenantId = 'demo'): TicketFiling => ({
        kind: 'open',
        input: stallTicket({
          fingerprint,
          tenantId,
          source: 'alertmanager',
          actor: 'alertmanager',
        }),
      });
      const end = (fingerprint: string): TicketFiling => ({
        kind: 'resolve',
        tenantId: 'demo',
        fingerprint,
        input: { detail: 'resolved in Alertmanager' },
      });
      const opened: string[] = [];
      const results = await state.file(
        [open('a'), open('a'), open('b', 'acme'), end('a'), end('zz')],
        (t) => opened.push(t),
      );
      expect(results.map((r) => r.outcome)).toEqual([
        'opened',
        'deduplicated',
        'opened',
        'resolved',
        'ignored',
      ]);
      expect(results[3]!.ticket).toMatchObject({ status: 'resolved', resolvedBy: 'auto' });
      expect(opened).toEqual(['demo', 'acme']);

      // Past an allowance the whole batch rolls back, the filings before the refusal included.
      const refuse = (tenantId: string) => {
        if (tenantId === 'acme') throw new Error('acme is over its allowance');
      };
      await expect(state.file([open('c'), open('d', 'acme')], refuse)).rejects.toThrow(
        /over its allowance/,
      );
      const untitled: TicketFiling = { kind: 'open', input: stallTicket({ title: ' ' }) };
      await expect(state.file([open('e'), untitled])).rejects.toMatchObject({
        code: 'invalid',
      });
      const all = await state.list({}, { limit: 10 });
      expect(all.tickets.map((t) => t.fingerprint).sort()).toEqual(['a', 'b']);
      expect((await state.get(results[0]!.ticket!.id))!.events.map((e) => e.kind)).toEqual([
        'opened',
        'deduplicated',
        'resolved',
      ]);
    });

    it('files one ticket when the same alert reaches every gateway at once', async () => {
      const gateways = [
        state,
        ...(await Promise.all([1, 2, 3].map(() => fixture.tickets({ now: clock.now })))),
      ];
      const alert = stallTicket({
        source: 'alertmanager',
        actor: 'alertmanager',
        fingerprint: 'am:1',
      });
      const results = await Promise.all(
        gateways.flatMap((g) => [g.openOrDedup(alert), g.openOrDedup(alert)]),
      );
      const ids = new Set(results.map((r) => r.ticket.id));
      expect(ids.size).toBe(1);
      expect(results.filter((r) => r.result === 'opened')).toHaveLength(1);
      expect(results.filter((r) => r.result === 'deduplicated')).toHaveLength(7);
      const events = (await state.get([...ids][0]!))!.events;
      expect(events.map((e) => e.kind)).toEqual(['opened', ...Array(7).fill('deduplicated')]);
      // Batches sharing incidents in opposite orders, through two gateways: no deadlock.
      const x = stallTicket({ fingerprint: 'am:x' });
      const y = stallTicket({ fingerprint: 'am:y' });
      const batches = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          gateways[i % gateways.length]!.file(
            (i % 2 === 0 ? [x, y] : [y, x]).map((input) => ({ kind: 'open' as const, input })),
          ),
        ),
      );
      expect(batches.flat().filter((r) => r.outcome === 'opened')).toHaveLength(2);
      // Resolved through one gateway while another reopens: one ticket still.
      await Promise.all([
        gateways[1]!.resolveIncident('demo', 'am:1', {}),
        gateways[2]!.resolve([...ids][0]!, { by: 'ana' }).catch((e: TicketError) => e.code),
      ]);
      const again = await Promise.all(gateways.map((g) => g.openOrDedup(alert)));
      expect(new Set(again.map((r) => r.ticket.id))).toEqual(ids);
      expect((await state.list({}, { limit: 10 })).total).toBe(3);
    });
  });
}
