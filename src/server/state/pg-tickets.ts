// The PostgreSQL implementation of TicketState, shared by every gateway of a cluster.
//
// Exactly once: an opening takes a transaction-scoped advisory lock on its incident (tenant and
// fingerprint) before it looks for an unresolved ticket, so the same Alertmanager webhook arriving
// at every gateway at once opens one ticket and deduplicates the rest; the partial unique index
// on unresolved incidents backs this up. Changes are announced with NOTIFY inside the transaction
// (delivered only on commit), and every instance LISTENs, so each gateway hears every change.
import { randomUUID } from 'node:crypto';
import {
  TICKET_COLUMNS,
  TicketError,
  checkNote,
  checkOpenInput,
  checkResolver,
  decodeCursor,
  encodeCursor,
  reopenWindowOf,
  resolutionAtMs,
  toEvent,
  toResolvedSample,
  toTicket,
  type EventRow,
  type OpenTicketInput,
  type ResolvedRow,
  type ResolveInput,
  type TicketChange,
  type TicketRow,
} from '../incidents/store';
import {
  AUTO,
  EVENT_KINDS,
  type OpenResult,
  type TicketEventKind,
  type TicketRecord,
} from '../incidents/types';
import { checkActor } from '../incidents/store';
import { inTransaction, type PgClient, type PgPool, type PgQueryable } from './pg';
import { listenPg, type PgFeed } from './pg-listen';
import type { FilingResult, TicketState, UnresolvedCount } from './tickets';

export const TICKET_CHANNEL = 'ticket_changes';

/**
 * PostgreSQL's text cannot hold U+0000, which SQLite and JSON can: it becomes U+FFFD, so an alert
 * carrying one is filed (and deduplicated alike) instead of failing the request.
 */
function text(value: string): string {
  return value.includes('\u0000') ? value.replaceAll('\u0000', '\ufffd') : value;
}

function openText(input: OpenTicketInput): OpenTicketInput {
  return {
    ...input,
    title: text(input.title),
    fingerprint: text(input.fingerprint),
    actor: text(input.actor),
    ...(input.summary === undefined ? {} : { summary: text(input.summary) }),
    ...(input.detail === undefined ? {} : { detail: text(input.detail) }),
  };
}

export interface PgTicketStateOptions {
  pool: PgPool;
  /** For LISTEN: a connection of its own, outside the pool. */
  url: string;
  now?: () => number;
  reopenWindowMs?: number;
  log?: (line: string) => void;
}

interface ChangeNotice {
  origin: string;
  kind: TicketEventKind;
  id: number;
}

function isChangeNotice(value: unknown): value is ChangeNotice {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.origin === 'string' &&
    typeof v.id === 'number' &&
    (EVENT_KINDS as readonly unknown[]).includes(v.kind)
  );
}

async function ticketById(db: PgQueryable, id: number): Promise<TicketRecord | undefined> {
  const { rows } = await db.query<TicketRow>(
    `SELECT ${TICKET_COLUMNS} FROM tickets t WHERE t.id = $1`,
    [id],
  );
  return rows[0] ? toTicket(rows[0]) : undefined;
}

async function mustGet(db: PgQueryable, id: number): Promise<TicketRecord> {
  const ticket = await ticketById(db, id);
  if (!ticket) throw new TicketError('not_found', `no ticket ${id}`);
  return ticket;
}

/** Locks the ticket's row for the transaction: concurrent changes of one ticket queue. */
async function lockTicket(client: PgClient, id: number): Promise<TicketRecord> {
  const { rowCount } = await client.query('SELECT 1 FROM tickets WHERE id = $1 FOR UPDATE', [id]);
  if (rowCount === 0) throw new TicketError('not_found', `no ticket ${id}`);
  return mustGet(client, id);
}

/** Serialises everything that opens or resolves one incident, cluster-wide, until commit. */
async function lockIncident(client: PgClient, tenantId: string, fingerprint: string) {
  await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
    JSON.stringify(['incident', tenantId, fingerprint]),
  ]);
}

async function unresolvedOf(db: PgQueryable, tenantId: string, fingerprint: string) {
  const { rows } = await db.query<TicketRow>(
    `SELECT ${TICKET_COLUMNS} FROM tickets t
     WHERE t.tenant_id = $1 AND t.fingerprint = $2 AND t.status <> 'resolved'`,
    [tenantId, fingerprint],
  );
  return rows[0] ? toTicket(rows[0]) : undefined;
}

/**
 * Adds an event to a ticket's timeline inside the caller's transaction and announces it (NOTIFY,
 * delivered on commit) to every instance but `origin`'s. For writers of the cluster's tickets
 * outside this store (the pager's notes), which commit the event with rows of their own.
 */
