// `npm run admin -- COMMAND`: tenants and access tokens of a data directory, while the server runs
// or not (it follows changes within a second: revoking a token closes its connections).
// Exit codes: 0 done, 1 the command failed, 2 bad command line.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { TraceError } from '../core/trace';
import type { Db } from '../server/storage/database';
import { StorageError } from '../server/storage/database';
import { openTenantDatabase } from '../server/tenants/schema';
import { demoTenants } from '../server/tenants/seed';
import {
  TenantStoreError,
  createTenant,
  deleteTenant,
  listTenants,
  seedTenantsOnce,
} from '../server/tenants/tenant-store';
import {
  TokenStoreError,
  issueToken,
  listTokens,
  revokeToken,
} from '../server/tenants/token-store';
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
import { CommandError, UsageError, type AdminCommand, type AdminIo } from './admin-common';
import { NOTIFY_COMMANDS, runNotifyCommand, type NotifyCommand } from './admin-observer';
import { GATE_COMMANDS } from './admin-gates';
import { POLICY_COMMANDS } from './admin-policy';
import { runPolicyCommand } from './admin-policy-place';
import type { PolicyCommand } from './admin-policy';
import { isMigrateCommand, runMigrate } from './admin-migrate';
import { runSharedAccess } from './admin-shared';
import { databaseUrlFault } from '../server/state/database-url';

/** Command groups kept in files of their own. */
const GROUP_COMMANDS: Record<string, AdminCommand> = {
  ...GATE_COMMANDS,
};
import {
  SECRETS,
  SECRET_NAMES,
  SecretError,
  ensureSecret,
  rotateSecret,
  secretPath,
  type SecretName,
} from '../server/secrets';

export const USAGE = `Usage: npm run admin -- [--data DIR] [--database URL] COMMAND [options]

Tenants, access tokens, promotions, the audit chain, observer mode and the notification outbox
in DIR/console.db (default ./data, env DATA_DIR: the server's --data), or, with --database URL
(env DATABASE_URL), in the cluster's PostgreSQL that every gateway reads. Secrets and SDK demand
stay in DIR either way. A running server picks changes up within a second.

Commands:
  tenant list [--json]
  tenant create ID --name NAME (--trace PATH | --live WxH [--seed N])
                [--visibility public|private] [--slo-ms MS]
        ID: 1-63 of a-z 0-9 _ -; private by default; SLO 7 ms by default
  tenant delete ID              also removes every grant to it
  tenant set ID [--slo-ms MS] [--visibility public|private] [--gpu-threshold N|default]
                [--live WxH] [--trace PATH] [--override-reason TEXT] [--by NAME]
        a promotion: the policy bundle (ops/policy, env POLICY_BUNDLE) judges the change
        against the live figures the running server shares; allowed, it is applied; denied,
        nothing changes (exit 1) unless --override-reason says why (audited). --gpu-threshold:
        spins below which the app draws on the CPU canvas for this tenant; default: the
        server's --gpu-threshold (create takes --gpu-threshold too)
  promotion list [--limit N] [--json]
  promotion override ID --override-reason TEXT [--by NAME]
        applies a denied promotion, recorded in the audit log with the reason
  audit verify [--json]         checks the audit log's hash chain: exit 1 when a row was
                                edited or deleted; prints the head hash to keep elsewhere
  audit list [--limit N] [--json]
  token issue --name NAME --tenants ID[,ID...] [--role viewer|operator|admin]
        prints the token once on stdout (it is stored only as a SHA-256 hash). viewer (the
        default) reads the tenants; operator also acknowledges, resolves and annotates their
        tickets; admin also manages tenants, tokens and settings. The name is the actor
        recorded on ticket timelines.
  token list [--json]
  token revoke TOKEN_ID         closes the token's live connections
  secret show alertmanager|metrics
        prints the webhook secret Alertmanager presents, or the scrape secret of /metrics
        (generated in DIR at the server's first start, or here)
  secret rotate alertmanager|metrics
        replaces it; the server takes the new one at the next request
  observer on|off [--reason TEXT] [--by NAME]
        observer mode: tickets as usual, but pages and digests are held in the outbox
  observer status [--json]
  notifications list [--status held|pending|sent|failed] [--channel slack|pagerduty] [--json]
  notifications release (ID... | --all)   sends held notifications
  notifications discard (ID... | --all) [--by NAME]   drops held notifications for good
  sdk-demand record --sdk rust|go|python|java|other --reason TEXT [--by NAME]
        external SDK demand: the wire-format gate's third condition (GET /api/gates)
  sdk-demand list [--json]
  migrate [--database URL]
        brings the cluster's PostgreSQL schema (env DATABASE_URL) to this build's version; safe
        while servers run. SQLite files need no command: the server migrates them itself

Options:
  --data DIR        state directory (env DATA_DIR, default ./data)
  --database URL    tenant, token, promotion, audit, observer and notifications commands on
                    the cluster's PostgreSQL (env DATABASE_URL) instead of DIR/console.db: one
                    audit chain, one observer switch and one outbox for every gateway; tenant
                    set still judges on the live rates DIR's server shares
  --help            show this text`;

