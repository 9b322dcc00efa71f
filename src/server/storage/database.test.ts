import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { migrate, openDatabase, StorageError, type Migration } from './database';

const MIGRATIONS: Migration[] = [
  {
    version: 1,
    description: 'widgets',
    up: (db) => db.exec('CREATE TABLE widgets (id INTEGER PRIMARY KEY, name TEXT)'),
  },
  {
    version: 2,
    description: 'widget colour',
    up: (db) => db.exec('ALTER TABLE widgets ADD COLUMN colour TEXT'),
  },
];

describe('database', () => {
  it('opens in WAL mode under the data directory and applies migrations once', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'phase-db-'));
    const db = openDatabase(dir);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(migrate(db, 'widgets', MIGRATIONS)).toBe(2);
    expect(migrate(db, 'widgets', MIGRATIONS)).toBe(0);
    db.close();
    const reopened = openDatabase(dir);
    expect(migrate(reopened, 'widgets', MIGRATIONS)).toBe(0);
    reopened.prepare('INSERT INTO widgets (name, colour) VALUES (?, ?)').run('a', 'red');
    reopened.close();
  });

  it('rolls back a failing migration whole, leaving the previous version', () => {
    const db = openDatabase(':memory:');
    const broken: Migration[] = [
      MIGRATIONS[0]!,
      {
        version: 2,
        description: 'half done',
        up: (d) => {
          d.exec('ALTER TABLE widgets ADD COLUMN colour TEXT');
          d.exec('THIS IS NOT SQL');
        },
      },
    ];
    expect(() => migrate(db, 'widgets', broken)).toThrow();
    const columns = db.prepare("SELECT name FROM pragma_table_info('widgets')").pluck().all();
    expect(columns).toEqual(['id', 'name']);
    expect(migrate(db, 'widgets', MIGRATIONS)).toBe(1);
  });

  it('refuses migrations that are not numbered 1..n', () => {
    const db = openDatabase(':memory:');
    expect(() => migrate(db, 'x', [{ ...MIGRATIONS[0]!, version: 3 }])).toThrow(StorageError);
  });
});