export async function recordTicketEvent(
  client: PgClient,
  origin: string,
  ticket: Pick<TicketRecord, 'id' | 'tenantId'>,
  atMs: number,
  kind: TicketEventKind,
  actor: string,
  detail: string,
): Promise<number> {
  const { rows } = await client.query<{ id: number }>(
    `INSERT INTO ticket_events (tenant_id, ticket_id, at, kind, actor, detail)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
    [ticket.tenantId, ticket.id, atMs, kind, text(actor), text(detail)],
  );
  await client.query('SELECT pg_notify($1, $2)', [
    TICKET_CHANNEL,
    JSON.stringify({ origin, kind, id: ticket.id } satisfies ChangeNotice),
  ]);
  return rows[0]!.id;
}

export function pgTicketState(options: PgTicketStateOptions): TicketState {
  const { pool } = options;
  const now = options.now ?? Date.now;
  const reopenWindowMs = reopenWindowOf(options.reopenWindowMs);
  const origin = randomUUID();
  const listeners = new Set<(change: TicketChange) => void>();

  const emit = (change: TicketChange): void => {
    for (const l of listeners) {
      try {
        l(change);
      } catch (error) {
        options.log?.(`[kaizen] change listener failed: ${(error as Error).message}`);
      }
    }
  };

  const record = (
    client: PgClient,
    ticket: Pick<TicketRecord, 'id' | 'tenantId'>,
    atMs: number,
    kind: TicketEventKind,
    actor: string,
    detail: string,
  ): Promise<number> => recordTicketEvent(client, origin, ticket, atMs, kind, actor, detail);

  /** Runs `fn` in a transaction and tells this instance's listeners of its changes after commit. */
  const change = async <T>(
    fn: (client: PgClient, changes: TicketChange[]) => Promise<T>,
  ): Promise<T> => {
    const changes: TicketChange[] = [];
    const result = await inTransaction(pool, (client) => fn(client, changes));
    for (const c of changes) emit(c);
    return result;
  };

  const changed = async (
    client: PgClient,
    changes: TicketChange[],
    kind: TicketEventKind,
    id: number,
  ): Promise<TicketRecord> => {
    const ticket = await mustGet(client, id);
    changes.push({ kind, ticket });
    return ticket;
  };

  const applyResolve = async (
    client: PgClient,
    changes: TicketChange[],
    ticket: TicketRecord,
    input: ResolveInput,
  ): Promise<TicketRecord> => {
    const nowMs = now();
    await client.query(
      `UPDATE tickets SET status = 'resolved', resolved_at = $1, resolved_by = $2, outcome = $3
       WHERE tenant_id = $4 AND id = $5`,
      [
        resolutionAtMs(ticket, input, nowMs),
        text(input.by),
        input.outcome ?? null,
        ticket.tenantId,
        ticket.id,
      ],
    );
    await record(client, ticket, nowMs, 'resolved', input.by, input.detail ?? input.outcome ?? '');
    return changed(client, changes, 'resolved', ticket.id);
  };

  const openIn = async (
    client: PgClient,
    changes: TicketChange[],
    input: OpenTicketInput,
  ): Promise<{ result: OpenResult; ticket: TicketRecord }> => {
    input = openText(input);
    await lockIncident(client, input.tenantId, input.fingerprint);
    const nowMs = now();
    const detail = input.detail ?? '';
    const open = await unresolvedOf(client, input.tenantId, input.fingerprint);
    if (open) {
      await record(client, open, nowMs, 'deduplicated', input.actor, detail);
      const ticket = await changed(client, changes, 'deduplicated', open.id);
      return { result: 'deduplicated' as const, ticket };
    }
    const { rows: recent } = await client.query<{ id: number }>(
      `SELECT id FROM tickets
       WHERE tenant_id = $1 AND fingerprint = $2 AND status = 'resolved' AND resolved_at >= $3
       ORDER BY resolved_at DESC, id DESC LIMIT 1`,
      [input.tenantId, input.fingerprint, nowMs - reopenWindowMs],
    );
    if (recent[0]) {
      const id = recent[0].id;
      await client.query(
        `UPDATE tickets SET status = 'open', acknowledged_at = NULL, resolved_at = NULL,
           resolved_by = NULL, outcome = NULL, reopen_count = reopen_count + 1
         WHERE tenant_id = $1 AND id = $2`,
        [input.tenantId, id],
      );
      await record(
        client,
        { id, tenantId: input.tenantId },
        nowMs,
        'reopened',
        input.actor,
        detail,
      );
      return {
        result: 'reopened' as const,
        ticket: await changed(client, changes, 'reopened', id),
      };
    }
    const { rows } = await client.query<{ id: number }>(
      `INSERT INTO tickets (tenant_id, visibility, title, severity, source, fingerprint, status,
         opened_at, summary)
       VALUES ($1, $2, $3, $4, $5, $6, 'open', $7, $8) RETURNING id`,
      [
        input.tenantId,
        input.visibility,
        input.title,
        input.severity,
        input.source,
        input.fingerprint,
        Math.min(input.atMs ?? nowMs, nowMs),
        input.summary ?? '',
      ],
    );
    const id = rows[0]!.id;
    await record(client, { id, tenantId: input.tenantId }, nowMs, 'opened', input.actor, detail);
    return { result: 'opened' as const, ticket: await changed(client, changes, 'opened', id) };
  };

  const resolveIncidentIn = async (
    client: PgClient,
    changes: TicketChange[],
    tenantId: string,
    fingerprint: string,
    input: Omit<ResolveInput, 'by' | 'outcome'>,
  ): Promise<TicketRecord | undefined> => {
    fingerprint = text(fingerprint);
    await lockIncident(client, tenantId, fingerprint);
    const ticket = await unresolvedOf(client, tenantId, fingerprint);
    return ticket ? applyResolve(client, changes, ticket, { ...input, by: AUTO }) : undefined;
  };

  // Other gateways' changes, fetched and told to this instance's listeners; followed from the
  // first listener on.
  let feed: PgFeed | undefined;
  const follow = (notice: string): void => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(notice);
    } catch {
      return;
    }
    if (!isChangeNotice(parsed) || parsed.origin === origin) return;
    const { kind, id } = parsed;
    ticketById(pool, id)
      .then((ticket) => {
        if (ticket) emit({ kind, ticket });
      })
      .catch((error: Error) => options.log?.(`[kaizen] change of ticket ${id}: ${error.message}`));
  };

  return {
    backend: 'postgres',
    reopenWindowMs,

    async openOrDedup(input) {
      checkOpenInput(input);
      return change((client, changes) => openIn(client, changes, input));
    },

    async file(filings, onOpened) {
      for (const f of filings) if (f.kind === 'open') checkOpenInput(f.input);
      return change(async (client, changes) => {
        // Every incident of the batch locked first, in one order: two gateways filing batches
        // that share incidents wait for each other instead of deadlocking.
        const incidents = filings.map((f) =>
          f.kind === 'open'
            ? [f.input.tenantId, text(f.input.fingerprint)]
            : [f.tenantId, text(f.fingerprint)],
        );
        const keys = [...new Set(incidents.map((i) => JSON.stringify(i)))].sort();
        for (const key of keys) {
          const [tenantId, fingerprint] = JSON.parse(key) as [string, string];
          await lockIncident(client, tenantId, fingerprint);
        }
        const results: FilingResult[] = [];
        for (const f of filings) {
          if (f.kind === 'resolve') {
            const ticket = await resolveIncidentIn(
              client,
              changes,
              f.tenantId,
              f.fingerprint,
              f.input,
            );
            results.push({ outcome: ticket ? 'resolved' : 'ignored', ticket });
          } else {
            const { result, ticket } = await openIn(client, changes, f.input);
            if (result === 'opened') onOpened?.(f.input.tenantId);
            results.push({ outcome: result, ticket });
          }
        }
        return results;
      });
    },

    async acknowledge(id, actor) {
      checkActor(actor);
      return change(async (client, changes) => {
        const ticket = await lockTicket(client, id);
        if (ticket.status === 'resolved') {
          throw new TicketError('conflict', `ticket ${id} is resolved; it cannot be acknowledged`);
        }
        if (ticket.status === 'acknowledged') return ticket;
        const nowMs = now();
        await client.query(
          `UPDATE tickets SET status = 'acknowledged', acknowledged_at = $1
           WHERE tenant_id = $2 AND id = $3`,
          [nowMs, ticket.tenantId, id],
        );
        await record(client, ticket, nowMs, 'acknowledged', actor, '');
        return changed(client, changes, 'acknowledged', id);
      });
    },

    async resolve(id, input) {
      checkResolver(input);
      return change(async (client, changes) => {
        const ticket = await lockTicket(client, id);
        if (ticket.status === 'resolved') {
          throw new TicketError('conflict', `ticket ${id} is already resolved`);
        }
        return applyResolve(client, changes, ticket, input);
      });
    },

    async resolveIncident(tenantId, fingerprint, input) {
      return change((client, changes) =>
        resolveIncidentIn(client, changes, tenantId, fingerprint, input),
      );
    },

    async addNote(id, actor, text) {
      checkNote(actor, text);
      return change(async (client, changes) => {
        const ticket = await lockTicket(client, id);
        const eventId = await record(client, ticket, now(), 'noted', actor, text);
        await changed(client, changes, 'noted', id);
        const { rows } = await client.query<EventRow>(
          'SELECT * FROM ticket_events WHERE tenant_id = $1 AND id = $2',
          [ticket.tenantId, eventId],
        );
        return toEvent(rows[0]!);
      });
    },

    async get(id) {
      const ticket = await ticketById(pool, id);
      if (!ticket) return undefined;
      const { rows } = await pool.query<EventRow>(
        'SELECT * FROM ticket_events WHERE tenant_id = $1 AND ticket_id = $2 ORDER BY id',
        [ticket.tenantId, id],
      );
      return { ...ticket, events: rows.map(toEvent) };
    },

    findUnresolved: (tenantId, fingerprint) => unresolvedOf(pool, tenantId, text(fingerprint)),

    async list(filter, page) {
      const where: string[] = [];
      const params: unknown[] = [];
      const param = (value: unknown): string => {
        params.push(value);
        return `$${params.length}`;
      };
      const inList = (column: string, values: readonly string[] | undefined): void => {
        if (values && values.length > 0)
          where.push(`${column} = ANY(${param([...values])}::text[])`);
      };
      if (filter.tenants?.size === 0) where.push('FALSE');
      else if (filter.tenants) inList('t.tenant_id', [...filter.tenants]);
      if (filter.tenant !== undefined) where.push(`t.tenant_id = ${param(filter.tenant)}`);
      inList('t.severity', filter.severities);
      inList('t.status', filter.statuses);
      inList('t.source', filter.sources);
      if (filter.resolvedBy === 'auto') where.push(`t.resolved_by = ${param(AUTO)}`);
      if (filter.resolvedBy === 'person') where.push(`t.resolved_by <> ${param(AUTO)}`);
      if (filter.openedSinceMs !== undefined)
        where.push(`t.opened_at >= ${param(filter.openedSinceMs)}`);
      if (filter.resolvedSinceMs !== undefined) {
        where.push(`t.resolved_at >= ${param(filter.resolvedSinceMs)}`);
      }
      const whereSql = (parts: string[]) =>
        parts.length > 0 ? `WHERE ${parts.join(' AND ')}` : '';
      const counted = await pool.query<{ count: number }>(
        `SELECT COUNT(*) AS count FROM tickets t ${whereSql(where)}`,
        params,
      );
      const pageWhere = [...where];
      if (page.cursor !== undefined) {
        const after = decodeCursor(page.cursor);
        const at = param(after.openedAtMs);
        pageWhere.push(
          `(t.opened_at < ${at} OR (t.opened_at = ${at} AND t.id < ${param(after.id)}))`,
        );
      }
      const { rows } = await pool.query<TicketRow>(
        `SELECT ${TICKET_COLUMNS} FROM tickets t ${whereSql(pageWhere)}
         ORDER BY t.opened_at DESC, t.id DESC LIMIT ${param(page.limit + 1)}`,
        params,
      );
      const tickets = rows.slice(0, page.limit).map(toTicket);
      const last = tickets[tickets.length - 1];
      return {
        tickets,
        total: counted.rows[0]!.count,
        nextCursor: rows.length > page.limit && last ? encodeCursor(last) : null,
      };
    },

    async resolvedBetween(filter, fromMs, toMs) {
      const { rows } = await pool.query<ResolvedRow>(
        `SELECT tenant_id, severity, opened_at, resolved_at, resolved_by FROM tickets
         WHERE resolved_at BETWEEN $1 AND $2
           AND ($3::text[] IS NULL OR tenant_id = ANY($3::text[]))
           AND ($4::text IS NULL OR tenant_id = $4)`,
        [fromMs, toMs, filter.tenants ? [...filter.tenants] : null, filter.tenant ?? null],
      );
      return rows.map(toResolvedSample);
    },

    async unresolvedCounts() {
      const { rows } = await pool.query<{
        tenant_id: string;
        severity: UnresolvedCount['severity'];
        status: UnresolvedCount['status'];
        count: number;
      }>(
        `SELECT tenant_id, severity, status, COUNT(*) AS count FROM tickets
         WHERE status <> 'resolved' GROUP BY tenant_id, severity, status
         ORDER BY tenant_id, severity, status`,
      );
      return rows.map((r) => ({
        tenantId: r.tenant_id,
        severity: r.severity,
        status: r.status,
        count: r.count,
      }));
    },

    async setTenantVisibility(tenantId, visibility) {
      const { rowCount } = await pool.query(
        'UPDATE tickets SET visibility = $1 WHERE tenant_id = $2 AND visibility <> $1',
        [visibility, tenantId],
      );
      return rowCount ?? 0;
    },

    onChange(l) {
      listeners.add(l);
      feed ??= listenPg(options.url, TICKET_CHANNEL, follow, options.log);
      return () => {
        listeners.delete(l);
      };
    },

    async close() {
      listeners.clear();
      await feed?.close();
    },
  };
}
