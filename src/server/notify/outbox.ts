// The notification outbox: notifications are rows in the console database before anything goes
// on the wire, so a crash loses none of them. A caller enqueues in the transaction of the state
// change the notification reports (it commits with it or not at all); a delivery worker claims due
// rows, sends them and marks them sent in a transaction after the receiver's 2xx. The same
// dedup_key is enqueued once per channel, so retrying a whole operation does not notify twice.
// In observer mode (observer.ts) a new row is `held`: kept, listed, and sent only once released.
import { randomUUID } from 'node:crypto';
import type { HeldChangeResult, HeldSelection } from '../../core/api/observer';
import { migrate, type Db } from '../storage/database';
import { NOTIFY_COMPONENT, NOTIFY_MIGRATIONS } from './migrations';
import { observerEnabled } from './observer';

export const CHANNELS = ['slack', 'pagerduty'] as const;
export type Channel = (typeof CHANNELS)[number];

export type OutboxStatus = 'pending' | 'held' | 'sent' | 'failed';

/** Pending notifications per channel beyond which enqueue refuses (see NotifyQueueFullError). */
export const DEFAULT_MAX_PENDING = 10_000;
export const MAX_DEDUP_KEY_CHARS = 255;
/** Largest stored body: Slack takes 40,000 characters of text, PagerDuty 512 KB per event. */
export const MAX_BODY_BYTES = 256 * 1024;

export interface OutboxEntry {
  id: number;
  channel: Channel;
  dedupKey: string;
  groupKey: string;
  body: unknown;
  status: OutboxStatus;
  /** Attempts started (counted when a worker claims the row, before it sends). */
  attempts: number;
  createdAtMs: number;
  nextAttemptAtMs: number;
  sentAtMs: number | null;
  failedAtMs: number | null;
  lastHttpStatus: number | null;
  lastError: string | null;
}

export interface EnqueueInput {
  channel: Channel;
  dedupKey: string;
  /** Delivered in id order with other rows of the group; defaults to the dedup key. */
  groupKey?: string;
  /** JSON-serialisable; no secrets (the worker adds the webhook URL or routing key). */
  body: unknown;
}

/**
 * `queued`: a new row. `duplicate`: the key was already pending, held or sent; nothing changed
 * (the first body wins). `requeued`: the key had failed for good; it is pending again with this
 * body. In observer mode a queued or requeued row is held instead of pending.
 */
export type EnqueueResult = 'queued' | 'duplicate' | 'requeued';

export class NotifyError extends Error {
  constructor(message: string) {
    super(`[notify] ${message}`);
    this.name = 'NotifyError';
  }
}

/** The outbox holds maxPending undelivered notifications of the channel already. */
export class NotifyQueueFullError extends NotifyError {
  constructor(channel: Channel, maxPending: number) {
    super(`the ${channel} queue is full (${maxPending} notifications pending); deliver them first`);
    this.name = 'NotifyQueueFullError';
  }
}

export interface Claim {
  entry: OutboxEntry;
  /** Proof of the claim for markSent/markRetry/markFailed. */
  owner: string;
}

type Awaitable<T> = T | Promise<T>;

/**
 * What the delivery worker needs of an outbox: the SQLite one answers at once, the cluster's
 * PostgreSQL one (pg-outbox.ts) asynchronously.
 */
export interface DeliveryQueue {
  claim(
    channels: readonly Channel[],
    limit: number,
    nowMs: number,
    leaseMs: number,
  ): Awaitable<Claim[]>;
  markSent(claim: Claim, nowMs: number, httpStatus: number): Awaitable<boolean>;
  markRetry(
    claim: Claim,
    nextAttemptAtMs: number,
    error: string,
    httpStatus: number | null,
  ): Awaitable<boolean>;
  markFailed(
    claim: Claim,
    nowMs: number,
    error: string,
    httpStatus: number | null,
  ): Awaitable<boolean>;
  nextClaimableAtMs(channels: readonly Channel[]): Awaitable<number | null>;
  pendingCount(channels?: readonly Channel[]): Awaitable<number>;
}

/** A checked enqueue: the body as stored JSON text and the group it is delivered in. */
export interface CheckedEnqueue {
  body: string;
  groupKey: string;
}

