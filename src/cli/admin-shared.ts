// `npm run admin -- tenant|token ... --database URL` (or DATABASE_URL): the tenant and token
// commands on the cluster's PostgreSQL, which every gateway reads, and `promotion override`, whose
// change lands there too. The schema is brought to this
// build's version first (as the server does at start; safe while servers run), and the demo
// tenants are seeded on first use, as on a fresh data directory. `tenant set` records its
// promotion and audit row in the data directory's console.db (as `promotion override` its
// override) and writes the settings to PostgreSQL; every gateway hears of each change within a second (NOTIFY).
import type { AdminValues } from './admin-common';
import { CommandError, UsageError, type AdminIo } from './admin-common';
import {
  checkId,
  printIssued,
  printRevoked,
  tenantListing,
  tenantSpecFromFlags,
  tokenIdArg,
  tokenListing,
  tokenRequestFromFlags,
} from './admin-access';
import { overridePromotion, setTenantSettings } from './admin-policy';
import type { PromotionGateOptions } from '../server/policy/gate';
import type { Db } from '../server/storage/database';
import type { AccessState } from '../server/state/access';
import { openPgPool } from '../server/state/pg';
import { pgAccessState } from '../server/state/pg-access';
import { migratePg } from '../server/state/pg-migrate';
import { openTenantDatabase } from '../server/tenants/schema';
import { demoTenants } from '../server/tenants/seed';
import type { TenantSpec } from '../server/tenants/tenant-spec';

type Env = Readonly<Record<string, string | undefined>>;

export interface SharedAccessLine {
  group: string;
  action: string | undefined;
  args: readonly string[];
  values: AdminValues;
  dataDir: string;
  databaseUrl: string;
}

/**
 * Runs a promotion command on console.db with the tenant settings in PostgreSQL: the gate reads
 * the tenants from there and writes an applied change back, awaited before this resolves.
 */
async function withSharedSettings(
  store: AccessState,
  dataDir: string,
  decide: (db: Db, tenantStore: NonNullable<PromotionGateOptions['tenantStore']>) => void,
): Promise<void> {
  const { tenants } = await store.listTenants();
  const writes: Promise<boolean>[] = [];
  const failures: string[] = [];
  const db = openTenantDatabase(dataDir);
  try {
    decide(db, {
      tenants: () => tenants,
      write: (spec: TenantSpec) => {
        const written = store.updateTenantSettings(spec);
        writes.push(written);
        return written;
      },
      log: (text) => void failures.push(text),
    });
    await Promise.allSettled(writes);
  } finally {
    db.close();
  }
  if (failures.length > 0) throw new CommandError(failures.join('; '));
}

async function tenantCommand(
  store: AccessState,
  line: SharedAccessLine,
  env: Env,
  io: AdminIo,
): Promise<void> {
  const { action, args, values } = line;
  switch (action) {
    case 'list': {
      const { tenants, faults } = await store.listTenants();
      for (const fault of faults) io.err(fault);
      return io.out(tenantListing(tenants, values));
    }
    case 'create': {
      const spec = tenantSpecFromFlags(args, values);
      await store.createTenant(spec);
      return io.out(`created tenant ${spec.id} (${spec.visibility}, ${spec.source.kind})`);
    }
    case 'set': {
      // Settings change what operators see or what a tenant costs: they are promotions.
      const id = checkId(args[0], 'tenant ID');
      return withSharedSettings(store, line.dataDir, (db, tenantStore) =>
        setTenantSettings(db, id, values, env, io, tenantStore),
      );
    }
    case 'delete': {
      const id = checkId(args[0], 'tenant ID');
      if (!(await store.deleteTenant(id))) throw new CommandError(`no such tenant: "${id}"`);
      return io.out(`deleted tenant ${id} and every grant to it`);
    }
    default:
      throw new UsageError(`unknown command "tenant ${action}"`);
  }
}

async function tokenCommand(store: AccessState, line: SharedAccessLine, io: AdminIo) {
  const { action, args, values } = line;
  switch (action) {
    case 'issue': {
      const request = tokenRequestFromFlags(values);
      return printIssued(await store.issueToken(request), request, io);
    }
    case 'list':
      return io.out(tokenListing(await store.listTokens(), values));
    case 'revoke': {
      const tokenId = tokenIdArg(args);
      return printRevoked(await store.revokeToken(tokenId), tokenId, io);
    }
    default:
      throw new UsageError(`unknown command "token ${action}"`);
  }
}

/** Runs a checked tenant or token command on PostgreSQL; errors are the caller's to report. */
export async function runSharedAccess(line: SharedAccessLine, env: Env, io: AdminIo) {
  const pool = await openPgPool(line.databaseUrl, { max: 2 });
  const store = pgAccessState({ pool, url: line.databaseUrl });
  try {
    await migratePg(pool);
    await store.seedTenantsOnce(demoTenants(line.dataDir));
    if (line.group === 'tenant') await tenantCommand(store, line, env, io);
    else if (line.group === 'token') await tokenCommand(store, line, io);
    else {
      await withSharedSettings(store, line.dataDir, (db, tenantStore) =>
        overridePromotion(db, line.args, line.values, io, env, tenantStore),
      );
    }
    return 0;
  } finally {
    await store.close();
    await pool.end();
  }
}
