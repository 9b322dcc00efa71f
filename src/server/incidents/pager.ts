// Escalation to PagerDuty: a ticket of a paging severity (critical by default) still open and
// unacknowledged `pageAfterMs` after it opened (or reopened) pages once, and the page resolves
// when the ticket resolves or reopens. The pager works from committed ticket state on every
// evaluation, so no change to how tickets are written is needed and a crash loses nothing: the
// page (its record, the PagerDuty trigger in the outbox and a note on the ticket's timeline)
// commits in one transaction, and so does each resolve; whatever a crash interrupted, the next
// evaluation finds still to do.
import { hostname } from 'node:os';
import { clipSummary, type PagerDutyResolve, type PagerDutyTrigger } from '../notify/pagerduty';
import type { EnqueueInput, EnqueueResult, Outbox } from '../notify/outbox';
import { migrate, type Migration } from '../storage/database';
import { formatDuration } from './digest';
import type { TicketStore } from './store';
import type { Severity, TicketSource } from './types';

export const PAGER_COMPONENT = 'kaizen-pager';
/** The actor of the pager's notes on ticket timelines. */
export const PAGER_ACTOR = 'pager';
export const DEFAULT_PAGE_AFTER_MS = 2 * 3_600_000;

const PAGER_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'PagerDuty pages of tickets',
    up: (db) =>
      db.exec(`
        CREATE TABLE kaizen_pages (
          ticket_id INTEGER NOT NULL,
          -- The ticket's reopen_count when paged: one page per opening or reopening.
          cycle INTEGER NOT NULL,
          -- PagerDuty's dedup_key of the incident; the resolve uses this, whatever the config says now.
          dedup_key TEXT NOT NULL,
          paged_at INTEGER NOT NULL,
          -- When the resolve went into the outbox; null while the page is open.
          resolved_at INTEGER,
          PRIMARY KEY (ticket_id, cycle)
        );
        CREATE INDEX kaizen_pages_open ON kaizen_pages (ticket_id) WHERE resolved_at IS NULL;
      `),
  },
];

/**
 * The outbox rows of a page and of its resolve, for both pagers: one PagerDuty incident per
 * dedup key, its trigger and its resolve queued under their own keys in one group, so the resolve
 * is sent after the trigger and neither twice.
 */
export function pageTriggerMessage(dedupKey: string, body: PagerDutyTrigger): EnqueueInput {
  return { channel: 'pagerduty', dedupKey: `${dedupKey}/trigger`, groupKey: dedupKey, body };
}

export function pageResolveMessage(dedupKey: string): EnqueueInput {
  const body: PagerDutyResolve = { event_action: 'resolve', dedup_key: dedupKey };
  return { channel: 'pagerduty', dedupKey: `${dedupKey}/resolve`, groupKey: dedupKey, body };
}

export interface PageEvent {
  action: 'trigger' | 'resolve';
  ticketId: number;
  tenantId: string | null;
  cycle: number;
  /** PagerDuty's dedup_key. */
  dedupKey: string;
  /** On the pager's clock. */
  atMs: number;
  /** For a trigger: how long the ticket had been open. */
  openForMs: number | null;
  queued: EnqueueResult;
}

export interface PagerOptions {
  /** Must write to the database of `outbox.db`: pages commit with their outbox rows. */
  store: TicketStore;
  outbox: Outbox;
  pageAfterMs?: number;
  severities?: readonly Severity[];
  /** Only this tenant's tickets (the canary pages its own tickets, not the others'). */
  tenant?: string;
  /** PagerDuty's payload.source: the affected system, the host name by default. */
  source?: string;
  /** The console's public address, for the link in the incident. */
  consoleUrl?: string;
  log?: (line: string) => void;
}

export interface Pager {
  readonly pageAfterMs: number;
  /** Pages what is due and resolves what has ended, at `nowMs` on the tickets' clock. */
  evaluate(nowMs: number): PageEvent[];
}

/** A ticket due for a page, as both pagers read it. */
export interface PageCandidate {
  id: number;
  tenant_id: string;
  title: string;
  severity: Severity;
  source: TicketSource;
  fingerprint: string;
  summary: string;
  opened_at: number;
  reopen_count: number;
  cycle_start: number;
}

interface OpenPageRow {
  ticket_id: number;
  cycle: number;
  dedup_key: string;
  tenant_id: string | null;
  status: string | null;
  reopen_count: number | null;
}

/** PagerDuty's trigger of a ticket's page. */
export function pagerDutyTrigger(
  t: PageCandidate,
  page: { dedupKey: string; openForMs: number; source: string; consoleUrl: string | undefined },
): PagerDutyTrigger {
  const { dedupKey, openForMs, source, consoleUrl } = page;
  const event: PagerDutyTrigger = {
    event_action: 'trigger',
    dedup_key: dedupKey,
    payload: {
      summary: clipSummary(`[${t.tenant_id}] ${t.title}`),
      source,
      severity: t.severity,
      timestamp: new Date(t.cycle_start).toISOString(),
      component: t.tenant_id,
      group: 'kaizen',
      class: t.source,
      custom_details: {
        ticket_id: t.id,
        tenant: t.tenant_id,
        fingerprint: t.fingerprint,
        opened_at: new Date(t.opened_at).toISOString(),
        reopen_count: t.reopen_count,
        open_for: formatDuration(openForMs / 1000),
        summary: t.summary,
      },
    },
    client: 'Phase console',
  };
  if (consoleUrl) event.client_url = `${consoleUrl}/?view=tickets&ticket=${t.id}`;
  return event;
}

/** The pager's note on the timeline of a ticket it paged. */
export const pageNote = (openForMs: number, dedupKey: string): string =>
  `Paged PagerDuty: open ${formatDuration(openForMs / 1000)} without acknowledgement ` +
  `(dedup_key ${dedupKey}).`;