/** Throws NotifyError on an unknown channel, a bad dedup key or a body that cannot be stored. */
export function checkEnqueue(input: EnqueueInput): CheckedEnqueue {
  if (!(CHANNELS as readonly string[]).includes(input.channel)) {
    throw new NotifyError(`unknown channel "${String(input.channel)}"`);
  }
  if (input.dedupKey.length === 0 || input.dedupKey.length > MAX_DEDUP_KEY_CHARS) {
    throw new NotifyError(
      `dedup_key must be 1 to ${MAX_DEDUP_KEY_CHARS} characters, got ${input.dedupKey.length}`,
    );
  }
  const body = JSON.stringify(input.body);
  if (body === undefined) throw new NotifyError(`${input.dedupKey}: body is not JSON`);
  if (Buffer.byteLength(body) > MAX_BODY_BYTES) {
    throw new NotifyError(`${input.dedupKey}: body is over ${MAX_BODY_BYTES} bytes`);
  }
  return { body, groupKey: input.groupKey ?? input.dedupKey };
}

export interface Outbox extends DeliveryQueue {
  readonly db: Db;
  readonly maxPending: number;
  enqueue(input: EnqueueInput, nowMs?: number): { result: EnqueueResult; entry: OutboxEntry };
  get(channel: Channel, dedupKey: string): OutboxEntry | undefined;
  /**
   * Claims up to `limit` due rows of these channels for `leaseMs`, oldest due first, at most the
   * first pending row of each group, and counts an attempt on each.
   */
  claim(channels: readonly Channel[], limit: number, nowMs: number, leaseMs: number): Claim[];
  /** False when the claim was lost (its lease expired and another worker took the row). */
  markSent(claim: Claim, nowMs: number, httpStatus: number): boolean;
  markRetry(
    claim: Claim,
    nextAttemptAtMs: number,
    error: string,
    httpStatus: number | null,
  ): boolean;
  markFailed(claim: Claim, nowMs: number, error: string, httpStatus: number | null): boolean;
  /**
   * When the next row of these channels could be claimed (a due time or an expiring lease); null
   * when none is pending.
   */
  nextClaimableAtMs(channels: readonly Channel[]): number | null;
  pendingCount(channels?: readonly Channel[]): number;
  list(filter?: { status?: OutboxStatus; channel?: Channel }): OutboxEntry[];
  /** Makes held rows pending (due now), in id order; a group's order holds across a release. */
  release(selection: HeldSelection, nowMs?: number): HeldChangeResult;
  /** Gives held rows up for good (`failed`, with who discarded them), never sending them. */
  discard(selection: HeldSelection, by: string, nowMs?: number): HeldChangeResult;
}

export interface OutboxOptions {
  db: Db;
  maxPending?: number;
}

export interface OutboxRow {
  id: number;
  channel: Channel;
  dedup_key: string;
  group_key: string;
  body: string;
  status: OutboxStatus;
  attempts: number;
  created_at: number;
  next_attempt_at: number;
  lease_owner: string | null;
  lease_until: number | null;
  sent_at: number | null;
  failed_at: number | null;
  last_http_status: number | null;
  last_error: string | null;
}

/** An outbox row of either database, its body decoded, as an entry. */
export function entryOfRow(row: Omit<OutboxRow, 'body'> & { body: unknown }): OutboxEntry {
  return {
    id: row.id,
    channel: row.channel,
    dedupKey: row.dedup_key,
    groupKey: row.group_key,
    body: row.body,
    status: row.status,
    attempts: row.attempts,
    createdAtMs: row.created_at,
    nextAttemptAtMs: row.next_attempt_at,
    sentAtMs: row.sent_at,
    failedAtMs: row.failed_at,
    lastHttpStatus: row.last_http_status,
    lastError: row.last_error,
  };
}

const toEntry = (row: OutboxRow): OutboxEntry =>
  entryOfRow({ ...row, body: JSON.parse(row.body) as unknown });

const MAX_ERROR_CHARS = 1000;
export const clipError = (text: string): string =>
  text.length <= MAX_ERROR_CHARS ? text : `${text.slice(0, MAX_ERROR_CHARS - 1)}…`;

