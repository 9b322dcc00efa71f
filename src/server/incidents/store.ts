// Tickets and their timelines in SQLite. Every operation is one transaction; callers that need
// several to land together (an Alertmanager batch) wrap them in `transaction`, and change
// listeners hear about them only once the outermost transaction has committed.
import { migrate, type Db } from '../storage/database';
import { KAIZEN_COMPONENT, KAIZEN_MIGRATIONS } from './migrations';
import {
  AUTO,
  MAX_ACTOR_CHARS,
  MAX_FINGERPRINT_CHARS,
  MAX_NOTE_CHARS,
  MAX_TITLE_CHARS,
  type OpenResult,
  type Outcome,
  type Severity,
  type TicketRecord,
  type TicketRecordWithEvents,
  type TicketEventRecord,
  type TicketEventKind,
  type TicketSource,
  type TicketStatus,
  type Visibility,
} from './types';

export const DEFAULT_REOPEN_WINDOW_MS = 10 * 60_000;

export type TicketErrorCode = 'not_found' | 'conflict' | 'invalid' | 'too_large';

export class TicketError extends Error {
  constructor(
    readonly code: TicketErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'TicketError';
  }
}

export interface OpenTicketInput {
  tenantId: string;
  visibility: Visibility;
  title: string;
  severity: Severity;
  source: TicketSource;
  /** Same tenant + fingerprint = same incident: deduplicated while unresolved. */
  fingerprint: string;
  summary?: string;
  actor: string;
  /** Timeline detail of the opening (or deduplication, or reopening). */
  detail?: string;
  /** When the incident began, if known and earlier than now (an alert's startsAt). */
  atMs?: number;
}

export interface ResolveInput {
  /** `'auto'` or a person's name. */
  by: string;
  outcome?: Outcome | null;
  detail?: string;
  /** When the incident ended, if known and earlier than now (an alert's endsAt). */
  atMs?: number;
}

export interface TicketFilter {
  /** The tenants the caller may see; undefined = all (internal callers only). */
  tenants?: ReadonlySet<string>;
  tenant?: string;
  severities?: readonly Severity[];
  statuses?: readonly TicketStatus[];
  sources?: readonly TicketSource[];
  resolvedBy?: 'auto' | 'person';
  openedSinceMs?: number;
  resolvedSinceMs?: number;
}

export interface TicketRecordPage {
  tickets: TicketRecord[];
  /** Tickets matching the filter, on all pages. */
  total: number;
  /** Pass back as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

export interface ResolvedSample {
  tenantId: string;
  severity: Severity;
  openedAtMs: number;
  resolvedAtMs: number;
  resolvedBy: string;
}

export interface TicketChange {
  kind: TicketEventKind;
  ticket: TicketRecord;
}

export interface TicketStore {
  readonly reopenWindowMs: number;
  now(): number;
  openOrDedup(input: OpenTicketInput): { result: OpenResult; ticket: TicketRecord };
  acknowledge(id: number, actor: string): TicketRecord;
  resolve(id: number, input: ResolveInput): TicketRecord;
  /** Auto-resolves the unresolved ticket of this incident; undefined when there is none. */
  resolveIncident(
    tenantId: string,
    fingerprint: string,
    input: Omit<ResolveInput, 'by' | 'outcome'>,
  ): TicketRecord | undefined;
  addNote(id: number, actor: string, text: string): TicketEventRecord;
  get(id: number): TicketRecordWithEvents | undefined;
  findUnresolved(tenantId: string, fingerprint: string): TicketRecord | undefined;
  list(filter: TicketFilter, page: { limit: number; cursor?: string }): TicketRecordPage;
  /** Tickets resolved in [fromMs, toMs], for MTTR. */
  resolvedBetween(
    filter: Pick<TicketFilter, 'tenants' | 'tenant'>,
    fromMs: number,
    toMs: number,
  ): ResolvedSample[];
  /** Unresolved tickets per tenant, severity and status, for the open-tickets gauge. */
  unresolvedCounts(): {
    tenantId: string;
    severity: Severity;
    status: TicketStatus;
    count: number;
  }[];
  transaction<T>(fn: () => T): T;
  onChange(listener: (change: TicketChange) => void): () => void;
  /**
   * Records the tenant's visibility now on all its tickets (a tenant made public or private, a
   * data directory whose tickets predate the tenant); returns the tickets changed.
   */
  setTenantVisibility(tenantId: string, visibility: Visibility): number;
}

