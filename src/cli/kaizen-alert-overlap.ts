// `npm run kaizen -- alert-overlap [--rules FILE...] [--threshold 0.9] [--since 30d]`: the first
// week's daily overlap report, as Markdown on stdout. Rules are read by Prometheus itself
// (prometheus-rules.ts); "fired together" comes from the tickets of the data directory.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ticketFirings } from '../server/incidents/firings';
import { DATABASE_FILE, openDatabase } from '../server/storage/database';
import { overlapReport, type Firing } from './alert-overlap';
import { CommandError, parseDuration, UsageError, type CommandContext } from './kaizen-common';
import { loadAlertRules, RulesLoadError } from './prometheus-rules';

export const DEFAULT_RULES_FILE = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../ops/prometheus/rules.yml',
);
export const DEFAULT_OVERLAP_THRESHOLD = 0.9;

export interface AlertOverlapArgs {
  rules: readonly string[];
  threshold?: string;
  since?: string;
}

export async function alertOverlapCommand(
  ctx: CommandContext,
  args: AlertOverlapArgs,
): Promise<void> {
  const files = args.rules.length > 0 ? args.rules : [DEFAULT_RULES_FILE];
  for (const file of files) {
    if (!existsSync(file)) throw new UsageError(`--rules: no such file ${file}`);
  }
  const threshold =
    args.threshold === undefined ? DEFAULT_OVERLAP_THRESHOLD : Number(args.threshold);
  if (
    args.threshold !== undefined &&
    (!/^(0(\.\d+)?|1(\.0+)?)$/.test(args.threshold) || !(threshold > 0))
  ) {
    throw new UsageError(
      `--threshold must be a number above 0 and at most 1, like 0.9, got "${args.threshold.slice(0, 20)}"`,
    );
  }
  const since = args.since ?? '30d';
  const windowMs = parseDuration('since', since);

  let rules;
  try {
    rules = await loadAlertRules(files, ctx.env.PROMETHEUS_BIN || 'prometheus');
  } catch (error) {
    if (error instanceof RulesLoadError) throw new CommandError(error.message);
    throw error;
  }

  // The ticket history, when the data directory has one (a fresh checkout has none).
  const nowMs = ctx.now();
  let firings: Firing[] = [];
  let history: string | null = null;
  if (existsSync(path.join(ctx.dataDir, DATABASE_FILE))) {
    const db = openDatabase(ctx.dataDir);
    try {
      const tickets = ticketFirings(db, nowMs - windowMs, nowMs);
      firings = tickets.map((t) => ({
        rule: t.rule,
        tenant: t.tenant,
        fromMs: t.openedAtMs,
        toMs: t.resolvedAtMs ?? nowMs,
      }));
      history = `${tickets.length} tickets opened in the last ${since} (${ctx.dataDir})`;
    } finally {
      db.close();
    }
  }
  const { markdown } = overlapReport({
    rules,
    files: files.map((f) => path.relative(process.cwd(), path.resolve(f)) || f),
    threshold,
    firings,
    history,
  });
  ctx.io.out(markdown);
}
