// The tenants component's tables in console.db, and the one way to open them. Token secrets are
// stored only as SHA-256 digests; grants name tenants by id without a foreign key, so a config file
// that replaces the tenant table never cascades into tokens (a grant to a missing tenant is inert).
import { migrate, openDatabase, type Db, type Migration } from '../storage/database';

export const COMPONENT = 'tenants';

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'tenants, tokens (hashed) and their grants',
    up: (db) =>
      db.exec(`
        CREATE TABLE tenants (
          tenant_id TEXT PRIMARY KEY
            CHECK (length(tenant_id) BETWEEN 1 AND 63 AND tenant_id NOT GLOB '*[^a-z0-9_-]*'),
          name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
          visibility TEXT NOT NULL CHECK (visibility IN ('public', 'private')),
          source TEXT NOT NULL CHECK (json_valid(source)),
          slo_latency_ms REAL NOT NULL DEFAULT 7 CHECK (slo_latency_ms > 0),
          created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
        );
        CREATE TABLE tokens (
          token_id TEXT PRIMARY KEY,
          name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
          secret_sha256 BLOB NOT NULL UNIQUE CHECK (length(secret_sha256) = 32),
          created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
          revoked_at TEXT
        );
        CREATE TABLE token_grants (
          token_id TEXT NOT NULL REFERENCES tokens (token_id) ON DELETE CASCADE,
          tenant_id TEXT NOT NULL,
          PRIMARY KEY (token_id, tenant_id)
        ) WITHOUT ROWID;
        CREATE INDEX token_grants_by_tenant ON token_grants (tenant_id);
        -- One-off facts, such as whether the demo tenants were ever seeded.
        CREATE TABLE tenant_settings (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
      `),
  },
  {
    // Before roles, any token could change the tickets of every tenant it could see: tokens of
    // older data directories become operators, and only their explicit grants stay writable.
    version: 2,
    description: 'token roles: viewer, operator, admin (existing tokens become operators)',
    up: (db) =>
      db.exec(`
        ALTER TABLE tokens ADD COLUMN role TEXT NOT NULL DEFAULT 'operator'
          CHECK (role IN ('viewer', 'operator', 'admin'));
      `),
  },
];

/**
 * Each tenant's GPU threshold (the app's renderer choice): a component of its own, migrated after
 * the tenants tables it extends.
 */
export const DISPLAY_COMPONENT = 'tenant-display';
export const DISPLAY_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: "tenants' GPU threshold",
    up: (db) =>
      db.exec(`
        ALTER TABLE tenants ADD COLUMN gpu_threshold INTEGER
          CHECK (gpu_threshold IS NULL OR gpu_threshold BETWEEN 0 AND 16777216);
      `),
  },
];

/** Opens `DIR/console.db` with the tenants tables migrated to the current version. */
export function openTenantDatabase(dataDir: string | ':memory:'): Db {
  const db = openDatabase(dataDir);
  try {
    migrate(db, COMPONENT, MIGRATIONS);
    migrate(db, DISPLAY_COMPONENT, DISPLAY_MIGRATIONS);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}
