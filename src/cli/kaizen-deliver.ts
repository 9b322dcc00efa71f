// `npm run kaizen -- deliver`: sends what the notification outbox still holds (a run that died, a
// receiver that was down) to every configured channel, retrying as configured, and says what is
// left. The server's worker does the same continuously when it runs one.
import { targetsFromConfig } from '../server/notify/config';
import { createOutbox } from '../server/notify/outbox';
import { createDeliveryWorker } from '../server/notify/worker';
import { openDatabase, type Db } from '../server/storage/database';
import {
  CommandError,
  DELIVERY_TIMEOUT_MS,
  describeOutcome,
  notifyConfigFor,
  UsageError,
  type CommandContext,
} from './kaizen-common';

export async function deliverCommand(ctx: CommandContext): Promise<void> {
  const config = notifyConfigFor(ctx, null, '');
  const targets = targetsFromConfig(config);
  if (Object.keys(targets).length === 0) {
    throw new UsageError(
      'no channel configured: set SLACK_WEBHOOK_URL and/or PAGERDUTY_ROUTING_KEY (or notify.json in the data directory)',
    );
  }
  let db: Db | undefined;
  try {
    db = openDatabase(ctx.dataDir);
    const outbox = createOutbox({ db });
    const worker = createDeliveryWorker({
      outbox,
      targets,
      policy: config.retry,
      onOutcome: (o) => ctx.io.err(describeOutcome(o)),
    });
    const report = await worker.drain({ timeoutMs: DELIVERY_TIMEOUT_MS });
    const count = (result: string) => report.outcomes.filter((o) => o.result === result).length;
    const unconfigured = outbox.pendingCount() - report.pending;
    const held = outbox.list({ status: 'held' }).length;
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
  } finally {
    db?.close();
  }
}
