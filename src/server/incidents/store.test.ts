import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDatabase } from '../storage/database';
import { createTicketStore, TicketError, type TicketChange } from './store';
import { stallTicket, testKaizen } from '../../testing/kaizen-fixtures';
import { T0, virtualClock } from '../../testing/virtual-clock';
import { MAX_NOTE_CHARS } from './types';

const MIN = 60_000;

const input = stallTicket;

describe('opening tickets', () => {
  it('opens a ticket with an "opened" event, times in ms from the injected clock', () => {
    const { store } = testKaizen();
    const { result, ticket } = store.openOrDedup(input({ summary: 'no frame for 2 s' }));
    expect(result).toBe('opened');
    expect(ticket).toMatchObject({
      tenantId: 'demo',
      status: 'open',
      openedAtMs: T0,
      resolvedAtMs: null,
      summary: 'no frame for 2 s',
    });
    expect(store.get(ticket.id)!.events.map((e) => [e.kind, e.atMs, e.actor])).toEqual([
      ['opened', T0, 'detector'],
    ]);
  });

  it.each([
    {
      name: 'the same fingerprint while unresolved deduplicates into the same ticket',
      second: {},
      expected: 'deduplicated',
      sameTicket: true,
    },
    {
      name: 'the same fingerprint while acknowledged deduplicates too',
      second: {},
      acknowledgeFirst: true,
      expected: 'deduplicated',
      sameTicket: true,
    },
    {
      name: 'another fingerprint opens another ticket',
      second: { fingerprint: 'detector:latency-above-slo:demo' },
      expected: 'opened',
      sameTicket: false,
    },
    {
      name: 'the same fingerprint in another tenant opens another ticket',
      second: { tenantId: 'acme' },
      expected: 'opened',
      sameTicket: false,
    },
  ])('$name', ({ second, expected, sameTicket, acknowledgeFirst }) => {
    const { store } = testKaizen();
    const first = store.openOrDedup(input()).ticket;
    if (acknowledgeFirst) store.acknowledge(first.id, 'ana');
    const again = store.openOrDedup(input(second));
    expect(again.result).toBe(expected);
    expect(again.ticket.id === first.id).toBe(sameTicket);
  });

  it.each([
    { name: 'inside the window reopens the same ticket', afterMs: 10 * MIN, expected: 'reopened' },
    {
      name: 'just past the window opens a new incident',
      afterMs: 10 * MIN + 1,
      expected: 'opened',
    },
  ])('firing again after resolution $name', ({ afterMs, expected }) => {
    const { store, clock } = testKaizen();
    const first = store.openOrDedup(input()).ticket;
    clock.advance(MIN);
    store.resolveIncident('demo', first.fingerprint, {});
    clock.advance(afterMs);
    const again = store.openOrDedup(input());
    expect(again.result).toBe(expected);
    expect(again.ticket.id === first.id).toBe(expected === 'reopened');
  });

  it('a reopened ticket keeps its opening time, loses its resolution and counts the reopen', () => {
    const { store, clock } = testKaizen();
    const first = store.openOrDedup(input()).ticket;
    clock.advance(MIN);
    store.resolve(first.id, { by: 'ana', outcome: 'true_positive' });
    clock.advance(2 * MIN);
    const { ticket } = store.openOrDedup(input());
    expect(ticket).toMatchObject({
      status: 'open',
      openedAtMs: T0,
      resolvedAtMs: null,
      resolvedBy: null,
      outcome: null,
      reopenCount: 1,
    });
    expect(store.get(ticket.id)!.events.map((e) => e.kind)).toEqual([
      'opened',
      'resolved',
      'reopened',
    ]);
  });

  it('honours a configured reopen window', () => {
    const { store, clock } = testKaizen({ config: { reopenWindowMs: MIN } });
    const first = store.openOrDedup(input()).ticket;
    store.resolveIncident('demo', first.fingerprint, {});
    clock.advance(2 * MIN);
    expect(store.openOrDedup(input()).result).toBe('opened');
  });

  it('takes an earlier start time (an alert that began before it reached us), never a later one', () => {
    const { store } = testKaizen();
    expect(store.openOrDedup(input({ atMs: T0 - MIN })).ticket.openedAtMs).toBe(T0 - MIN);
    expect(store.openOrDedup(input({ fingerprint: 'x', atMs: T0 + MIN })).ticket.openedAtMs).toBe(
      T0,
    );
  });

  it.each([
    { name: 'an empty title', overrides: { title: ' ' }, code: 'invalid' },
    { name: 'an empty actor', overrides: { actor: '' }, code: 'invalid' },
    {
      name: 'a summary over the note limit',
      overrides: { summary: 'x'.repeat(MAX_NOTE_CHARS + 1) },
      code: 'too_large',
    },
  ])('refuses $name and stores nothing', ({ overrides, code }) => {
    const { store } = testKaizen();
    expect(() => store.openOrDedup(input(overrides))).toThrow(
      expect.objectContaining({ code }) as Error,
    );
    expect(store.list({}, { limit: 10 }).total).toBe(0);
  });
});

