// The pager of a cluster (--database): the rules of pager.ts over the tickets every gateway shares
// in PostgreSQL. Each page (its row in kaizen_pages, the PagerDuty trigger in the cluster's outbox
// and the note on the ticket's timeline) commits in one PostgreSQL transaction, and so does each
// resolve, so a crash loses or doubles nothing. Once in the cluster: a gateway pages only the
// tenants whose pager lease it holds, and even two pagers on one ticket at once page it once
// (the page's primary key and the ticket's row lock decide between them).
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { PgOutbox } from '../notify/pg-outbox';
import { inTransaction, type PgClient, type PgPool } from '../state/pg';
import { recordTicketEvent } from '../state/pg-tickets';
import {
  DEFAULT_PAGE_AFTER_MS,
  PAGER_ACTOR,
  pageNote,
  pageResolveMessage,
  pageTriggerMessage,
  pagerDutyDedupKey,
  pagerDutyTrigger,
  resolveNote,
  type PageCandidate,
  type PageEvent,
} from './pager';
import type { Severity } from './types';

export interface PgPagerOptions {
  pool: PgPool;
  /** Over the same database: pages commit with their outbox rows. */
  outbox: PgOutbox;
  pageAfterMs?: number;
  severities?: readonly Severity[];
  /** Whether this process pages the tenant now (its lease); default: every tenant. */
  owns?: (tenantId: string) => boolean;
  /** PagerDuty's payload.source: the affected system, the host name by default. */
  source?: string;
  consoleUrl?: string;
  log?: (line: string) => void;
}

export interface PgPager {
  readonly pageAfterMs: number;
  /** Pages what is due and resolves what has ended, at `nowMs` on the tickets' clock. */
  evaluate(nowMs: number): Promise<PageEvent[]>;
}

interface OpenPageRow {
  ticket_id: number;
  tenant_id: string;
  cycle: number;
  dedup_key: string;
  status: string | null;
  reopen_count: number | null;
}

