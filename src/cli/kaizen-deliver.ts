// `npm run kaizen -- deliver`: sends what the notification outbox still holds (a run that died, a
// receiver that was down) to every configured channel, retrying as configured, and says what is
// left. The server's worker does the same continuously when it runs one. The outbox is the data
// directory's, or with --database (env DATABASE_URL) the cluster's in PostgreSQL, claimed row by
// row beside the gateways' sender so that nothing is sent twice.
import { targetsFromConfig } from '../server/notify/config';
import { pgNotifyState, sqliteNotifyState, type AsyncOutbox } from '../server/notify/state';
import { createDeliveryWorker } from '../server/notify/worker';
import { openPgPool } from '../server/state/pg';
import { migratePg } from '../server/state/pg-migrate';
import { openDatabase } from '../server/storage/database';
import {
  CommandError,
  DELIVERY_TIMEOUT_MS,
  describeOutcome,
  notifyConfigFor,
  UsageError,
  type CommandContext,
} from './kaizen-common';

async function deliverFrom(
  outbox: AsyncOutbox,
  ctx: CommandContext,
  config: ReturnType<typeof notifyConfigFor>,
): Promise<void> {
  const worker = createDeliveryWorker({
    outbox,
    targets: targetsFromConfig(config),
    policy: config.retry,
    onOutcome: (o) => ctx.io.err(describeOutcome(o)),
  });
  const report = await worker.drain({ timeoutMs: DELIVERY_TIMEOUT_MS });
  const count = (result: string) => report.outcomes.filter((o) => o.result === result).length;
  const unconfigured = (await outbox.pendingCount()) - report.pending;
  const held = (await outbox.list({ status: 'held' })).length;
  ctx.io.out(
    `delivered ${count('sent')}, failed ${count('failed')}, still pending ${report.pending}` +
      (unconfigured > 0 ? ` (and ${unconfigured} for channels not configured here)` : '') +
      (held > 0 ? `; ${held} held by observer mode ("npm run admin -- notifications list")` : ''),
  );
  if (count('failed') > 0 || report.pending > 0) {
    throw new CommandError(
      `${count('failed')} failed for good, ${report.pending} still pending: see the lines above`,
    );
  }
}

/** `databaseUrl`: the cluster's PostgreSQL (checked by the caller), or null for DATA/console.db. */
export async function deliverCommand(
  ctx: CommandContext,
  databaseUrl: string | null = null,
): Promise<void> {
  const config = notifyConfigFor(ctx, null, '');
  if (Object.keys(targetsFromConfig(config)).length === 0) {
    throw new UsageError(
      'no channel configured: set SLACK_WEBHOOK_URL and/or PAGERDUTY_ROUTING_KEY (or notify.json in the data directory)',
    );
  }
  if (databaseUrl) {
    const pool = await openPgPool(databaseUrl, { max: 2 });
    try {
      // As a gateway does at start: the outbox's schema at this build's version.
      await migratePg(pool);
      await deliverFrom(pgNotifyState(pool).outbox, ctx, config);
    } finally {
      await pool.end();
    }
    return;
  }
  const db = openDatabase(ctx.dataDir);
  try {
    await deliverFrom(sqliteNotifyState(db).outbox, ctx, config);
  } finally {
    db.close();
  }
}
