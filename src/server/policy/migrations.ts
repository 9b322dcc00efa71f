// The policy gate's tables in console.db: promotions (what was asked, on which figures, and what
// came of it), the hash-chained audit log, and the live rates the server shares with the CLI.
import { migrate, type Db, type Migration } from '../storage/database';

export const POLICY_COMPONENT = 'policy';

const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'promotions and the hash-chained policy audit log',
    up: (db) =>
      db.exec(`
        CREATE TABLE promotions (
          id INTEGER PRIMARY KEY,
          created_at TEXT NOT NULL,
          tenant TEXT NOT NULL,
          kind TEXT NOT NULL,
          change TEXT NOT NULL,
          by TEXT NOT NULL,
          decision TEXT NOT NULL,
          deciding TEXT NOT NULL,
          errors TEXT NOT NULL,
          figures TEXT NOT NULL,
          -- The Cedar request context, kept so that a modified bundle can be weighed against it.
          context TEXT NOT NULL,
          status TEXT NOT NULL,
          override_by TEXT,
          override_reason TEXT,
          override_at TEXT
        );
        CREATE INDEX promotions_tenant ON promotions (tenant, id);
        CREATE TABLE policy_audit (
          seq INTEGER PRIMARY KEY,
          at TEXT NOT NULL,
          kind TEXT NOT NULL,
          actor TEXT NOT NULL,
          tenant TEXT NOT NULL,
          promotion_id INTEGER NOT NULL,
          decision TEXT NOT NULL,
          detail TEXT NOT NULL,
          prev_hash TEXT NOT NULL,
          hash TEXT NOT NULL
        );
        -- Each tenant's live rates, written by the server every few seconds, so that the admin
        -- CLI judges its promotions on the same figures as the server.
        CREATE TABLE policy_rates (
          tenant_id TEXT PRIMARY KEY,
          at_ms INTEGER NOT NULL,
          latency_p95_ms REAL,
          egress_bytes_per_s REAL NOT NULL,
          encode_cpu_ms_per_s REAL NOT NULL,
          window_s REAL NOT NULL
        ) WITHOUT ROWID;
        CREATE TRIGGER policy_audit_no_update BEFORE UPDATE ON policy_audit
          BEGIN SELECT RAISE(ABORT, 'the policy audit log is append-only'); END;
        CREATE TRIGGER policy_audit_no_delete BEFORE DELETE ON policy_audit
          BEGIN SELECT RAISE(ABORT, 'the policy audit log is append-only'); END;
      `),
  },
];

export function openPolicyTables(db: Db): Db {
  migrate(db, POLICY_COMPONENT, MIGRATIONS);
  return db;
}