export function createPgPager(options: PgPagerOptions): PgPager {
  const { pool, outbox } = options;
  const pageAfterMs = options.pageAfterMs ?? DEFAULT_PAGE_AFTER_MS;
  const severities = [...(options.severities ?? ['critical'])];
  const owns = options.owns ?? (() => true);
  const source = options.source ?? hostname();
  const consoleUrl = options.consoleUrl?.replace(/\/+$/, '');
  const log = options.log ?? (() => {});
  // Not the ticket store's origin: every gateway's store, this one's too, hears the pager's notes.
  const origin = `pager:${randomUUID()}`;
  if (!Number.isFinite(pageAfterMs) || pageAfterMs < 0) {
    throw new RangeError(`[kaizen] page-after must be >= 0 ms, got ${pageAfterMs}`);
  }

  /** Whether the ticket is still in the state the candidate was read in, locked until commit. */
  const stillDue = async (client: PgClient, t: PageCandidate): Promise<boolean> => {
    const { rows } = await client.query<{ status: string; reopen_count: number }>(
      'SELECT status, reopen_count FROM tickets WHERE tenant_id = $1 AND id = $2 FOR UPDATE',
      [t.tenant_id, t.id],
    );
    return rows[0]?.status === 'open' && rows[0].reopen_count === t.reopen_count;
  };

  /** Null when another pager paged it first, or the ticket changed since it was read. */
  const page = (t: PageCandidate, nowMs: number): Promise<PageEvent | null> =>
    inTransaction(pool, async (client) => {
      if (!(await stillDue(client, t))) return null;
      const dedupKey = pagerDutyDedupKey(source, t.id, t.reopen_count);
      const openForMs = nowMs - t.cycle_start;
      const { rowCount } = await client.query(
        `INSERT INTO kaizen_pages (tenant_id, ticket_id, cycle, dedup_key, paged_at)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
        [t.tenant_id, t.id, t.reopen_count, dedupKey, nowMs],
      );
      if (rowCount !== 1) return null;
      const { result } = await outbox.enqueueIn(
        client,
        pageTriggerMessage(
          dedupKey,
          pagerDutyTrigger(t, { dedupKey, openForMs, source, consoleUrl }),
        ),
        nowMs,
      );
      const ticket = { id: t.id, tenantId: t.tenant_id };
      await recordTicketEvent(
        client,
        origin,
        ticket,
        nowMs,
        'noted',
        PAGER_ACTOR,
        pageNote(openForMs, dedupKey),
      );
      return {
        action: 'trigger' as const,
        ticketId: t.id,
        tenantId: t.tenant_id,
        cycle: t.reopen_count,
        dedupKey,
        atMs: nowMs,
        openForMs,
        queued: result,
      };
    });

  /** Null when another pager resolved it first. */
  const resolve = (p: OpenPageRow, nowMs: number): Promise<PageEvent | null> =>
    inTransaction(pool, async (client) => {
      // The row lock makes a second resolver wait, then find the page resolved.
      const { rowCount } = await client.query(
        `UPDATE kaizen_pages SET resolved_at = $1
         WHERE ticket_id = $2 AND cycle = $3 AND resolved_at IS NULL`,
        [nowMs, p.ticket_id, p.cycle],
      );
      if (rowCount !== 1) return null;
      const { result } = await outbox.enqueueIn(client, pageResolveMessage(p.dedup_key), nowMs);
      if (p.status !== null) {
        const ticket = { id: p.ticket_id, tenantId: p.tenant_id };
        await recordTicketEvent(
          client,
          origin,
          ticket,
          nowMs,
          'noted',
          PAGER_ACTOR,
          resolveNote(p.dedup_key),
        );
      }
      return {
        action: 'resolve' as const,
        ticketId: p.ticket_id,
        tenantId: p.tenant_id,
        cycle: p.cycle,
        dedupKey: p.dedup_key,
        atMs: nowMs,
        openForMs: null,
        queued: result,
      };
    });

  const settle = async (
    events: PageEvent[],
    what: string,
    run: () => Promise<PageEvent | null>,
  ): Promise<void> => {
    try {
      const event = await run();
      if (event) events.push(event);
    } catch (error) {
      // The transaction rolled back: nothing of it was kept, and the next evaluation tries again.
      log(`[kaizen] cannot ${what}: ${(error as Error).message}`);
    }
  };

  return {
    pageAfterMs,
    async evaluate(nowMs) {
      const events: PageEvent[] = [];
      // Resolves first: a ticket that resolved and reopened closes its old page before the new.
      const { rows: open } = await pool.query<OpenPageRow>(
        `SELECT p.ticket_id, p.tenant_id, p.cycle, p.dedup_key, t.status, t.reopen_count
         FROM kaizen_pages p LEFT JOIN tickets t ON t.tenant_id = p.tenant_id AND t.id = p.ticket_id
         WHERE p.resolved_at IS NULL ORDER BY p.ticket_id, p.cycle`,
      );
      for (const p of open) {
        if (!owns(p.tenant_id)) continue;
        const ended = p.status === null || p.status === 'resolved' || p.reopen_count !== p.cycle;
        if (ended) await settle(events, `resolve page ${p.dedup_key}`, () => resolve(p, nowMs));
      }
      const dueMs = nowMs - pageAfterMs;
      const { rows: due } = await pool.query<PageCandidate>(
        `SELECT t.id, t.tenant_id, t.title, t.severity, t.source, t.fingerprint, t.summary,
           t.opened_at, t.reopen_count,
           COALESCE((SELECT MAX(e.at) FROM ticket_events e
             WHERE e.tenant_id = t.tenant_id AND e.ticket_id = t.id AND e.kind = 'reopened'),
             t.opened_at) AS cycle_start
         FROM tickets t
         WHERE t.status = 'open' AND t.severity = ANY($1::text[]) AND t.opened_at <= $2
           AND NOT EXISTS (SELECT 1 FROM kaizen_pages p
             WHERE p.ticket_id = t.id AND p.cycle = t.reopen_count)
         ORDER BY t.opened_at, t.id`,
        [severities, dueMs],
      );
      for (const t of due) {
        if (t.cycle_start > dueMs || !owns(t.tenant_id)) continue;
        await settle(events, `page ticket ${t.id}`, () => page(t, nowMs));
      }
      return events;
    },
  };
}
