// The notification state behind one asynchronous interface with two implementations, as the
// tickets have (state/tickets.ts): the outbox and observer mode in the data directory's SQLite (one
// process, the default) or in the cluster's PostgreSQL (--database), where a notification held
// through one gateway is released or discarded through any other. Asynchronous because
// PostgreSQL's client is; the SQLite one answers at once.
import type { HeldChangeResult, HeldSelection, ObserverStatus } from '../../core/api/observer';
import type { StateBackend } from '../state/tickets';
import { inTransaction, type PgPool } from '../state/pg';
import type { Db } from '../storage/database';
import {
  createOutbox,
  type Channel,
  type Claim,
  type DeliveryQueue,
  type EnqueueInput,
  type EnqueueResult,
  type OutboxEntry,
  type OutboxStatus,
} from './outbox';
import { checkObserverSwitch, observerStatus, setObserver, type ObserverSwitch } from './observer';
import { pgOutbox } from './pg-outbox';

/** The outbox's operations (outbox.ts documents each), answered asynchronously. */
export interface AsyncOutbox extends DeliveryQueue {
  readonly maxPending: number;
  enqueue(
    input: EnqueueInput,
    nowMs?: number,
  ): Promise<{ result: EnqueueResult; entry: OutboxEntry }>;
  get(channel: Channel, dedupKey: string): Promise<OutboxEntry | undefined>;
  claim(
    channels: readonly Channel[],
    limit: number,
    nowMs: number,
    leaseMs: number,
  ): Promise<Claim[]>;
  markSent(claim: Claim, nowMs: number, httpStatus: number): Promise<boolean>;
  markRetry(
    claim: Claim,
    nextAttemptAtMs: number,
    error: string,
    httpStatus: number | null,
  ): Promise<boolean>;
  markFailed(
    claim: Claim,
    nowMs: number,
    error: string,
    httpStatus: number | null,
  ): Promise<boolean>;
  nextClaimableAtMs(channels: readonly Channel[]): Promise<number | null>;
  pendingCount(channels?: readonly Channel[]): Promise<number>;
  list(filter?: { status?: OutboxStatus; channel?: Channel }): Promise<OutboxEntry[]>;
  release(selection: HeldSelection, nowMs?: number): Promise<HeldChangeResult>;
  discard(selection: HeldSelection, by: string, nowMs?: number): Promise<HeldChangeResult>;
}

export interface NotifyState {
  readonly backend: StateBackend;
  readonly outbox: AsyncOutbox;
  observerStatus(): Promise<ObserverStatus>;
  /** Switches observer mode; resolves to whether it changed anything. */
  setObserver(change: ObserverSwitch, nowMs?: number): Promise<boolean>;
}

export interface NotifyStateOptions {
  maxPending?: number;
}

/** The data directory's outbox and switch (one process). */
export function sqliteNotifyState(db: Db, options: NotifyStateOptions = {}): NotifyState {
  const o = createOutbox({ db, maxPending: options.maxPending });
  // Async functions, so that a synchronous throw becomes a rejection as on PostgreSQL.
  const outbox: AsyncOutbox = {
    maxPending: o.maxPending,
    enqueue: async (input, nowMs) => o.enqueue(input, nowMs),
    get: async (channel, dedupKey) => o.get(channel, dedupKey),
    claim: async (channels, limit, nowMs, leaseMs) => o.claim(channels, limit, nowMs, leaseMs),
    markSent: async (claim, nowMs, httpStatus) => o.markSent(claim, nowMs, httpStatus),
    markRetry: async (claim, nextMs, error, httpStatus) =>
      o.markRetry(claim, nextMs, error, httpStatus),
    markFailed: async (claim, nowMs, error, httpStatus) =>
      o.markFailed(claim, nowMs, error, httpStatus),
    nextClaimableAtMs: async (channels) => o.nextClaimableAtMs(channels),
    pendingCount: async (channels) => o.pendingCount(channels),
    list: async (filter) => o.list(filter),
    release: async (selection, nowMs) => o.release(selection, nowMs),
    discard: async (selection, by, nowMs) => o.discard(selection, by, nowMs),
  };
  return {
    backend: 'sqlite',
    outbox,
    observerStatus: async () => observerStatus(db),
    setObserver: async (change, nowMs) => setObserver(db, change, nowMs),
  };
}

interface ObserverRow {
  enabled: boolean;
  changed_at: number;
  changed_by: string;
  reason: string;
}

/** The cluster's outbox and switch, shared by every gateway (--database). */
export function pgNotifyState(pool: PgPool, options: NotifyStateOptions = {}): NotifyState {
  return {
    backend: 'postgres',
    outbox: pgOutbox({ pool, maxPending: options.maxPending }),

    async observerStatus() {
      const { rows } = await pool.query<ObserverRow>(
        'SELECT enabled, changed_at, changed_by, reason FROM notify_observer WHERE id = 1',
      );
      const { rows: held } = await pool.query<{ count: number }>(
        `SELECT COUNT(*)::int AS count FROM notify_outbox WHERE status = 'held'`,
      );
      const row = rows[0];
      return {
        enabled: row?.enabled === true,
        changedAt: row ? new Date(row.changed_at).toISOString() : null,
        changedBy: row?.changed_by ?? null,
        reason: row?.reason ?? null,
        heldNotifications: held[0]!.count,
      };
    },

    async setObserver(change, nowMs = Date.now()) {
      const { by, reason } = checkObserverSwitch(change);
      return inTransaction(pool, async (client) => {
        // The first switch creates the row; the advisory lock serialises two first switches.
        await client.query(`SELECT pg_advisory_xact_lock(hashtextextended('notify_observer', 0))`);
        const { rows } = await client.query<{ enabled: boolean }>(
          'SELECT enabled FROM notify_observer WHERE id = 1',
        );
        const changed = (rows[0]?.enabled ?? false) !== change.enabled;
        if (changed || rows.length === 0) {
          await client.query(
            `INSERT INTO notify_observer (id, enabled, changed_at, changed_by, reason)
             VALUES (1, $1, $2, $3, $4)
             ON CONFLICT (id) DO UPDATE SET enabled = excluded.enabled,
               changed_at = excluded.changed_at, changed_by = excluded.changed_by,
               reason = excluded.reason`,
            [change.enabled, nowMs, by, reason],
          );
        }
        return changed;
      });
    },
  };
}
