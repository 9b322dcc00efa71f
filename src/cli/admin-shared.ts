// `npm run admin -- tenant|token ... --database URL` (or DATABASE_URL): the tenant and token
// commands on the cluster's PostgreSQL, which every gateway reads. The schema is brought to this
// build's version first (as the server does at start; safe while servers run), and the demo
// tenants are seeded on first use, as on a fresh data directory; every gateway hears of each
// change within a second (NOTIFY). `tenant set` is a promotion: admin-policy-place.ts.
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
import type { AccessState } from '../server/state/access';
import { openPgPool } from '../server/state/pg';
import { pgAccessState } from '../server/state/pg-access';
import { migratePg } from '../server/state/pg-migrate';
import { demoTenants } from '../server/tenants/seed';

export interface SharedAccessLine {
  group: string;
  action: string | undefined;
  args: readonly string[];
  values: AdminValues;
  dataDir: string;
  databaseUrl: string;
}

async function tenantCommand(
  store: AccessState,
  line: SharedAccessLine,
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
export async function runSharedAccess(line: SharedAccessLine, io: AdminIo) {
  const pool = await openPgPool(line.databaseUrl, { max: 2 });
  const store = pgAccessState({ pool, url: line.databaseUrl });
  try {
    await migratePg(pool);
    await store.seedTenantsOnce(demoTenants(line.dataDir));
    if (line.group === 'tenant') await tenantCommand(store, line, io);
    else await tokenCommand(store, line, io);
    return 0;
  } finally {
    await store.close();
    await pool.end();
  }
}
