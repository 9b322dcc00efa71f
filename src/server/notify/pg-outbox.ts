// The notification outbox of a cluster (--database): the SQLite outbox's rows and rules (outbox.ts)
// in the cluster's PostgreSQL, so that every gateway enqueues into one queue, a notification
// commits with the state change it reports (enqueueIn, in the caller's transaction), and one sender
// in the cluster delivers it. A claim takes rows with FOR UPDATE SKIP LOCKED and leases them as
// the SQLite outbox does, so even two senders at once never claim one row; observer mode's held
// rows live here too, so a release through any gateway frees what another held.
import { randomUUID } from 'node:crypto';
import type { HeldChangeResult, HeldSelection } from '../../core/api/observer';
import { inTransaction, type PgPool, type PgQueryable } from '../state/pg';
import {
  CHANNELS,
  checkEnqueue,
  clipError,
  DEFAULT_MAX_PENDING,
  entryOfRow,
  NotifyQueueFullError,
  type EnqueueInput,
  type EnqueueResult,
  type OutboxEntry,
  type OutboxRow,
  type OutboxStatus,
} from './outbox';
import type { AsyncOutbox } from './state';

export interface PgOutbox extends AsyncOutbox {
  /** Enqueues inside the caller's transaction: the row commits with the caller's or not at all. */
  enqueueIn(
    db: PgQueryable,
    input: EnqueueInput,
    nowMs: number,
  ): Promise<{ result: EnqueueResult; entry: OutboxEntry }>;
}

/** The PostgreSQL client decodes JSONB itself. */
type Row = Omit<OutboxRow, 'body'> & { body: unknown };
const toEntry = entryOfRow;

// As in SQLite: only the first pending row of a group may be sent, and a held row earlier in the
// group holds the rest back (a PagerDuty resolve waits for its held trigger). $1: the channels.
const FIRST_OF_GROUP = `o.status = 'pending' AND o.channel = ANY($1::text[])
  AND NOT EXISTS (SELECT 1 FROM notify_outbox e WHERE e.status IN ('pending', 'held')
    AND e.channel = o.channel AND e.group_key = o.group_key AND e.id < o.id)`;

/** Whether observer mode holds new notifications; false when the switch was never set. */
async function observerOn(db: PgQueryable): Promise<boolean> {
  const { rows } = await db.query<{ enabled: boolean }>(
    'SELECT enabled FROM notify_observer WHERE id = 1',
  );
  return rows[0]?.enabled === true;
}

