// Kaizen's tables in the console database. Released migrations are never edited: add one.
import type { Migration } from '../storage/database';

export const KAIZEN_COMPONENT = 'kaizen';

export const KAIZEN_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'tickets and their event timeline',
    up: (db) =>
      db.exec(`
        CREATE TABLE tickets (
          id INTEGER PRIMARY KEY,
          tenant_id TEXT NOT NULL,
          visibility TEXT NOT NULL CHECK (visibility IN ('public', 'private')),
          title TEXT NOT NULL,
          severity TEXT NOT NULL CHECK (severity IN ('critical', 'error', 'warning', 'info')),
          source TEXT NOT NULL CHECK (source IN ('detector', 'alertmanager', 'manual')),
          fingerprint TEXT NOT NULL,
          status TEXT NOT NULL CHECK (status IN ('open', 'acknowledged', 'resolved')),
          opened_at INTEGER NOT NULL,
          acknowledged_at INTEGER,
          resolved_at INTEGER,
          resolved_by TEXT,
          outcome TEXT CHECK (outcome IN ('true_positive', 'false_positive')),
          summary TEXT NOT NULL DEFAULT '',
          reopen_count INTEGER NOT NULL DEFAULT 0,
          CHECK ((status = 'resolved') = (resolved_at IS NOT NULL AND resolved_by IS NOT NULL)),
          CHECK (outcome IS NULL OR status = 'resolved')
        );
        -- At most one unresolved ticket per incident: deduplication holds even against a bug.
        CREATE UNIQUE INDEX tickets_unresolved_incident
          ON tickets (tenant_id, fingerprint) WHERE status != 'resolved';
        CREATE INDEX tickets_incident_resolved ON tickets (tenant_id, fingerprint, resolved_at);
        CREATE INDEX tickets_opened ON tickets (opened_at, id);
        CREATE INDEX tickets_resolved ON tickets (resolved_at) WHERE resolved_at IS NOT NULL;
        CREATE TABLE ticket_events (
          id INTEGER PRIMARY KEY,
          ticket_id INTEGER NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
          at INTEGER NOT NULL,
          kind TEXT NOT NULL CHECK (kind IN
            ('opened', 'deduplicated', 'acknowledged', 'noted', 'resolved', 'reopened')),
          actor TEXT NOT NULL,
          detail TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX ticket_events_ticket ON ticket_events (ticket_id, id);
      `),
  },
];
