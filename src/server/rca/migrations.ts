// The RCA tables in the console database. Released migrations are never edited: add one.
import type { Migration } from '../storage/database';

export const RCA_COMPONENT = 'rca';

export const RCA_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'RCAs of tickets, every version, every review, and the change journal',
    up: (db) =>
      db.exec(`
        CREATE TABLE rcas (
          ticket_id INTEGER PRIMARY KEY REFERENCES tickets (id) ON DELETE CASCADE,
          tenant_id TEXT NOT NULL,
          status TEXT NOT NULL CHECK (status IN ('drafting', 'draft', 'approved', 'rejected')),
          revision INTEGER NOT NULL DEFAULT 1,
          engine TEXT CHECK (engine IN ('builtin', 'chat')),
          engine_note TEXT,
          evidence_json TEXT,
          -- Whether an engine ever drafted it: the effectiveness report's two groups.
          drafted INTEGER NOT NULL DEFAULT 0,
          first_opened_at INTEGER,
          updated_at INTEGER NOT NULL
        );
        CREATE TABLE rca_versions (
          id INTEGER PRIMARY KEY,
          ticket_id INTEGER NOT NULL REFERENCES rcas (ticket_id) ON DELETE CASCADE,
          version INTEGER NOT NULL,
          revision INTEGER NOT NULL,
          kind TEXT NOT NULL CHECK (kind IN ('draft', 'edit')),
          engine TEXT CHECK (engine IN ('builtin', 'chat')),
          author TEXT NOT NULL,
          at INTEGER NOT NULL,
          markdown TEXT NOT NULL,
          UNIQUE (ticket_id, version)
        );
        CREATE TABLE rca_reviews (
          id INTEGER PRIMARY KEY,
          ticket_id INTEGER NOT NULL REFERENCES rcas (ticket_id) ON DELETE CASCADE,
          revision INTEGER NOT NULL,
          version INTEGER NOT NULL,
          outcome TEXT NOT NULL CHECK (outcome IN ('approved', 'rejected')),
          by TEXT NOT NULL,
          at INTEGER NOT NULL,
          reason TEXT NOT NULL DEFAULT '',
          edit_distance_ratio REAL,
          review_seconds REAL,
          UNIQUE (ticket_id, revision)
        );
        CREATE INDEX rca_reviews_outcome ON rca_reviews (outcome, at);
        CREATE TABLE rca_changes (
          id INTEGER PRIMARY KEY,
          tenant_id TEXT,
          at INTEGER NOT NULL,
          kind TEXT NOT NULL,
          detail TEXT NOT NULL
        );
        CREATE INDEX rca_changes_at ON rca_changes (at);
      `),
  },
];
