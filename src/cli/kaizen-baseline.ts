// `npm run kaizen -- baseline create --name NAME [--since 24h] [--dashboard FILE]` and
// `baseline list`: the launch's immutable "v1.1 baseline" (MTTR by severity, alarm volume per rule
// and per day, bytes saved, latency p95 per tenant, the dashboard as shipped).
import { BaselineError, createBaseline, listBaselines } from '../server/baselines/artifacts';
import { SHIPPED_DASHBOARD, snapshotNow } from '../server/baselines/make';
import { openDatabase } from '../server/storage/database';
import { osUser } from './admin-common';
import { CommandError, parseDuration, UsageError, type CommandContext } from './kaizen-common';

export interface BaselineArgs {
  action: string | undefined;
  name?: string;
  since?: string;
  dashboard?: string;
  json: boolean;
}

export function baselineCommand(ctx: CommandContext, args: BaselineArgs): void {
  if (args.action === 'list') {
    const baselines = listBaselines(ctx.dataDir);
    if (args.json) return ctx.io.out(JSON.stringify(baselines, null, 2));
    if (baselines.length === 0)
      return ctx.io.out('no baselines (npm run kaizen -- baseline create --name NAME)');
    for (const b of baselines) {
      ctx.io.out(
        `${b.name}  ${b.createdAt}  ${b.window.label} to ${b.window.to}  sha256 ${b.sha256.slice(0, 12)}` +
          (b.intact ? '' : '  NOT INTACT: the file no longer matches its hash'),
      );
    }
    return;
  }
  if (args.action !== 'create') throw new UsageError('baseline takes "create" or "list"');
  if (args.name === undefined) throw new UsageError('--name is required (like v1.1)');
  const label = args.since ?? '24h';
  const ms = parseDuration('since', label);
  const db = openDatabase(ctx.dataDir);
  try {
    const snapshot = snapshotNow(db, { label, ms }, ctx.now(), args.dashboard ?? SHIPPED_DASHBOARD);
    const baseline = createBaseline(ctx.dataDir, {
      name: args.name,
      snapshot,
      by: osUser(),
      nowMs: ctx.now(),
    });
    const s = baseline.snapshot;
    ctx.io.out(
      `baseline ${baseline.name} written (sha256 ${baseline.sha256}): last ${label}, ` +
        `${s.alarms.total} alarms, MTTR over ${s.mttr.all.count} tickets, ` +
        `bytes saved ${s.bytesSaved.ratio === null ? 'n/a' : `${(s.bytesSaved.ratio * 100).toFixed(1)} %`}, ` +
        `latency of ${s.latency.length} tenant(s), dashboard ${s.dashboard ? s.dashboard.sha256.slice(0, 12) : 'none'}`,
    );
  } catch (error) {
    if (error instanceof BaselineError) {
      if (error.code === 'invalid') throw new UsageError(error.message);
      throw new CommandError(error.message);
    }
    if (error instanceof SyntaxError) {
      throw new UsageError(`--dashboard is not valid JSON: ${error.message}`);
    }
    throw error;
  } finally {
    db.close();
  }
}
