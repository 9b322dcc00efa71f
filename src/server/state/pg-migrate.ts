// Applies the cluster schema's pending migrations. Several gateways may start at once against one
// database: a transaction-scoped advisory lock lets one migrate while the others wait, then find
// nothing left to do.
import { StorageError } from '../storage/database';
import { inTransaction, type PgPool } from './pg';
import { PG_MIGRATIONS, type PgMigration } from './pg-schema';

export const SCHEMA_COMPONENT = 'console';
/** Key of the advisory lock held while migrating ("phase-migrate" in ASCII, folded to 63 bits). */
const MIGRATION_LOCK = 0x7068617365_6d6an;

export interface MigrationReport {
  applied: { version: number; description: string }[];
  /** The schema's version afterwards. */
  version: number;
}

function checkNumbering(migrations: readonly PgMigration[]): PgMigration[] {
  const sorted = [...migrations].sort((a, b) => a.version - b.version);
  sorted.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new StorageError(`migrations must be numbered 1..n, found ${m.version} at ${i + 1}`);
    }
  });
  return sorted;
}

export async function migratePg(
  pool: PgPool,
  migrations: readonly PgMigration[] = PG_MIGRATIONS,
): Promise<MigrationReport> {
  const sorted = checkNumbering(migrations);
  return inTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK.toString()]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      component TEXT NOT NULL,
      version INTEGER NOT NULL,
      description TEXT NOT NULL,
      applied_at TIMESTAMPTZ NOT NULL DEFAULT now(),
      PRIMARY KEY (component, version)
    )`);
    const done = await client.query<{ version: number }>(
      'SELECT version FROM schema_migrations WHERE component = $1',
      [SCHEMA_COMPONENT],
    );
    const applied = new Set(done.rows.map((r) => r.version));
    const known = Math.max(0, ...sorted.map((m) => m.version));
    const newer = [...applied].filter((v) => v > known);
    if (newer.length > 0) {
      throw new StorageError(
        `the database's schema is at version ${Math.max(...newer)}, newer than this build's ` +
          `${known}: upgrade this server before pointing it at that database`,
      );
    }
    const report: MigrationReport = { applied: [], version: 0 };
    // One transaction for all: a failure leaves the schema as it was, and DDL is transactional.
    for (const migration of sorted) {
      if (!applied.has(migration.version)) {
        try {
          await client.query(migration.sql);
        } catch (error) {
          throw new StorageError(
            `migration ${migration.version} (${migration.description}) failed: ${(error as Error).message}`,
            { cause: error },
          );
        }
        await client.query(
          'INSERT INTO schema_migrations (component, version, description) VALUES ($1, $2, $3)',
          [SCHEMA_COMPONENT, migration.version, migration.description],
        );
        report.applied.push({ version: migration.version, description: migration.description });
      }
      report.version = migration.version;
    }
    return report;
  });
}