describe('acknowledging, resolving and notes', () => {
  it('acknowledges once: a second acknowledgement changes nothing', () => {
    const { store, clock } = testKaizen();
    const { ticket } = store.openOrDedup(input());
    clock.advance(MIN);
    expect(store.acknowledge(ticket.id, 'ana')).toMatchObject({
      status: 'acknowledged',
      acknowledgedAtMs: T0 + MIN,
    });
    clock.advance(MIN);
    expect(store.acknowledge(ticket.id, 'bo').acknowledgedAtMs).toBe(T0 + MIN);
    expect(store.get(ticket.id)!.events.filter((e) => e.kind === 'acknowledged')).toHaveLength(1);
  });

  it.each([
    { name: 'acknowledging a resolved ticket', act: 'ack', code: 'conflict' },
    { name: 'resolving a resolved ticket', act: 'resolve', code: 'conflict' },
  ])('refuses $name', ({ act, code }) => {
    const { store } = testKaizen();
    const { ticket } = store.openOrDedup(input());
    store.resolve(ticket.id, { by: 'ana', outcome: 'false_positive' });
    const run = () =>
      act === 'ack'
        ? store.acknowledge(ticket.id, 'bo')
        : store.resolve(ticket.id, { by: 'bo', outcome: 'true_positive' });
    expect(run).toThrow(expect.objectContaining({ code }) as Error);
  });

  it('resolves by a person with an outcome, or automatically without one', () => {
    const { store, clock } = testKaizen();
    const a = store.openOrDedup(input()).ticket;
    const b = store.openOrDedup(input({ fingerprint: 'other' })).ticket;
    clock.advance(5 * MIN);
    expect(store.resolve(a.id, { by: 'ana', outcome: 'false_positive' })).toMatchObject({
      status: 'resolved',
      resolvedAtMs: T0 + 5 * MIN,
      resolvedBy: 'ana',
      outcome: 'false_positive',
    });
    expect(store.resolveIncident('demo', 'other', {})).toMatchObject({
      resolvedBy: 'auto',
      outcome: null,
    });
    expect(() => store.resolve(b.id, { by: 'auto', outcome: 'true_positive' })).toThrow(
      TicketError,
    );
  });

  it('clamps a remote end time into [opened, now]', () => {
    const { store, clock } = testKaizen();
    store.openOrDedup(input());
    clock.advance(MIN);
    const early = store.resolveIncident('demo', input().fingerprint, { atMs: T0 - MIN });
    expect(early!.resolvedAtMs).toBe(T0);
  });

  it('resolving an incident with nothing unresolved is a no-op', () => {
    const { store } = testKaizen();
    expect(store.resolveIncident('demo', 'never-seen', {})).toBeUndefined();
  });

  it('adds notes up to 10,000 characters and counts them', () => {
    const { store } = testKaizen();
    const { ticket } = store.openOrDedup(input());
    const note = store.addNote(ticket.id, 'ana', 'x'.repeat(MAX_NOTE_CHARS));
    expect(note).toMatchObject({ kind: 'noted', actor: 'ana', ticketId: ticket.id });
    expect(() => store.addNote(ticket.id, 'ana', 'x'.repeat(MAX_NOTE_CHARS + 1))).toThrow(
      expect.objectContaining({ code: 'too_large' }) as Error,
    );
    expect(() => store.addNote(999, 'ana', 'hello')).toThrow(
      expect.objectContaining({ code: 'not_found' }) as Error,
    );
    expect(store.get(ticket.id)!.noteCount).toBe(1);
  });
});