/** The pager's note on the timeline of a ticket whose page it resolved. */
export const resolveNote = (dedupKey: string): string =>
  `Resolved the PagerDuty incident (dedup_key ${dedupKey}).`;

export function pagerDutyDedupKey(source: string, ticketId: number, cycle: number): string {
  return `phase-console:${source}:ticket-${ticketId}${cycle > 0 ? `:reopen-${cycle}` : ''}`;
}

export function createPager(options: PagerOptions): Pager {
  const { store, outbox } = options;
  const db = outbox.db;
  const pageAfterMs = options.pageAfterMs ?? DEFAULT_PAGE_AFTER_MS;
  const severities = JSON.stringify(options.severities ?? ['critical']);
  const tenant = options.tenant ?? null;
  const source = options.source ?? hostname();
  const consoleUrl = options.consoleUrl?.replace(/\/+$/, '');
  const log = options.log ?? (() => {});
  if (!Number.isFinite(pageAfterMs) || pageAfterMs < 0) {
    throw new RangeError(`[kaizen] page-after must be >= 0 ms, got ${pageAfterMs}`);
  }
  migrate(db, PAGER_COMPONENT, PAGER_MIGRATIONS);

  const stmt = {
    // `status != 'resolved'` lets SQLite scan the partial index of unresolved tickets.
    due: db.prepare(
      `SELECT t.id, t.tenant_id, t.title, t.severity, t.source, t.fingerprint, t.summary,
         t.opened_at, t.reopen_count,
         COALESCE((SELECT MAX(e.at) FROM ticket_events e
           WHERE e.ticket_id = t.id AND e.kind = 'reopened'), t.opened_at) AS cycle_start
       FROM tickets t
       WHERE t.status != 'resolved' AND t.status = 'open'
         AND t.severity IN (SELECT value FROM json_each(@severities))
         AND (@tenant IS NULL OR t.tenant_id = @tenant)
         AND t.opened_at <= @dueMs
         AND NOT EXISTS (SELECT 1 FROM kaizen_pages p
           WHERE p.ticket_id = t.id AND p.cycle = t.reopen_count)`,
    ),
    openPages: db.prepare(
      `SELECT p.ticket_id, p.cycle, p.dedup_key, t.tenant_id, t.status, t.reopen_count
       FROM kaizen_pages p LEFT JOIN tickets t ON t.id = p.ticket_id
       WHERE p.resolved_at IS NULL AND (@tenant IS NULL OR t.tenant_id = @tenant)`,
    ),
    insertPage: db.prepare(
      `INSERT INTO kaizen_pages (ticket_id, cycle, dedup_key, paged_at) VALUES (?, ?, ?, ?)`,
    ),
    resolvePage: db.prepare(
      `UPDATE kaizen_pages SET resolved_at = ? WHERE ticket_id = ? AND cycle = ?
         AND resolved_at IS NULL`,
    ),
  };

  const trigger = (t: PageCandidate, dedupKey: string, openForMs: number): PagerDutyTrigger =>
    pagerDutyTrigger(t, { dedupKey, openForMs, source, consoleUrl });

  const page = (t: PageCandidate, nowMs: number): PageEvent => {
    const dedupKey = pagerDutyDedupKey(source, t.id, t.reopen_count);
    const openForMs = nowMs - t.cycle_start;
    const queued = store.transaction(() => {
      stmt.insertPage.run(t.id, t.reopen_count, dedupKey, nowMs);
      const { result } = outbox.enqueue(
        pageTriggerMessage(dedupKey, trigger(t, dedupKey, openForMs)),
      );
      store.addNote(t.id, PAGER_ACTOR, pageNote(openForMs, dedupKey));
      return result;
    });
    return {
      action: 'trigger',
      ticketId: t.id,
      tenantId: t.tenant_id,
      cycle: t.reopen_count,
      dedupKey,
      atMs: nowMs,
      openForMs,
      queued,
    };
  };

  const resolve = (p: OpenPageRow, nowMs: number): PageEvent => {
    const queued = store.transaction(() => {
      stmt.resolvePage.run(nowMs, p.ticket_id, p.cycle);
      const { result } = outbox.enqueue(pageResolveMessage(p.dedup_key));
      if (p.status !== null) {
        store.addNote(p.ticket_id, PAGER_ACTOR, resolveNote(p.dedup_key));
      }
      return result;
    });
    return {
      action: 'resolve',
      ticketId: p.ticket_id,
      tenantId: p.tenant_id,
      cycle: p.cycle,
      dedupKey: p.dedup_key,
      atMs: nowMs,
      openForMs: null,
      queued,
    };
  };

  return {
    pageAfterMs,
    evaluate(nowMs) {
      const events: PageEvent[] = [];
      // Resolves first: a ticket that resolved and reopened closes its old page before the new.
      for (const p of stmt.openPages.all({ tenant }) as OpenPageRow[]) {
        const ended = p.status === null || p.status === 'resolved' || p.reopen_count !== p.cycle;
        if (!ended) continue;
        try {
          events.push(resolve(p, nowMs));
        } catch (error) {
          log(`[kaizen] cannot resolve page ${p.dedup_key}: ${(error as Error).message}`);
        }
      }
      const due = stmt.due.all({
        severities,
        tenant,
        dueMs: nowMs - pageAfterMs,
      }) as PageCandidate[];
      for (const t of due) {
        if (t.cycle_start > nowMs - pageAfterMs) continue;
        try {
          events.push(page(t, nowMs));
        } catch (error) {
          // Nothing of the page was kept: the next evaluation tries again.
          log(`[kaizen] cannot page ticket ${t.id}: ${(error as Error).message}`);
        }
      }
      return events;
    },
  };
}