export type { AdminIo };

const OPTIONS = {
  data: { type: 'string' },
  database: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  json: { type: 'boolean' },
  name: { type: 'string' },
  tenants: { type: 'string' },
  trace: { type: 'string' },
  live: { type: 'string' },
  seed: { type: 'string' },
  visibility: { type: 'string' },
  'slo-ms': { type: 'string' },
  reason: { type: 'string' },
  by: { type: 'string' },
  all: { type: 'boolean' },
  status: { type: 'string' },
  channel: { type: 'string' },
  sdk: { type: 'string' },
  'gpu-threshold': { type: 'string' },
  role: { type: 'string' },
  'override-reason': { type: 'string' },
  limit: { type: 'string' },
} as const;

type Values = {
  [K in keyof typeof OPTIONS]?: (typeof OPTIONS)[K]['type'] extends 'boolean' ? boolean : string;
};

const COMMAND_OPTIONS: Record<string, readonly (keyof Values)[]> = {
  'tenant list': ['json'],
  'tenant create': ['name', 'trace', 'live', 'seed', 'visibility', 'slo-ms', 'gpu-threshold'],
  'tenant set': ['slo-ms', 'visibility', 'gpu-threshold', 'live', 'trace', 'override-reason', 'by'],
  'tenant delete': [],
  'token issue': ['name', 'tenants', 'role'],
  'token list': ['json'],
  'token revoke': [],
  'secret show': [],
  'secret rotate': [],
};

function tenantCommand(db: Db, action: string, args: string[], values: Values, io: AdminIo) {
  switch (action) {
    case 'list': {
      const { tenants, faults } = listTenants(db);
      for (const fault of faults) io.err(fault);
      return io.out(tenantListing(tenants, values));
    }
    case 'create': {
      const spec = tenantSpecFromFlags(args, values);
      createTenant(db, spec);
      return io.out(`created tenant ${spec.id} (${spec.visibility}, ${spec.source.kind})`);
    }
    case 'delete': {
      const id = checkId(args[0], 'tenant ID');
      if (!deleteTenant(db, id)) throw new CommandError(`no such tenant: "${id}"`);
      return io.out(`deleted tenant ${id} and every grant to it`);
    }
    default:
      throw new UsageError(`unknown command "tenant ${action}"`);
  }
}

function tokenCommand(db: Db, action: string, args: string[], values: Values, io: AdminIo) {
  switch (action) {
    case 'issue': {
      const request = tokenRequestFromFlags(values);
      return printIssued(issueToken(db, request), request, io);
    }
    case 'list': {
      return io.out(tokenListing(listTokens(db), values));
    }
    case 'revoke': {
      const tokenId = tokenIdArg(args);
      return printRevoked(revokeToken(db, tokenId), tokenId, io);
    }
    default:
      throw new UsageError(`unknown command "token ${action}"`);
  }
}

function secretCommand(dataDir: string, action: string, args: string[], io: AdminIo) {
  const name = args[0];
  if (name === undefined || !(SECRET_NAMES as string[]).includes(name)) {
    throw new UsageError(`name the secret: ${SECRET_NAMES.join(' or ')}`);
  }
  const secret = name as SecretName;
  switch (action) {
    case 'show': {
      const { value, created } = ensureSecret(dataDir, secret);
      io.err(
        `${created ? 'generated' : 'the'} ${SECRETS[secret].what}, in ${secretPath(dataDir, secret)}:`,
      );
      return io.out(value);
    }
    case 'rotate': {
      const value = rotateSecret(dataDir, secret);
      io.err(
        `rotated the ${SECRETS[secret].what} in ${secretPath(dataDir, secret)}; the server ` +
          `takes it at the next request, so give the new one to ${secret === 'alertmanager' ? 'Alertmanager' : 'Prometheus'}:`,
      );
      return io.out(value);
    }
    default:
      throw new UsageError(`unknown command "secret ${action}"`);
  }
}

/** A checked command line: the command, its arguments and options, where it acts. */
interface AdminLine {
  group: string;
  action: string | undefined;
  args: string[];
  values: Values;
  grouped: AdminCommand | undefined;
  /** `tenant set`, `promotion ...`, `audit ...`: asynchronous, on console.db or PostgreSQL. */
  policy: PolicyCommand | undefined;
  /** `observer ...`, `notifications ...`: asynchronous, on console.db or PostgreSQL. */
  notify: NotifyCommand | undefined;
  dataDir: string;
  /** The cluster's PostgreSQL (--database, DATABASE_URL) for a command whose state lives there. */
  databaseUrl: string | null;
}