export interface TicketStoreOptions {
  db: Db;
  now?: () => number;
  reopenWindowMs?: number;
  /** Where a failing change listener is reported; it never fails the operation. */
  log?: (line: string) => void;
}

export interface TicketRow {
  id: number;
  tenant_id: string;
  visibility: Visibility;
  title: string;
  severity: Severity;
  source: TicketSource;
  fingerprint: string;
  status: TicketStatus;
  opened_at: number;
  acknowledged_at: number | null;
  resolved_at: number | null;
  resolved_by: string | null;
  outcome: Outcome | null;
  summary: string;
  reopen_count: number;
  note_count: number;
  /** The `opened` event's time; null only for a row written without one. */
  received_at: number | null;
}

export interface EventRow {
  id: number;
  ticket_id: number;
  at: number;
  kind: TicketEventKind;
  actor: string;
  detail: string;
}

export const TICKET_COLUMNS = `t.*, (SELECT COUNT(*) FROM ticket_events e
  WHERE e.ticket_id = t.id AND e.kind = 'noted') AS note_count,
  (SELECT MIN(e.at) FROM ticket_events e
  WHERE e.ticket_id = t.id AND e.kind = 'opened') AS received_at`;

export function toTicket(row: TicketRow): TicketRecord {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    visibility: row.visibility,
    title: row.title,
    severity: row.severity,
    source: row.source,
    fingerprint: row.fingerprint,
    status: row.status,
    openedAtMs: row.opened_at,
    receivedAtMs: row.received_at ?? row.opened_at,
    acknowledgedAtMs: row.acknowledged_at,
    resolvedAtMs: row.resolved_at,
    resolvedBy: row.resolved_by,
    outcome: row.outcome,
    summary: row.summary,
    reopenCount: row.reopen_count,
    noteCount: row.note_count,
  };
}

export type ResolvedRow = Pick<
  TicketRow,
  'tenant_id' | 'severity' | 'opened_at' | 'resolved_at' | 'resolved_by'
>;

/** A resolved ticket's row as an MTTR sample (the query picked resolved rows only). */
export function toResolvedSample(r: ResolvedRow): ResolvedSample {
  return {
    tenantId: r.tenant_id,
    severity: r.severity,
    openedAtMs: r.opened_at,
    resolvedAtMs: r.resolved_at!,
    resolvedBy: r.resolved_by!,
  };
}

export function toEvent(row: EventRow): TicketEventRecord {
  return {
    id: row.id,
    ticketId: row.ticket_id,
    atMs: row.at,
    kind: row.kind,
    actor: row.actor,
    detail: row.detail,
  };
}

function checkLength(field: string, value: string, max: number, code: TicketErrorCode): void {
  if (value.length > max) {
    throw new TicketError(code, `${field} is ${value.length} characters; at most ${max} allowed`);
  }
}

export function checkActor(actor: string): void {
  if (actor.trim().length === 0) throw new TicketError('invalid', 'actor must not be empty');
  checkLength('actor', actor, MAX_ACTOR_CHARS, 'invalid');
}

/** What an opening must satisfy, whichever store files it. */
export function checkOpenInput(input: OpenTicketInput): void {
  checkActor(input.actor);
  if (input.title.trim().length === 0) throw new TicketError('invalid', 'title is empty');
  checkLength('title', input.title, MAX_TITLE_CHARS, 'invalid');
  checkLength('summary', input.summary ?? '', MAX_NOTE_CHARS, 'too_large');
  checkLength('fingerprint', input.fingerprint, MAX_FINGERPRINT_CHARS, 'invalid');
}

export function checkNote(actor: string, text: string): void {
  checkActor(actor);
  if (text.trim().length === 0) throw new TicketError('invalid', 'note text is empty');
  checkLength('note text', text, MAX_NOTE_CHARS, 'too_large');
}

/** An automatic resolution carries no outcome; a person's carries their name. */
export function checkResolver(input: ResolveInput): void {
  const auto = input.by === AUTO;
  if (!auto) checkActor(input.by);
  if (auto && input.outcome) {
    throw new TicketError('invalid', 'an automatic resolution has no outcome; a person sets it');
  }
}

