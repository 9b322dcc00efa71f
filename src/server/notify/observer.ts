// Observer mode (the launch's burn-in): tickets open and resolve as usual, but nothing pages or
// posts. The switch lives in the console database, so the admin CLI flips it for a running server
// and every enqueue reads it in its own transaction: a notification is held or not, never both.
import type { ObserverStatus } from '../../core/api/observer';
import { migrate, type Db } from '../storage/database';
import { NOTIFY_COMPONENT, NOTIFY_MIGRATIONS } from './migrations';

export const MAX_OBSERVER_REASON_CHARS = 500;
export const MAX_OBSERVER_ACTOR_CHARS = 100;

interface ObserverRow {
  enabled: 0 | 1;
  changed_at: number;
  changed_by: string;
  reason: string;
}

export interface ObserverSwitch {
  enabled: boolean;
  by: string;
  reason?: string;
}

export class ObserverError extends Error {
  constructor(message: string) {
    super(`[notify] ${message}`);
    this.name = 'ObserverError';
  }
}

/** Migrates the notify tables when needed; every function below may be called on a fresh db. */
function ready(db: Db): Db {
  migrate(db, NOTIFY_COMPONENT, NOTIFY_MIGRATIONS);
  return db;
}

/** Whether notifications are held now; false when the switch was never set. */
export function observerEnabled(db: Db): boolean {
  const row = db.prepare('SELECT enabled FROM notify_observer WHERE id = 1').get() as
    Pick<ObserverRow, 'enabled'> | undefined;
  return row?.enabled === 1;
}

export function observerStatus(db: Db): ObserverStatus {
  ready(db);
  const row = db
    .prepare('SELECT enabled, changed_at, changed_by, reason FROM notify_observer WHERE id = 1')
    .get() as ObserverRow | undefined;
  const held = db
    .prepare(`SELECT COUNT(*) FROM notify_outbox WHERE status = 'held'`)
    .pluck()
    .get() as number;
  return {
    enabled: row?.enabled === 1,
    changedAt: row ? new Date(row.changed_at).toISOString() : null,
    changedBy: row?.changed_by ?? null,
    reason: row?.reason ?? null,
    heldNotifications: held,
  };
}

/** Who switches and why, trimmed; throws ObserverError when either is out of bounds. */
export function checkObserverSwitch(change: ObserverSwitch): { by: string; reason: string } {
  const by = change.by.trim();
  const reason = (change.reason ?? '').trim();
  if (by.length === 0 || by.length > MAX_OBSERVER_ACTOR_CHARS) {
    throw new ObserverError(`who switches must be 1 to ${MAX_OBSERVER_ACTOR_CHARS} characters`);
  }
  if (reason.length > MAX_OBSERVER_REASON_CHARS) {
    throw new ObserverError(`the reason must be at most ${MAX_OBSERVER_REASON_CHARS} characters`);
  }
  return { by, reason };
}

/** Switches observer mode; returns whether it changed anything. */
export function setObserver(db: Db, change: ObserverSwitch, nowMs = Date.now()): boolean {
  ready(db);
  const { by, reason } = checkObserverSwitch(change);
  return db.transaction(() => {
    const changed = observerEnabled(db) !== change.enabled;
    db.prepare(
      `INSERT INTO notify_observer (id, enabled, changed_at, changed_by, reason)
       VALUES (1, @enabled, @nowMs, @by, @reason)
       ON CONFLICT (id) DO UPDATE SET enabled = excluded.enabled, changed_at = excluded.changed_at,
         changed_by = excluded.changed_by, reason = excluded.reason
       WHERE notify_observer.enabled != excluded.enabled`,
    ).run({ enabled: change.enabled ? 1 : 0, nowMs, by, reason });
    return changed;
  })();
}
