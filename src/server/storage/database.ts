// The embedded SQLite database under the data directory. WAL mode and synchronous=NORMAL keep
// writes fast and a crash loses nothing committed; each component owns its migrations.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

export type Db = Database.Database;

export const DATABASE_FILE = 'console.db';

export interface Migration {
  /** 1, 2, 3... in order; never renumber or edit a released migration, add a new one. */
  version: number;
  description: string;
  up: (db: Db) => void;
}

export class StorageError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(`[storage] ${message}`, options);
    this.name = 'StorageError';
  }
}

/** Opens (creating if needed) `DIR/console.db`; `':memory:'` gives a private in-memory database. */
export function openDatabase(dataDir: string | ':memory:'): Db {
  let db: Db;
  const file = dataDir === ':memory:' ? ':memory:' : path.join(dataDir, DATABASE_FILE);
  try {
    if (dataDir !== ':memory:') mkdirSync(dataDir, { recursive: true });
    db = new Database(file);
  } catch (error) {
    throw new StorageError(`cannot open ${file}: ${(error as Error).message}`, { cause: error });
  }
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    component TEXT NOT NULL,
    version INTEGER NOT NULL,
    description TEXT NOT NULL,
    applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (component, version)
  )`);
  return db;
}

/**
 * Applies the component's migrations that have not run yet, each in its own transaction, so a
 * crash mid-migration leaves the database at the previous version.
 */
export function migrate(db: Db, component: string, migrations: readonly Migration[]): number {
  const applied = new Set(
    db
      .prepare('SELECT version FROM schema_migrations WHERE component = ?')
      .pluck()
      .all(component) as number[],
  );
  const record = db.prepare(
    'INSERT INTO schema_migrations (component, version, description) VALUES (?, ?, ?)',
  );
  let count = 0;
  const sorted = [...migrations].sort((a, b) => a.version - b.version);
  sorted.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new StorageError(
        `${component}: migrations must be numbered 1..n, found ${m.version} at ${i + 1}`,
      );
    }
  });
  for (const migration of sorted) {
    if (applied.has(migration.version)) continue;
    db.transaction(() => {
      migration.up(db);
      record.run(component, migration.version, migration.description);
    })();
    count += 1;
  }
  return count;
}