describe('listing', () => {
  function seeded() {
    const k = testKaizen();
    const { store, clock } = k;
    const specs = [
      { tenantId: 'demo', severity: 'critical', source: 'detector' },
      { tenantId: 'demo', severity: 'warning', source: 'alertmanager' },
      { tenantId: 'acme', severity: 'critical', source: 'manual' },
      { tenantId: 'acme', severity: 'error', source: 'alertmanager' },
      { tenantId: 'demo', severity: 'info', source: 'manual' },
    ] as const;
    const ids = specs.map((spec, i) => {
      clock.advance(MIN);
      return store.openOrDedup(input({ ...spec, fingerprint: `f${i}` })).ticket.id;
    });
    clock.advance(MIN);
    store.resolve(ids[0]!, { by: 'ana', outcome: 'true_positive' });
    store.resolveIncident('acme', 'f3', {});
    store.acknowledge(ids[1]!, 'bo');
    return { ...k, ids };
  }

  it.each([
    { name: 'everything, newest first', filter: {}, expected: [4, 3, 2, 1, 0] },
    { name: 'a tenant set', filter: { tenants: new Set(['acme']) }, expected: [3, 2] },
    {
      name: 'an empty tenant set shows nothing',
      filter: { tenants: new Set<string>() },
      expected: [],
    },
    { name: 'one tenant', filter: { tenant: 'demo' }, expected: [4, 1, 0] },
    { name: 'severities', filter: { severities: ['critical', 'error'] }, expected: [3, 2, 0] },
    { name: 'a status', filter: { statuses: ['acknowledged'] }, expected: [1] },
    { name: 'unresolved', filter: { statuses: ['open', 'acknowledged'] }, expected: [4, 2, 1] },
    { name: 'a source', filter: { sources: ['alertmanager'] }, expected: [3, 1] },
    { name: 'resolved by a person', filter: { resolvedBy: 'person' }, expected: [0] },
    { name: 'resolved automatically', filter: { resolvedBy: 'auto' }, expected: [3] },
    { name: 'opened since', filter: { openedSinceMs: T0 + 3 * MIN }, expected: [4, 3, 2] },
    { name: 'resolved since', filter: { resolvedSinceMs: T0 }, expected: [3, 0] },
  ] as const)('filters by $name', ({ filter, expected }) => {
    const { store, ids } = seeded();
    const page = store.list(filter, { limit: 50 });
    expect(page.tickets.map((t) => ids.indexOf(t.id))).toEqual(expected);
    expect(page.total).toBe(expected.length);
  });

  it('pages with a cursor: every ticket once, the total on every page', () => {
    const { store, ids } = seeded();
    const seen: number[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 10; pages++) {
      const page = store.list({}, { limit: 2, cursor });
      expect(page.total).toBe(5);
      seen.push(...page.tickets.map((t) => t.id));
      if (page.nextCursor === null) break;
      cursor = page.nextCursor;
    }
    expect(seen).toEqual([...ids].reverse());
  });

  it('refuses a cursor it did not hand out', () => {
    const { store } = seeded();
    expect(() => store.list({}, { limit: 2, cursor: 'bm9wZQ' })).toThrow(
      expect.objectContaining({ code: 'invalid' }) as Error,
    );
  });
});

describe('transactions and change listeners', () => {
  it('tells listeners after commit, and nothing of a rolled-back batch', () => {
    const { store } = testKaizen();
    const changes: TicketChange[] = [];
    store.onChange((c) => changes.push(c));
    expect(() =>
      store.transaction(() => {
        store.openOrDedup(input());
        expect(changes).toHaveLength(0);
        throw new Error('half-way');
      }),
    ).toThrow('half-way');
    expect(changes).toHaveLength(0);
    expect(store.list({}, { limit: 10 }).total).toBe(0);
    store.transaction(() => {
      store.openOrDedup(input());
      store.resolveIncident('demo', input().fingerprint, {});
    });
    expect(changes.map((c) => c.kind)).toEqual(['opened', 'resolved']);
  });

  it('keeps tickets across reopening the database file', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'phase-kaizen-'));
    const clock = virtualClock();
    const first = createTicketStore({ db: openDatabase(dir), now: clock.now });
    const { ticket } = first.openOrDedup(input());
    const again = createTicketStore({ db: openDatabase(dir), now: clock.now });
    expect(again.openOrDedup(input())).toMatchObject({
      result: 'deduplicated',
      ticket: { id: ticket.id },
    });
  });
});