// Pending and first of its group: the only rows of a group a worker may send. A held row earlier
// in the group holds the rest back (a PagerDuty resolve waits for its held trigger).
const FIRST_OF_GROUP = `o.status = 'pending'
  AND o.channel IN (SELECT value FROM json_each(@channels))
  AND NOT EXISTS (SELECT 1 FROM notify_outbox e WHERE e.status IN ('pending', 'held')
    AND e.channel = o.channel AND e.group_key = o.group_key AND e.id < o.id)`;

export function createOutbox(options: OutboxOptions): Outbox {
  const { db } = options;
  const maxPending = options.maxPending ?? DEFAULT_MAX_PENDING;
  migrate(db, NOTIFY_COMPONENT, NOTIFY_MIGRATIONS);

  const stmt = {
    byKey: db.prepare('SELECT * FROM notify_outbox WHERE channel = ? AND dedup_key = ?'),
    byId: db.prepare('SELECT * FROM notify_outbox WHERE id = ?'),
    // Held rows count too: the bound is on what the database keeps undelivered.
    pendingOf: db
      .prepare(
        `SELECT COUNT(*) FROM notify_outbox WHERE status IN ('pending', 'held') AND channel = ?`,
      )
      .pluck(),
    insert: db.prepare(
      `INSERT INTO notify_outbox (channel, dedup_key, group_key, body, status, created_at,
         next_attempt_at)
       VALUES (@channel, @dedupKey, @groupKey, @body, @status, @nowMs, @nowMs)`,
    ),
    requeue: db.prepare(
      `UPDATE notify_outbox SET status = @status, body = @body, group_key = @groupKey,
         attempts = 0, next_attempt_at = @nowMs, lease_owner = NULL, lease_until = NULL,
         failed_at = NULL, last_http_status = NULL, last_error = NULL
       WHERE id = @id AND status = 'failed'`,
    ),
    claimable: db
      .prepare(
        `SELECT o.id FROM notify_outbox o WHERE ${FIRST_OF_GROUP}
           AND o.next_attempt_at <= @nowMs AND (o.lease_until IS NULL OR o.lease_until <= @nowMs)
         ORDER BY o.next_attempt_at, o.id LIMIT @limit`,
      )
      .pluck(),
    lease: db.prepare(
      `UPDATE notify_outbox SET lease_owner = ?, lease_until = ?, attempts = attempts + 1
       WHERE id = ?`,
    ),
    sent: db.prepare(
      `UPDATE notify_outbox SET status = 'sent', sent_at = ?, last_http_status = ?,
         last_error = NULL, lease_owner = NULL, lease_until = NULL
       WHERE id = ? AND lease_owner = ? AND status = 'pending'`,
    ),
    retry: db.prepare(
      `UPDATE notify_outbox SET next_attempt_at = ?, last_error = ?, last_http_status = ?,
         lease_owner = NULL, lease_until = NULL
       WHERE id = ? AND lease_owner = ? AND status = 'pending'`,
    ),
    failed: db.prepare(
      `UPDATE notify_outbox SET status = 'failed', failed_at = ?, last_error = ?,
         last_http_status = ?, lease_owner = NULL, lease_until = NULL
       WHERE id = ? AND lease_owner = ? AND status = 'pending'`,
    ),
    // A row is claimable once it is due and any lease on it has run out.
    nextClaimable: db
      .prepare(
        `SELECT MIN(MAX(o.next_attempt_at, COALESCE(o.lease_until, 0))) FROM notify_outbox o
         WHERE ${FIRST_OF_GROUP}`,
      )
      .pluck(),
    heldIds: db.prepare(`SELECT id FROM notify_outbox WHERE status = 'held' ORDER BY id`).pluck(),
    release: db.prepare(
      `UPDATE notify_outbox SET status = 'pending', next_attempt_at = ?
       WHERE id = ? AND status = 'held'`,
    ),
    discard: db.prepare(
      `UPDATE notify_outbox SET status = 'failed', failed_at = ?, last_error = ?
       WHERE id = ? AND status = 'held'`,
    ),
    pending: db
      .prepare(
        `SELECT COUNT(*) FROM notify_outbox WHERE status = 'pending'
         AND channel IN (SELECT value FROM json_each(?))`,
      )
      .pluck(),
  };

  const mustGet = (id: number): OutboxEntry => toEntry(stmt.byId.get(id) as OutboxRow);

  const checkRoom = (channel: Channel): void => {
    if ((stmt.pendingOf.get(channel) as number) >= maxPending) {
      throw new NotifyQueueFullError(channel, maxPending);
    }
  };

  return {
    db,
    maxPending,

    enqueue(input, nowMs = Date.now()) {
      const { body, groupKey } = checkEnqueue(input);
      // A savepoint inside the caller's transaction, a transaction of its own otherwise.
      return db.transaction(() => {
        const existing = stmt.byKey.get(input.channel, input.dedupKey) as OutboxRow | undefined;
        if (existing && existing.status !== 'failed') {
          return { result: 'duplicate' as const, entry: toEntry(existing) };
        }
        checkRoom(input.channel);
        const status: OutboxStatus = observerEnabled(db) ? 'held' : 'pending';
        if (existing) {
          stmt.requeue.run({ id: existing.id, body, groupKey, nowMs, status });
          return { result: 'requeued' as const, entry: mustGet(existing.id) };
        }
        const info = stmt.insert.run({
          channel: input.channel,
          dedupKey: input.dedupKey,
          groupKey,
          body,
          nowMs,
          status,
        });
        return { result: 'queued' as const, entry: mustGet(Number(info.lastInsertRowid)) };
      })();
    },

    get(channel, dedupKey) {
      const row = stmt.byKey.get(channel, dedupKey) as OutboxRow | undefined;
      return row ? toEntry(row) : undefined;
    },

    claim(channels, limit, nowMs, leaseMs) {
      if (channels.length === 0 || limit <= 0) return [];
      const owner = randomUUID();
      // IMMEDIATE: take the write lock before reading, so two processes never claim one row.
      return db
        .transaction(() => {
          const ids = stmt.claimable.all({
            channels: JSON.stringify(channels),
            nowMs,
            limit,
          }) as number[];
          return ids.map((id) => {
            stmt.lease.run(owner, nowMs + leaseMs, id);
            return { entry: mustGet(id), owner };
          });
        })
        .immediate();
    },

    markSent(claim, nowMs, httpStatus) {
      // One statement: the row is sent or it is not; a crash before it leaves the row pending.
      return stmt.sent.run(nowMs, httpStatus, claim.entry.id, claim.owner).changes === 1;
    },

    markRetry(claim, nextAttemptAtMs, error, httpStatus) {
      return (
        stmt.retry.run(nextAttemptAtMs, clipError(error), httpStatus, claim.entry.id, claim.owner)
          .changes === 1
      );
    },

    markFailed(claim, nowMs, error, httpStatus) {
      return (
        stmt.failed.run(nowMs, clipError(error), httpStatus, claim.entry.id, claim.owner)
          .changes === 1
      );
    },

    nextClaimableAtMs(channels) {
      if (channels.length === 0) return null;
      return (
        (stmt.nextClaimable.get({ channels: JSON.stringify(channels) }) as number | null) ?? null
      );
    },

    pendingCount(channels = CHANNELS) {
      return stmt.pending.get(JSON.stringify(channels)) as number;
    },

    list(filter = {}) {
      const where: string[] = [];
      const params: unknown[] = [];
      if (filter.status) {
        where.push('status = ?');
        params.push(filter.status);
      }
      if (filter.channel) {
        where.push('channel = ?');
        params.push(filter.channel);
      }
      const sql = `SELECT * FROM notify_outbox ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id`;
      return (db.prepare(sql).all(...params) as OutboxRow[]).map(toEntry);
    },

    release(selection, nowMs = Date.now()) {
      return changeHeld(selection, (id) => stmt.release.run(nowMs, id).changes === 1);
    },

    discard(selection, by, nowMs = Date.now()) {
      const why = clipError(`discarded while held (observer mode) by ${by}`);
      return changeHeld(selection, (id) => stmt.discard.run(nowMs, why, id).changes === 1);
    },
  };

  /** Applies `change` to the selected held rows in one transaction, in id order. */
  function changeHeld(selection: HeldSelection, change: (id: number) => boolean) {
    return db.transaction((): HeldChangeResult => {
      const ids =
        'all' in selection ? (stmt.heldIds.all() as number[]) : [...new Set(selection.ids)];
      const notHeld: number[] = [];
      let changed = 0;
      for (const id of ids.sort((a, b) => a - b)) {
        if (change(id)) changed += 1;
        else notHeld.push(id);
      }
      return { changed, notHeld };
    })();
  }
}
