// `npm run kaizen -- COMMAND`: the Kaizen loop's operational commands (docs/OPERATIONS.md).
// Exit codes: 0 done, 1 the command failed (not sent, a canary step missing), 2 bad command line
// or configuration (nothing done).
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { KaizenConfigError } from '../server/incidents/kaizen';
import { RulesError } from '../server/incidents/detector-rules';
import { NotifyConfigError } from '../server/notify/config';
import { NotifyError } from '../server/notify/outbox';
import { StorageError } from '../server/storage/database';
import { databaseUrlFault } from '../server/state/database-url';
import { canaryCommand } from './kaizen-canary';
import { CommandError, UsageError, type CommandContext, type KaizenIo } from './kaizen-common';
import { deliverCommand } from './kaizen-deliver';
import { dashboardDiffCommand } from './kaizen-dashboard-diff';
import { alertOverlapCommand } from './kaizen-alert-overlap';
import { baselineCommand } from './kaizen-baseline';
import { clientReportsCommand } from './kaizen-client-reports';
import { digestCommand } from './kaizen-digest';

export const USAGE = `Usage: npm run kaizen -- COMMAND [options]

Commands:
  digest [--tenant T] [--since 24h] [--dry-run] [--force] [--min-severity S] [--min-count N]
        The digest of Kaizen tickets to Slack: opened and resolved in the window, still open,
        MTTR with its count, worst offenders. An empty window prints
        "0 tickets – digest suppressed" and sends nothing, unless --force. --dry-run prints
        the Slack message as JSON and sends nothing. One digest per scope, window and UTC day.
        Noise filter: fewer than --min-count tickets of --min-severity or worse suppress it
        (env KAIZEN_DIGEST_MIN_COUNT, KAIZEN_DIGEST_MIN_SEVERITY; default 1, info); a critical
        ticket always sends it.
  simulate-canary [--duration 3h] [--page-after 2h] [--tenant canary] [--dry-run]
        A canary stream stalls on a virtual clock through the real detector, tickets and pager:
        a ticket opens, PagerDuty is paged when it has been open --page-after, the canary
        recovers and the page resolves. Prints the timeline; exit 1 if a step is missing.
        --dry-run keeps nothing and sends nothing.
  deliver [--database URL]
        Sends what the notification outbox still holds, to every configured channel. With
        --database URL (env DATABASE_URL): the cluster's outbox in PostgreSQL, which every
        gateway shares, instead of DIR/console.db's.
  baseline create --name NAME [--since 24h] [--dashboard FILE]
        An immutable, content-hashed snapshot in DATA/baselines/NAME.json: MTTR by severity,
        alarm volume per rule and per day, bytes saved, latency p95 per tenant, and the Grafana
        dashboard as shipped. A name is never reused. "baseline list" lists them.
  alert-overlap [--rules FILE]... [--threshold 0.9] [--since 30d]
        Markdown report of alert rules that look alike: every pair compared on its PromQL
        expression (as Prometheus parses it), labels, for: and, from the tickets of the last
        --since, how often they fired together. Needs the prometheus binary (PROMETHEUS_BIN).
  client-reports [--kind K] [--tenant T] [--since 24h] [--limit 50] [--json]
        The browsers' reports (exceptions, WebGL context loss, renderer fallbacks, console
        errors and warnings), newest first, with counts per kind.
  dashboard-diff OLD.json NEW.json
        Markdown review of a Grafana dashboard change: panels added, removed, moved, and
        changed queries, thresholds, units and links, before and after side by side.

Options:
  --data DIR    state directory (env DATA_DIR, default ./data): tickets, outbox, notify.json
  --database URL  deliver only: the cluster's PostgreSQL (env DATABASE_URL) holds the outbox;
                digest and simulate-canary work on DIR's tickets and outbox
  --help        show this text

Environment: PROMETHEUS_BIN, SLACK_WEBHOOK_URL, PAGERDUTY_ROUTING_KEY, PAGERDUTY_EVENTS_URL,
  KAIZEN_DIGEST_MIN_SEVERITY, KAIZEN_DIGEST_MIN_COUNT,
  NOTIFY_MAX_ATTEMPTS, NOTIFY_BACKOFF_MS, NOTIFY_MAX_BACKOFF_MS, NOTIFY_TIMEOUT_MS, CONSOLE_URL.`;

const OPTIONS = {
  data: { type: 'string' },
  database: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  tenant: { type: 'string' },
  since: { type: 'string' },
  'dry-run': { type: 'boolean' },
  force: { type: 'boolean' },
  duration: { type: 'string' },
  'page-after': { type: 'string' },
  'min-severity': { type: 'string' },
  'min-count': { type: 'string' },
  rules: { type: 'string', multiple: true },
  threshold: { type: 'string' },
  name: { type: 'string' },
  dashboard: { type: 'string' },
  json: { type: 'boolean' },
  kind: { type: 'string' },
  limit: { type: 'string' },
} as const;

