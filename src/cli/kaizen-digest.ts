// `npm run kaizen -- digest`: the daily digest of Kaizen tickets, to Slack. Nothing is sent when
// the window has no tickets (unless --force) or with --dry-run. A digest goes through the outbox
// with one dedup key per scope, window and UTC day: a rerun the same day does not post it again,
// and a run that died before delivering leaves it for the next run (or `deliver`) to send.
import { buildDigest, digestDedupKey, type Digest } from '../server/incidents/digest';
import { digestSlackMessage } from '../server/incidents/digest-slack';
import { isTenantId } from '../core/tenant-id';
import { createTicketStore } from '../server/incidents/store';
import { formatDuration } from '../server/incidents/digest';
import {
  applyNoiseFilter,
  NoiseFilterError,
  noiseFilterFrom,
  type NoiseFilter,
} from '../server/incidents/digest-filter';
import { consoleUrlFromEnv, targetsFromConfig } from '../server/notify/config';
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
import { parseWindow, WindowError } from '../server/incidents/windows';

/** What an empty window prints; the go-live checklist looks for exactly this line. */
export const SUPPRESSED = '0 tickets – digest suppressed';

export interface DigestArgs {
  tenant?: string;
  since?: string;
  dryRun: boolean;
  force: boolean;
  minSeverity?: string;
  minCount?: string;
}

function summary(digest: Digest): string {
  const mttr = digest.mttr.all;
  const mttrText =
    mttr.count === 0
      ? 'none resolved'
      : `${formatDuration(mttr.meanSeconds!)} over ${mttr.count} ticket${mttr.count === 1 ? '' : 's'}`;
  return `${digest.opened} opened, ${digest.resolved} resolved, ${digest.stillOpen} still open; MTTR ${mttrText}`;
}

export async function digestCommand(ctx: CommandContext, args: DigestArgs): Promise<void> {
  const tenant = args.tenant;
  if (tenant !== undefined && !isTenantId(tenant)) {
    throw new UsageError(`--tenant "${tenant.slice(0, 70)}" is not a tenant id (a-z 0-9 _ -)`);
  }
  const window = args.since ?? '24h';
  let windowMs: number;
  try {
    windowMs = parseWindow(window);
  } catch (error) {
    if (!(error instanceof WindowError)) throw error;
    throw new UsageError(
      `--since must be a count and a unit m, h or d, from 1m to 366d (like 24h or 7d), got "${window.slice(0, 20)}"`,
    );
  }
  let filter: NoiseFilter;
  try {
    filter = noiseFilterFrom(args, ctx.env);
  } catch (error) {
    if (error instanceof NoiseFilterError) throw new UsageError(error.message);
    throw error;
  }
  // Before anything is read or written: a run that cannot send stops here.
  const consoleUrl = consoleUrlFromEnv(ctx.env);
  const config = args.dryRun
    ? null
    : notifyConfigFor(ctx, 'slack', '--dry-run prints the message without one');

  let db: Db | undefined;
  try {
    db = openDatabase(ctx.dataDir);
    const store = createTicketStore({ db });
    const digest = buildDigest(store, { tenant, window, windowMs, nowMs: ctx.now() });
    if (digest.tickets === 0 && !args.force) {
      ctx.io.out(SUPPRESSED);
      return;
    }
    const verdict = applyNoiseFilter(digest, filter);
    if (!verdict.send && !args.force) {
      ctx.io.out(
        `${digest.tickets} tickets, ${verdict.counted} of them ${filter.minSeverity} or worse ` +
          `(the noise filter needs ${filter.minCount}) – digest suppressed`,
      );
      return;
    }
    const message = digestSlackMessage(digest, { consoleUrl });
    if (config === null) {
      ctx.io.out(JSON.stringify(message, null, 2));
      return;
    }

    const outbox = createOutbox({ db });
    const dedupKey = digestDedupKey(digest);
    const { result, entry } = outbox.enqueue({ channel: 'slack', dedupKey, body: message });
    if (result === 'duplicate' && entry.status === 'sent') {
      ctx.io.out(
        `digest ${dedupKey} was already sent at ${new Date(entry.sentAtMs!).toISOString()}; nothing sent`,
      );
      return;
    }
    if (result === 'duplicate') {
      ctx.io.err(`[kaizen] digest ${dedupKey} was queued by an earlier run; delivering that one`);
    }
    const worker = createDeliveryWorker({
      outbox,
      targets: targetsFromConfig(config),
      policy: config.retry,
      onOutcome: (o) => ctx.io.err(describeOutcome(o)),
    });
    await worker.drain({ timeoutMs: DELIVERY_TIMEOUT_MS });
    const after = outbox.get('slack', dedupKey)!;
    if (after.status === 'held') {
      ctx.io.out(
        `digest ${dedupKey} held: observer mode is on, nothing sent ` +
          `("npm run admin -- notifications release ${after.id}" sends it)`,
      );
      return;
    }
    if (after.status === 'sent') {
      ctx.io.out(`digest sent to Slack: ${summary(digest)} (dedup_key ${dedupKey})`);
      return;
    }
    if (after.status === 'failed') {
      throw new CommandError(`digest ${dedupKey} not sent: ${after.lastError}`);
    }
    throw new CommandError(
      `digest ${dedupKey} not sent within ${DELIVERY_TIMEOUT_MS / 1000} s (last: ${after.lastError}); ` +
        `it stays queued: "npm run kaizen -- deliver" sends it`,
    );
  } finally {
    db?.close();
  }
}