/** An incident cannot end before it began or after now, whatever a remote clock says. */
export function resolutionAtMs(ticket: TicketRecord, input: ResolveInput, nowMs: number): number {
  return Math.max(ticket.openedAtMs, Math.min(input.atMs ?? nowMs, nowMs));
}

// Keyset cursor over (opened_at, id) descending: stable while tickets are added.
export function encodeCursor(ticket: TicketRecord): string {
  return Buffer.from(`${ticket.openedAtMs}:${ticket.id}`).toString('base64url');
}

export function decodeCursor(cursor: string): { openedAtMs: number; id: number } {
  const match = /^(\d{1,16}):(\d{1,16})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match) throw new TicketError('invalid', 'cursor is not one this server handed out');
  return { openedAtMs: Number(match[1]), id: Number(match[2]) };
}

/** The reopen window asked for, or the default; a negative or endless one is refused. */
export function reopenWindowOf(ms: number | undefined): number {
  const reopenWindowMs = ms ?? DEFAULT_REOPEN_WINDOW_MS;
  if (!Number.isFinite(reopenWindowMs) || reopenWindowMs < 0) {
    throw new RangeError(`[kaizen] reopen window must be >= 0 ms, got ${reopenWindowMs}`);
  }
  return reopenWindowMs;
}