/** Checks the command line (UsageError when it is wrong); null for --help. */
function parseLine(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): AdminLine | null {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: OPTIONS,
      strict: true,
      allowPositionals: true,
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const values = parsed.values as Values;
  if (values.help) return null;
  const [group, action, ...args] = parsed.positionals;
  if (group === undefined) throw new UsageError('no command given');
  const command = `${group} ${action ?? ''}`.trim();
  const grouped = GROUP_COMMANDS[command];
  const policy = POLICY_COMMANDS[command];
  const notify = NOTIFY_COMMANDS[command];
  const allowed =
    grouped?.options ?? policy?.options ?? notify?.options ?? COMMAND_OPTIONS[command];
  if (!allowed) throw new UsageError(`unknown command "${command}"`);
  const maxArgs =
    grouped?.maxArgs ??
    policy?.maxArgs ??
    notify?.maxArgs ??
    ([
      'tenant create',
      'tenant delete',
      'tenant set',
      'token revoke',
      'secret show',
      'secret rotate',
    ].includes(command)
      ? 1
      : 0);
  if (args.length > maxArgs) throw new UsageError(`unexpected argument "${args[maxArgs]}"`);
  // Commands whose state lives in PostgreSQL with --database: tenants, tokens, promotions, the
  // audit chain, observer mode and the notification outbox.
  const access =
    group === 'tenant' || group === 'token' || policy !== undefined || notify !== undefined;
  for (const key of Object.keys(values) as (keyof Values)[]) {
    if (key === 'data' || (key === 'database' && access)) continue;
    if (key === 'database') {
      throw new UsageError(
        `--database goes with the tenant, token, promotion, audit, observer, notifications and ` +
          `migrate commands, not "${command}": the rest lives in the data directory`,
      );
    }
    if (!(allowed as readonly string[]).includes(key)) {
      throw new UsageError(`--${key} does not go with "${command}"`);
    }
  }
  const databaseUrl = access ? (values.database ?? (env.DATABASE_URL || null)) : null;
  if (databaseUrl !== null) {
    const fault = databaseUrlFault(databaseUrl);
    if (fault) {
      throw new UsageError(
        `${values.database !== undefined ? '--database' : 'DATABASE_URL'} ${fault}`,
      );
    }
  }
  return {
    group,
    action,
    args,
    values,
    grouped,
    policy,
    notify,
    dataDir: path.resolve(values.data ?? env.DATA_DIR ?? 'data'),
    databaseUrl,
  };
}

/** Exit code 2 for a bad command line, 1 for a command that failed; anything else is thrown. */
function exitCodeOf(error: unknown, io: AdminIo): number {
  if (error instanceof UsageError) {
    io.err(`[admin] ${error.message}\nRun "npm run admin -- --help" for the commands.`);
    return 2;
  }
  if (
    error instanceof CommandError ||
    error instanceof TenantStoreError ||
    error instanceof TokenStoreError ||
    error instanceof StorageError ||
    error instanceof TraceError ||
    error instanceof SecretError
  ) {
    io.err(error instanceof CommandError ? `[admin] ${error.message}` : error.message);
    return 1;
  }
  throw error;
}

/**
 * Every admin command: `migrate`, the policy, observer and notifications commands, and the tenant
 * and token commands on the cluster's PostgreSQL (--database, DATABASE_URL), are asynchronous;
 * the rest run on the data directory.
 */
export async function runAdminCommand(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  io: AdminIo,
): Promise<number> {
  if (isMigrateCommand(argv)) return runMigrate(argv, env, io);
  try {
    const line = parseLine(argv, env);
    if (line?.policy) {
      await runPolicyCommand({ ...line, command: line.policy }, env, io);
      return 0;
    }
    if (line?.notify) {
      await runNotifyCommand({ ...line, command: line.notify }, io);
      return 0;
    }
    if (line?.databaseUrl) {
      return await runSharedAccess({ ...line, databaseUrl: line.databaseUrl }, io);
    }
  } catch (error) {
    return exitCodeOf(error, io);
  }
  return runAdmin(argv, env, io);
}

/** The commands on the data directory (tests call this; `npm run admin` runs runAdminCommand). */
export function runAdmin(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  io: AdminIo,
): number {
  let db: Db | undefined;
  try {
    const line = parseLine(argv, env);
    if (!line) {
      io.out(USAGE);
      return 0;
    }
    if (line.databaseUrl || line.policy || line.notify) {
      throw new UsageError(
        'commands on --database, policy, observer and notifications commands run through ' +
          'runAdminCommand',
      );
    }
    const { group, action, args, values, grouped, dataDir } = line;
    db = openTenantDatabase(dataDir);
    // The data directory's first use, by the server or here, seeds the demo tenants.
    seedTenantsOnce(db, demoTenants(dataDir));
    if (grouped) grouped.run(db, args, values, io, env);
    else if (group === 'tenant') tenantCommand(db, action!, args, values, io);
    else if (group === 'token') tokenCommand(db, action!, args, values, io);
    else secretCommand(dataDir, action!, args, io);
    return 0;
  } catch (error) {
    return exitCodeOf(error, io);
  } finally {
    db?.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const io: AdminIo = {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
  };
  try {
    const argv = process.argv.slice(2);
    process.exitCode = await runAdminCommand(argv, process.env, io);
  } catch (error) {
    io.err(`[admin] failed: ${(error as Error).stack ?? String(error)}`);
    process.exitCode = 1;
  }
}
