// Observer mode and the notifications it holds (docs/API.md, "Observer mode"): written by the
// server, read by the app's banner, the admin CLI and the tests. Times are ISO 8601 UTC strings.

/** GET /api/observer, and `observer` in GET /api/gates. */
export interface ObserverStatus {
  /** True while notifications are held in the outbox instead of sent. */
  enabled: boolean;
  /** When the switch last changed; null when it never did. */
  changedAt: string | null;
  changedBy: string | null;
  reason: string | null;
  /** Notifications held now, waiting to be released or discarded. */
  heldNotifications: number;
}

/** PUT /api/observer (admin). */
export interface ObserverChange {
  enabled: boolean;
  /** Why, for the record (at most 500 characters). */
  reason?: string;
}

export type NotificationChannel = 'slack' | 'pagerduty';
export type NotificationStatus = 'pending' | 'held' | 'sent' | 'failed';

/** One row of the outbox, without its body (which may hold private tickets' titles). */
export interface NotificationEntry {
  id: number;
  channel: NotificationChannel;
  dedupKey: string;
  status: NotificationStatus;
  attempts: number;
  createdAt: string;
  /** A line saying what it is: the page's summary or the digest's fallback text. */
  summary: string;
  lastError: string | null;
}

/** GET /api/notifications?status=held (admin). */
export interface NotificationList {
  notifications: NotificationEntry[];
  /** Matching rows, of which at most `limit` are listed, oldest first. */
  total: number;
}

/** POST /api/notifications/release and /discard (admin): some ids, or every held one. */
export type HeldSelection = { ids: number[] } | { all: true };

export interface HeldChangeResult {
  /** Held notifications released to the delivery worker, or discarded. */
  changed: number;
  /** Ids asked for that were not held (already released, sent, or unknown). */
  notHeld: number[];
}
