// The shared PostgreSQL database of a cluster (--database URL): one pool per process, and one way
// to run a transaction. PostgreSQL's client is asynchronous, so every store over it is too
// (docs/ARCHITECTURE.md, "State").
import pg from 'pg';
import { StorageError } from '../storage/database';
import { databaseUrlFault, describeDatabase } from './database-url';

export { databaseUrlFault, describeDatabase };

export type PgPool = pg.Pool;
export type PgClient = pg.PoolClient;
/** A pool or a client inside a transaction: what a query runs on. */
export type PgQueryable = Pick<pg.Pool, 'query'>;

// BIGINT (int8) columns hold milliseconds since the epoch and ids, all below 2^53: read them as
// numbers, not strings.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export interface PgPoolOptions {
  /** Connections at most (default 10). */
  max?: number;
  log?: (line: string) => void;
}

/** Opens a pool and checks that the database answers; throws StorageError when it does not. */
export async function openPgPool(url: string, options: PgPoolOptions = {}): Promise<PgPool> {
  const fault = databaseUrlFault(url);
  if (fault) throw new StorageError(`--database ${fault}`);
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
    application_name: 'phase-console',
  });
  // An idle connection that the server drops (a restart, a failover) must not crash the process:
  // the pool replaces it at the next query.
  pool.on('error', (error) =>
    options.log?.(`[state] idle database connection lost: ${error.message}`),
  );
  try {
    await pool.query('SELECT 1');
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new StorageError(`cannot reach ${describeDatabase(url)}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return pool;
}

/**
 * Runs `fn` in one transaction on one connection: committed when it resolves, rolled back when it
 * throws (and the error passed on).
 */
export async function inTransaction<T>(
  pool: PgPool,
  fn: (client: PgClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