export function createTicketStore(options: TicketStoreOptions): TicketStore {
  const { db } = options;
  const now = options.now ?? Date.now;
  const reopenWindowMs = reopenWindowOf(options.reopenWindowMs);
  migrate(db, KAIZEN_COMPONENT, KAIZEN_MIGRATIONS);

  const listeners = new Set<(change: TicketChange) => void>();
  let depth = 0;
  let pending: TicketChange[] = [];

  const stmt = {
    byId: db.prepare(`SELECT ${TICKET_COLUMNS} FROM tickets t WHERE t.id = ?`),
    unresolved: db.prepare(
      `SELECT ${TICKET_COLUMNS} FROM tickets t
       WHERE t.tenant_id = ? AND t.fingerprint = ? AND t.status != 'resolved'`,
    ),
    lastResolved: db.prepare(
      `SELECT ${TICKET_COLUMNS} FROM tickets t
       WHERE t.tenant_id = ? AND t.fingerprint = ? AND t.status = 'resolved' AND t.resolved_at >= ?
       ORDER BY t.resolved_at DESC, t.id DESC LIMIT 1`,
    ),
    insert: db.prepare(
      `INSERT INTO tickets (tenant_id, visibility, title, severity, source, fingerprint, status,
         opened_at, summary)
       VALUES (@tenantId, @visibility, @title, @severity, @source, @fingerprint, 'open',
         @openedAtMs, @summary)`,
    ),
    reopen: db.prepare(
      `UPDATE tickets SET status = 'open', acknowledged_at = NULL, resolved_at = NULL,
         resolved_by = NULL, outcome = NULL, reopen_count = reopen_count + 1
       WHERE id = ?`,
    ),
    acknowledge: db.prepare(
      `UPDATE tickets SET status = 'acknowledged', acknowledged_at = ? WHERE id = ?`,
    ),
    resolve: db.prepare(
      `UPDATE tickets SET status = 'resolved', resolved_at = ?, resolved_by = ?, outcome = ?
       WHERE id = ?`,
    ),
    event: db.prepare(
      `INSERT INTO ticket_events (ticket_id, at, kind, actor, detail) VALUES (?, ?, ?, ?, ?)`,
    ),
    eventById: db.prepare(`SELECT * FROM ticket_events WHERE id = ?`),
    events: db.prepare(`SELECT * FROM ticket_events WHERE ticket_id = ? ORDER BY id`),
    resolvedBetween: db.prepare(
      `SELECT tenant_id, severity, opened_at, resolved_at, resolved_by FROM tickets
       WHERE resolved_at BETWEEN @fromMs AND @toMs
         AND (@tenants IS NULL OR tenant_id IN (SELECT value FROM json_each(@tenants)))
         AND (@tenant IS NULL OR tenant_id = @tenant)`,
    ),
    unresolvedCounts: db.prepare(
      `SELECT tenant_id, severity, status, COUNT(*) AS count FROM tickets
       WHERE status != 'resolved' GROUP BY tenant_id, severity, status`,
    ),
  };

  const transaction = <T>(fn: () => T): T => {
    const mark = pending.length;
    depth += 1;
    let result: T;
    try {
      // Nested calls become savepoints, so an inner failure caught by the caller undoes only it.
      result = db.transaction(fn)();
    } catch (error) {
      pending.length = mark;
      throw error;
    } finally {
      depth -= 1;
    }
    if (depth === 0 && pending.length > 0) {
      const changes = pending;
      pending = [];
      for (const change of changes) {
        for (const listener of listeners) {
          try {
            listener(change);
          } catch (error) {
            options.log?.(`[kaizen] change listener failed: ${(error as Error).message}`);
          }
        }
      }
    }
    return result;
  };

  const mustGet = (id: number): TicketRecord => {
    const row = stmt.byId.get(id) as TicketRow | undefined;
    if (!row) throw new TicketError('not_found', `no ticket ${id}`);
    return toTicket(row);
  };

  const record = (
    ticketId: number,
    atMs: number,
    kind: TicketEventKind,
    actor: string,
    detail: string,
  ): number => {
    const info = stmt.event.run(ticketId, atMs, kind, actor, detail);
    return Number(info.lastInsertRowid);
  };

  const changed = (kind: TicketEventKind, id: number): TicketRecord => {
    const ticket = mustGet(id);
    pending.push({ kind, ticket });
    return ticket;
  };

  const applyResolve = (ticket: TicketRecord, input: ResolveInput, nowMs: number): TicketRecord => {
    checkResolver(input);
    const atMs = resolutionAtMs(ticket, input, nowMs);
    stmt.resolve.run(atMs, input.by, input.outcome ?? null, ticket.id);
    record(ticket.id, nowMs, 'resolved', input.by, input.detail ?? input.outcome ?? '');
    return changed('resolved', ticket.id);
  };

  return {
    reopenWindowMs,
    now,
    transaction,

    setTenantVisibility(tenantId, visibility) {
      return db
        .prepare('UPDATE tickets SET visibility = ? WHERE tenant_id = ? AND visibility != ?')
        .run(visibility, tenantId, visibility).changes;
    },

    openOrDedup(input) {
      checkOpenInput(input);
      return transaction(() => {
        const nowMs = now();
        const detail = input.detail ?? '';
        const open = stmt.unresolved.get(input.tenantId, input.fingerprint) as
          TicketRow | undefined;
        if (open) {
          record(open.id, nowMs, 'deduplicated', input.actor, detail);
          return { result: 'deduplicated' as const, ticket: changed('deduplicated', open.id) };
        }
        const recent = stmt.lastResolved.get(
          input.tenantId,
          input.fingerprint,
          nowMs - reopenWindowMs,
        ) as TicketRow | undefined;
        if (recent) {
          stmt.reopen.run(recent.id);
          record(recent.id, nowMs, 'reopened', input.actor, detail);
          return { result: 'reopened' as const, ticket: changed('reopened', recent.id) };
        }
        const openedAtMs = Math.min(input.atMs ?? nowMs, nowMs);
        const info = stmt.insert.run({ ...input, openedAtMs, summary: input.summary ?? '' });
        const id = Number(info.lastInsertRowid);
        record(id, nowMs, 'opened', input.actor, detail);
        return { result: 'opened' as const, ticket: changed('opened', id) };
      });
    },

    acknowledge(id, actor) {
      checkActor(actor);
      return transaction(() => {
        const ticket = mustGet(id);
        if (ticket.status === 'resolved') {
          throw new TicketError('conflict', `ticket ${id} is resolved; it cannot be acknowledged`);
        }
        if (ticket.status === 'acknowledged') return ticket;
        const nowMs = now();
        stmt.acknowledge.run(nowMs, id);
        record(id, nowMs, 'acknowledged', actor, '');
        return changed('acknowledged', id);
      });
    },

    resolve(id, input) {
      return transaction(() => {
        const ticket = mustGet(id);
        if (ticket.status === 'resolved') {
          throw new TicketError('conflict', `ticket ${id} is already resolved`);
        }
        return applyResolve(ticket, input, now());
      });
    },

    resolveIncident(tenantId, fingerprint, input) {
      return transaction(() => {
        const row = stmt.unresolved.get(tenantId, fingerprint) as TicketRow | undefined;
        return row ? applyResolve(toTicket(row), { ...input, by: AUTO }, now()) : undefined;
      });
    },

    addNote(id, actor, text) {
      checkNote(actor, text);
      return transaction(() => {
        mustGet(id);
        const eventId = record(id, now(), 'noted', actor, text);
        changed('noted', id);
        return toEvent(stmt.eventById.get(eventId) as EventRow);
      });
    },

    get(id) {
      const row = stmt.byId.get(id) as TicketRow | undefined;
      if (!row) return undefined;
      const events = (stmt.events.all(id) as EventRow[]).map(toEvent);
      return { ...toTicket(row), events };
    },

    findUnresolved(tenantId, fingerprint) {
      const row = stmt.unresolved.get(tenantId, fingerprint) as TicketRow | undefined;
      return row ? toTicket(row) : undefined;
    },

    list(filter, page) {
      const where: string[] = [];
      const params: unknown[] = [];
      const inList = (column: string, values: readonly string[] | undefined): void => {
        if (!values || values.length === 0) return;
        where.push(`${column} IN (SELECT value FROM json_each(?))`);
        params.push(JSON.stringify(values));
      };
      if (filter.tenants) inList('t.tenant_id', [...filter.tenants]);
      if (filter.tenants?.size === 0) where.push('0');
      if (filter.tenant !== undefined) {
        where.push('t.tenant_id = ?');
        params.push(filter.tenant);
      }
      inList('t.severity', filter.severities);
      inList('t.status', filter.statuses);
      inList('t.source', filter.sources);
      if (filter.resolvedBy === 'auto') where.push(`t.resolved_by = '${AUTO}'`);
      if (filter.resolvedBy === 'person') where.push(`t.resolved_by != '${AUTO}'`);
      if (filter.openedSinceMs !== undefined) {
        where.push('t.opened_at >= ?');
        params.push(filter.openedSinceMs);
      }
      if (filter.resolvedSinceMs !== undefined) {
        where.push('t.resolved_at >= ?');
        params.push(filter.resolvedSinceMs);
      }
      const whereSql = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
      const total = db
        .prepare(`SELECT COUNT(*) FROM tickets t ${whereSql}`)
        .pluck()
        .get(...params) as number;
      const pageWhere = [...where];
      const pageParams = [...params];
      if (page.cursor !== undefined) {
        const after = decodeCursor(page.cursor);
        pageWhere.push('(t.opened_at < ? OR (t.opened_at = ? AND t.id < ?))');
        pageParams.push(after.openedAtMs, after.openedAtMs, after.id);
      }
      const rows = db
        .prepare(
          `SELECT ${TICKET_COLUMNS} FROM tickets t
           ${pageWhere.length > 0 ? `WHERE ${pageWhere.join(' AND ')}` : ''}
           ORDER BY t.opened_at DESC, t.id DESC LIMIT ?`,
        )
        .all(...pageParams, page.limit + 1) as TicketRow[];
      const tickets = rows.slice(0, page.limit).map(toTicket);
      const last = tickets[tickets.length - 1];
      return {
        tickets,
        total,
        nextCursor: rows.length > page.limit && last ? encodeCursor(last) : null,
      };
    },

    resolvedBetween(filter, fromMs, toMs) {
      const rows = stmt.resolvedBetween.all({
        fromMs,
        toMs,
        tenants: filter.tenants ? JSON.stringify([...filter.tenants]) : null,
        tenant: filter.tenant ?? null,
      }) as ResolvedRow[];
      return rows.map(toResolvedSample);
    },

    unresolvedCounts() {
      const rows = stmt.unresolvedCounts.all() as {
        tenant_id: string;
        severity: Severity;
        status: TicketStatus;
        count: number;
      }[];
      return rows.map((r) => ({
        tenantId: r.tenant_id,
        severity: r.severity,
        status: r.status,
        count: r.count,
      }));
    },

    onChange(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}