export function pgOutbox(options: { pool: PgPool; maxPending?: number }): PgOutbox {
  const { pool } = options;
  const maxPending = options.maxPending ?? DEFAULT_MAX_PENDING;

  const enqueueIn: PgOutbox['enqueueIn'] = async (db, input, nowMs) => {
    const { body, groupKey } = checkEnqueue(input);
    const status: OutboxStatus = (await observerOn(db)) ? 'held' : 'pending';
    const { rows: counted } = await db.query<{ count: number }>(
      `SELECT COUNT(*)::int AS count FROM notify_outbox
       WHERE status IN ('pending', 'held') AND channel = $1`,
      [input.channel],
    );
    const full = counted[0]!.count >= maxPending;
    const existing = await db.query<Row>(
      'SELECT * FROM notify_outbox WHERE channel = $1 AND dedup_key = $2 FOR UPDATE',
      [input.channel, input.dedupKey],
    );
    const found = existing.rows[0];
    if (found && found.status !== 'failed') return { result: 'duplicate', entry: toEntry(found) };
    if (full) throw new NotifyQueueFullError(input.channel, maxPending);
    if (found) {
      const { rows } = await db.query<Row>(
        `UPDATE notify_outbox SET status = $1, body = $2::jsonb, group_key = $3, attempts = 0,
           next_attempt_at = $4, lease_owner = NULL, lease_until = NULL, failed_at = NULL,
           last_http_status = NULL, last_error = NULL
         WHERE id = $5 AND status = 'failed' RETURNING *`,
        [status, body, groupKey, nowMs, found.id],
      );
      return { result: 'requeued', entry: toEntry(rows[0]!) };
    }
    // Two transactions enqueueing one key at once: the unique key lets one insert, and the other
    // finds that row (after the first commits) as a duplicate.
    const { rows } = await db.query<Row>(
      `INSERT INTO notify_outbox (channel, dedup_key, group_key, body, status, created_at,
         next_attempt_at)
       VALUES ($1, $2, $3, $4::jsonb, $5, $6, $6)
       ON CONFLICT (channel, dedup_key) DO NOTHING RETURNING *`,
      [input.channel, input.dedupKey, groupKey, body, status, nowMs],
    );
    if (rows[0]) return { result: 'queued', entry: toEntry(rows[0]) };
    const { rows: raced } = await db.query<Row>(
      'SELECT * FROM notify_outbox WHERE channel = $1 AND dedup_key = $2',
      [input.channel, input.dedupKey],
    );
    return { result: 'duplicate', entry: toEntry(raced[0]!) };
  };

  const settle = async (sql: string, params: unknown[]): Promise<boolean> => {
    const { rowCount } = await pool.query(sql, params);
    return rowCount === 1;
  };

  const changeHeld = (selection: HeldSelection, sql: string, params: unknown[]) =>
    inTransaction(pool, async (client): Promise<HeldChangeResult> => {
      const ids =
        'all' in selection
          ? (
              await client.query<{ id: number }>(
                `SELECT id FROM notify_outbox WHERE status = 'held' ORDER BY id FOR UPDATE`,
              )
            ).rows.map((r) => r.id)
          : [...new Set(selection.ids)];
      const notHeld: number[] = [];
      let changed = 0;
      for (const id of ids.sort((a, b) => a - b)) {
        const { rowCount } = await client.query(sql, [id, ...params]);
        if (rowCount === 1) changed += 1;
        else notHeld.push(id);
      }
      return { changed, notHeld };
    });

  return {
    maxPending,
    enqueueIn,
    enqueue: (input, nowMs = Date.now()) =>
      inTransaction(pool, (client) => enqueueIn(client, input, nowMs)),

    async get(channel, dedupKey) {
      const { rows } = await pool.query<Row>(
        'SELECT * FROM notify_outbox WHERE channel = $1 AND dedup_key = $2',
        [channel, dedupKey],
      );
      return rows[0] ? toEntry(rows[0]) : undefined;
    },

    async claim(channels, limit, nowMs, leaseMs) {
      if (channels.length === 0 || limit <= 0) return [];
      const owner = randomUUID();
      // SKIP LOCKED: a row another sender is claiming right now is left to it, not waited for.
      const { rows } = await pool.query<Row>(
        `WITH due AS (
           SELECT o.id FROM notify_outbox o WHERE ${FIRST_OF_GROUP}
             AND o.next_attempt_at <= $2 AND (o.lease_until IS NULL OR o.lease_until <= $2)
           ORDER BY o.next_attempt_at, o.id LIMIT $3 FOR UPDATE SKIP LOCKED)
         UPDATE notify_outbox n SET lease_owner = $4, lease_until = $5, attempts = n.attempts + 1
         FROM due WHERE n.id = due.id RETURNING n.*`,
        [[...channels], nowMs, limit, owner, nowMs + leaseMs],
      );
      return rows
        .sort((a, b) => a.next_attempt_at - b.next_attempt_at || a.id - b.id)
        .map((row) => ({ entry: toEntry(row), owner }));
    },

    markSent: (claim, nowMs, httpStatus) =>
      settle(
        `UPDATE notify_outbox SET status = 'sent', sent_at = $1, last_http_status = $2,
           last_error = NULL, lease_owner = NULL, lease_until = NULL
         WHERE id = $3 AND lease_owner = $4 AND status = 'pending'`,
        [nowMs, httpStatus, claim.entry.id, claim.owner],
      ),

    markRetry: (claim, nextAttemptAtMs, error, httpStatus) =>
      settle(
        `UPDATE notify_outbox SET next_attempt_at = $1, last_error = $2, last_http_status = $3,
           lease_owner = NULL, lease_until = NULL
         WHERE id = $4 AND lease_owner = $5 AND status = 'pending'`,
        [nextAttemptAtMs, clipError(error), httpStatus, claim.entry.id, claim.owner],
      ),

    markFailed: (claim, nowMs, error, httpStatus) =>
      settle(
        `UPDATE notify_outbox SET status = 'failed', failed_at = $1, last_error = $2,
           last_http_status = $3, lease_owner = NULL, lease_until = NULL
         WHERE id = $4 AND lease_owner = $5 AND status = 'pending'`,
        [nowMs, clipError(error), httpStatus, claim.entry.id, claim.owner],
      ),

    async nextClaimableAtMs(channels) {
      if (channels.length === 0) return null;
      const { rows } = await pool.query<{ at: number | null }>(
        `SELECT MIN(GREATEST(o.next_attempt_at, COALESCE(o.lease_until, 0))) AS at
         FROM notify_outbox o WHERE ${FIRST_OF_GROUP}`,
        [[...channels]],
      );
      return rows[0]?.at ?? null;
    },

    async pendingCount(channels = CHANNELS) {
      const { rows } = await pool.query<{ count: number }>(
        `SELECT COUNT(*)::int AS count FROM notify_outbox
         WHERE status = 'pending' AND channel = ANY($1::text[])`,
        [[...channels]],
      );
      return rows[0]!.count;
    },

    async list(filter = {}) {
      const { rows } = await pool.query<Row>(
        `SELECT * FROM notify_outbox
         WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR channel = $2)
         ORDER BY id`,
        [filter.status ?? null, filter.channel ?? null],
      );
      return rows.map(toEntry);
    },

    release: (selection, nowMs = Date.now()) =>
      changeHeld(
        selection,
        `UPDATE notify_outbox SET status = 'pending', next_attempt_at = $2
         WHERE id = $1 AND status = 'held'`,
        [nowMs],
      ),

    discard: (selection, by, nowMs = Date.now()) =>
      changeHeld(
        selection,
        `UPDATE notify_outbox SET status = 'failed', failed_at = $2, last_error = $3
         WHERE id = $1 AND status = 'held'`,
        [nowMs, clipError(`discarded while held (observer mode) by ${by}`)],
      ),
  };
}
