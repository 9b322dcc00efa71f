// The notification outbox's table in the console database. Released migrations are never edited:
// add one.
import type { Migration } from '../storage/database';

export const NOTIFY_COMPONENT = 'notify';

export const NOTIFY_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'notification outbox',
    up: (db) =>
      db.exec(`
        CREATE TABLE notify_outbox (
          id INTEGER PRIMARY KEY,
          channel TEXT NOT NULL CHECK (channel IN ('slack', 'pagerduty')),
          -- Identity of the notification: enqueued once per channel, whoever asks again.
          dedup_key TEXT NOT NULL,
          -- Rows of one group are delivered in id order (a PagerDuty resolve after its trigger).
          group_key TEXT NOT NULL,
          -- JSON, without secrets: the worker adds webhook URLs and routing keys at delivery.
          body TEXT NOT NULL,
          status TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
          attempts INTEGER NOT NULL DEFAULT 0,
          created_at INTEGER NOT NULL,
          next_attempt_at INTEGER NOT NULL,
          -- A worker that claimed the row; another may take it over once lease_until has passed.
          lease_owner TEXT,
          lease_until INTEGER,
          sent_at INTEGER,
          failed_at INTEGER,
          last_http_status INTEGER,
          last_error TEXT,
          UNIQUE (channel, dedup_key),
          CHECK ((status = 'sent') = (sent_at IS NOT NULL)),
          CHECK ((status = 'failed') = (failed_at IS NOT NULL))
        );
        CREATE INDEX notify_outbox_due ON notify_outbox (next_attempt_at, id)
          WHERE status = 'pending';
        CREATE INDEX notify_outbox_group ON notify_outbox (channel, group_key, id)
          WHERE status = 'pending';
      `),
  },
  {
    version: 2,
    description: 'observer mode: held notifications and the switch',
    // SQLite cannot change a CHECK constraint in place: the table is rebuilt with `held` allowed.
    up: (db) =>
      db.exec(`
        CREATE TABLE notify_outbox_v2 (
          id INTEGER PRIMARY KEY,
          channel TEXT NOT NULL CHECK (channel IN ('slack', 'pagerduty')),
          dedup_key TEXT NOT NULL,
          group_key TEXT NOT NULL,
          body TEXT NOT NULL,
          -- held: enqueued in observer mode; delivered only once released.
          status TEXT NOT NULL CHECK (status IN ('pending', 'held', 'sent', 'failed')),
          attempts INTEGER NOT NULL DEFAULT 0,
          created_at INTEGER NOT NULL,
          next_attempt_at INTEGER NOT NULL,
          lease_owner TEXT,
          lease_until INTEGER,
          sent_at INTEGER,
          failed_at INTEGER,
          last_http_status INTEGER,
          last_error TEXT,
          UNIQUE (channel, dedup_key),
          CHECK ((status = 'sent') = (sent_at IS NOT NULL)),
          CHECK ((status = 'failed') = (failed_at IS NOT NULL))
        );
        INSERT INTO notify_outbox_v2 SELECT * FROM notify_outbox;
        DROP TABLE notify_outbox;
        ALTER TABLE notify_outbox_v2 RENAME TO notify_outbox;
        CREATE INDEX notify_outbox_due ON notify_outbox (next_attempt_at, id)
          WHERE status = 'pending';
        CREATE INDEX notify_outbox_group ON notify_outbox (channel, group_key, id)
          WHERE status IN ('pending', 'held');
        CREATE INDEX notify_outbox_held ON notify_outbox (id) WHERE status = 'held';
        -- One row: whether notifications are held (observer mode), since when, who and why.
        CREATE TABLE notify_observer (
          id INTEGER PRIMARY KEY CHECK (id = 1),
          enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
          changed_at INTEGER NOT NULL,
          changed_by TEXT NOT NULL,
          reason TEXT NOT NULL DEFAULT ''
        );
      `),
  },
];