type Values = {
  [K in keyof typeof OPTIONS]?: (typeof OPTIONS)[K] extends { multiple: true }
    ? string[]
    : (typeof OPTIONS)[K]['type'] extends 'boolean'
      ? boolean
      : string;
};

const COMMAND_OPTIONS: Record<string, readonly (keyof Values)[]> = {
  digest: ['tenant', 'since', 'dry-run', 'force', 'min-severity', 'min-count'],
  'simulate-canary': ['duration', 'page-after', 'tenant', 'dry-run'],
  deliver: ['database'],
  'dashboard-diff': [],
  'alert-overlap': ['rules', 'threshold', 'since'],
  baseline: ['name', 'since', 'dashboard', 'json'],
  'client-reports': ['kind', 'tenant', 'since', 'limit', 'json'],
};

/** Commands that take files after their name. */
const FILE_ARGUMENTS: Record<string, number> = { 'dashboard-diff': 2, baseline: 1 };
const COMMANDS = Object.keys(COMMAND_OPTIONS).join(', ');

export async function runKaizen(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  io: KaizenIo,
  now: () => number = Date.now,
): Promise<number> {
  let command = '';
  try {
    let parsed;
    try {
      parsed = parseArgs({
        args: [...argv],
        options: OPTIONS,
        strict: true,
        allowPositionals: true,
      });
    } catch (error) {
      throw new UsageError((error as Error).message.replace(/\s*\n\s*/g, ' '));
    }
    const values = parsed.values as Values;
    if (values.help) {
      io.out(USAGE);
      return 0;
    }
    const [name, ...rest] = parsed.positionals;
    if (name === undefined) throw new UsageError(`no command given (${COMMANDS})`);
    const allowed = COMMAND_OPTIONS[name];
    if (!allowed) throw new UsageError(`unknown command "${name.slice(0, 40)}" (${COMMANDS})`);
    command = name;
    const extra = rest[FILE_ARGUMENTS[name] ?? 0];
    if (extra !== undefined) throw new UsageError(`unexpected argument "${extra.slice(0, 40)}"`);
    for (const key of Object.keys(values) as (keyof Values)[]) {
      if (key !== 'data' && !allowed.includes(key)) {
        throw new UsageError(`--${key} does not go with "${name}"`);
      }
    }
    const ctx: CommandContext = {
      dataDir: path.resolve(values.data ?? env.DATA_DIR ?? 'data'),
      env,
      io,
      now,
    };
    if (name === 'digest') {
      await digestCommand(ctx, {
        tenant: values.tenant,
        since: values.since,
        dryRun: values['dry-run'] === true,
        force: values.force === true,
        minSeverity: values['min-severity'],
        minCount: values['min-count'],
      });
    } else if (name === 'simulate-canary') {
      await canaryCommand(ctx, {
        duration: values.duration,
        pageAfter: values['page-after'],
        tenant: values.tenant,
        dryRun: values['dry-run'] === true,
      });
    } else if (name === 'client-reports') {
      clientReportsCommand(ctx, {
        kind: values.kind,
        tenant: values.tenant,
        since: values.since,
        limit: values.limit,
        json: values.json === true,
      });
    } else if (name === 'baseline') {
      baselineCommand(ctx, {
        action: rest[0],
        name: values.name,
        since: values.since,
        dashboard: values.dashboard,
        json: values.json === true,
      });
    } else if (name === 'alert-overlap') {
      await alertOverlapCommand(ctx, {
        rules: values.rules ?? [],
        threshold: values.threshold,
        since: values.since,
      });
    } else if (name === 'dashboard-diff') {
      dashboardDiffCommand(ctx, rest);
    } else {
      const databaseUrl = values.database ?? (env.DATABASE_URL || null);
      const fault = databaseUrl === null ? null : databaseUrlFault(databaseUrl);
      if (fault) {
        throw new UsageError(
          `${values.database !== undefined ? '--database' : 'DATABASE_URL'} ${fault}`,
        );
      }
      await deliverCommand(ctx, databaseUrl);
    }
    return 0;
  } catch (error) {
    const where = command ? `[kaizen] ${command}: ` : '[kaizen] ';
    if (error instanceof UsageError) {
      io.err(`${where}${error.message} (see npm run kaizen -- --help)`);
      return 2;
    }
    if (
      error instanceof NotifyConfigError ||
      error instanceof KaizenConfigError ||
      error instanceof RulesError
    ) {
      io.err(error.message);
      return 2;
    }
    if (error instanceof CommandError) {
      io.err(`${where}${error.message}`);
      return 1;
    }
    if (error instanceof StorageError || error instanceof NotifyError) {
      io.err(error.message);
      return 1;
    }
    throw error;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // `… | head`: the reader went away; what is left to print has nobody to read it.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
  const io: KaizenIo = {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
  };
  runKaizen(process.argv.slice(2), process.env, io).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      io.err(`[kaizen] failed: ${(error as Error).stack ?? String(error)}`);
      process.exitCode = 1;
    },
  );
}
