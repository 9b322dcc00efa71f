// Where `tenant set`, `promotion ...` and `audit ...` act. Without --database: the data
// directory's console.db holds the tenants, the promotions and the audit chain. With --database
// (or DATABASE_URL): the cluster's PostgreSQL holds all three, one chain for every gateway (the
// schema brought to this build's version first, as a server does at start); console.db still
// lends the live rates the server on this data directory shares.
import { pgPolicyLedger } from '../server/state/pg-policy';
import { sqlitePolicyLedger } from '../server/policy/ledger';
import { openPgPool } from '../server/state/pg';
import { pgAccessState } from '../server/state/pg-access';
import { migratePg } from '../server/state/pg-migrate';
import { openTenantDatabase } from '../server/tenants/schema';
import { demoTenants } from '../server/tenants/seed';
import { seedTenantsOnce } from '../server/tenants/tenant-store';
import type { TenantSpec } from '../server/tenants/tenant-spec';
import { CommandError, type AdminIo, type AdminValues } from './admin-common';
import type { PolicyCommand } from './admin-policy';

type Env = Readonly<Record<string, string | undefined>>;

export interface PolicyLine {
  command: PolicyCommand;
  args: readonly string[];
  values: AdminValues;
  dataDir: string;
  databaseUrl: string | null;
}

async function onDataDirectory(line: PolicyLine, env: Env, io: AdminIo): Promise<void> {
  const db = openTenantDatabase(line.dataDir);
  try {
    // The data directory's first use, by the server or here, seeds the demo tenants.
    seedTenantsOnce(db, demoTenants(line.dataDir));
    const ledger = sqlitePolicyLedger(db, { settingsHere: true });
    await line.command.run({ db, ledger }, line.args, line.values, io, env);
  } finally {
    db.close();
  }
}

/**
 * On PostgreSQL: the gate reads the tenants from there and writes an applied change back,
 * awaited before this resolves; a write that failed fails the command.
 */
async function onDatabase(line: PolicyLine, url: string, env: Env, io: AdminIo): Promise<void> {
  const pool = await openPgPool(url, { max: 2 });
  const store = pgAccessState({ pool, url });
  // console.db only for the live rates its server shares.
  const db = openTenantDatabase(line.dataDir);
  try {
    await migratePg(pool);
    await store.seedTenantsOnce(demoTenants(line.dataDir));
    const { tenants } = await store.listTenants();
    const writes: Promise<boolean>[] = [];
    const failures: string[] = [];
    const tenantStore = {
      tenants: () => tenants,
      write: (spec: TenantSpec) => {
        const written = store.updateTenantSettings(spec);
        writes.push(written);
        return written;
      },
      log: (text: string) => void failures.push(text),
    };
    const place = { db, ledger: pgPolicyLedger(pool), tenantStore };
    await line.command.run(place, line.args, line.values, io, env);
    await Promise.allSettled(writes);
    if (failures.length > 0) throw new CommandError(failures.join('; '));
  } finally {
    db.close();
    await store.close();
    await pool.end();
  }
}

/** Runs a checked policy command; errors are the caller's to report. */
export function runPolicyCommand(line: PolicyLine, env: Env, io: AdminIo): Promise<void> {
  return line.databaseUrl
    ? onDatabase(line, line.databaseUrl, env, io)
    : onDataDirectory(line, env, io);
}
