// `npm run admin -- migrate [--database URL]`: brings the cluster's PostgreSQL schema to this
// build's version (tenants, tokens, tickets and events partitioned by tenant, the notification
// outbox, audit rows). Safe to run while gateways run and from several places at once: the
// migrations wait for each other on an advisory lock and each applies once. The SQLite files of
// a data directory need no command: the server migrates them when it opens them.
import { parseArgs } from 'node:util';
import { StorageError } from '../server/storage/database';
import { databaseUrlFault, describeDatabase, openPgPool } from '../server/state/pg';
import { migratePg } from '../server/state/pg-migrate';
import { UsageError, type AdminIo } from './admin-common';

/** Whether the command line asks for `migrate` (the one admin command that is asynchronous). */
export function isMigrateCommand(argv: readonly string[]): boolean {
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    // The options that take a value may come before the command: `--data DIR migrate`.
    if (arg === '--data' || arg === '--database') i += 1;
    else if (!arg.startsWith('-')) return arg === 'migrate';
  }
  return false;
}

export async function runMigrate(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  io: AdminIo,
): Promise<number> {
  try {
    let parsed;
    try {
      parsed = parseArgs({
        args: [...argv],
        options: { database: { type: 'string' }, data: { type: 'string' } },
        strict: true,
        allowPositionals: true,
      });
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    if (parsed.positionals.length > 1) {
      throw new UsageError(`unexpected argument "${parsed.positionals[1]}"`);
    }
    const url = parsed.values.database ?? (env.DATABASE_URL || undefined);
    if (url === undefined) {
      throw new UsageError(
        'migrate needs --database URL or DATABASE_URL (postgres://...); the SQLite files of a ' +
          'data directory are migrated by the server when it opens them',
      );
    }
    const fault = databaseUrlFault(url);
    if (fault) {
      throw new UsageError(
        `${parsed.values.database !== undefined ? '--database' : 'DATABASE_URL'} ${fault}`,
      );
    }
    const pool = await openPgPool(url, { max: 1 });
    try {
      const report = await migratePg(pool);
      for (const m of report.applied) io.out(`applied ${m.version}: ${m.description}`);
      io.out(
        report.applied.length === 0
          ? `${describeDatabase(url)} is up to date (schema version ${report.version})`
          : `${describeDatabase(url)} is at schema version ${report.version}`,
      );
    } finally {
      await pool.end();
    }
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`[admin] ${error.message}\nRun "npm run admin -- --help" for the commands.`);
      return 2;
    }
    if (error instanceof StorageError) {
      io.err(error.message);
      return 1;
    }
    throw error;
  }
}
