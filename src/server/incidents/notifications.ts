// Notifications of a running server: the delivery worker over the outbox, running continuously
// (the pager and the `npm run kaizen` commands enqueue into it), and, when PagerDuty is
// configured, the pager on a timer. Settings as the CLIs read them (docs/OPERATIONS.md), plus
// KAIZEN_PAGE_AFTER (default 2h).
import type { Registry } from 'prom-client';
import { consoleUrlFromEnv, loadNotifyConfig, targetsFromConfig } from '../notify/config';
import { registerNotifyMetrics } from '../notify/metrics';
import { createOutbox, type Outbox } from '../notify/outbox';
import { createDeliveryWorker, type DeliveryWorker } from '../notify/worker';
import type { Db } from '../storage/database';
import { formatDuration } from './digest';
import { KaizenConfigError, type Kaizen } from './kaizen';
import { createPager, DEFAULT_PAGE_AFTER_MS, type Pager } from './pager';
import { parseWindow } from './windows';

export interface KaizenNotificationsOptions {
  /** The database connection Kaizen's store writes to: pages commit with their outbox rows. */
  db: Db;
  kaizen: Kaizen;
  dataDir: string;
  env: Readonly<Record<string, string | undefined>>;
  registry: Registry;
  log?: (line: string) => void;
  /** How often the pager looks for tickets to page or pages to resolve. */
  pagerIntervalMs?: number;
}

export interface KaizenNotifications {
  readonly outbox: Outbox;
  readonly worker: DeliveryWorker;
  /** null without a PagerDuty routing key. */
  readonly pager: Pager | null;
  /** Stops the pager and waits for deliveries in flight; the database stays the caller's. */
  stop(): Promise<void>;
}

/** Throws NotifyConfigError or KaizenConfigError on bad settings (the server exits with 2). */
export function startKaizenNotifications(options: KaizenNotificationsOptions): KaizenNotifications {
  const { db, kaizen, env } = options;
  const log = options.log ?? (() => {});
  const config = loadNotifyConfig(env, options.dataDir);
  const consoleUrl = consoleUrlFromEnv(env);
  let pageAfterMs = DEFAULT_PAGE_AFTER_MS;
  if (env.KAIZEN_PAGE_AFTER) {
    try {
      pageAfterMs = parseWindow(env.KAIZEN_PAGE_AFTER);
    } catch (error) {
      throw new KaizenConfigError(`KAIZEN_PAGE_AFTER: ${(error as Error).message}`);
    }
  }

  const outbox = createOutbox({ db });
  const worker = createDeliveryWorker({
    outbox,
    targets: targetsFromConfig(config),
    policy: config.retry,
    metrics: registerNotifyMetrics(options.registry),
    log,
  });
  worker.start();

  let pager: Pager | null = null;
  let timer: NodeJS.Timeout | undefined;
  if (config.pagerduty) {
    const active = createPager({
      store: kaizen.store,
      outbox,
      pageAfterMs,
      consoleUrl,
      log,
    });
    pager = active;
    timer = setInterval(() => {
      try {
        const events = active.evaluate(kaizen.now());
        for (const e of events) {
          log(`[kaizen] ticket ${e.ticketId}: PagerDuty ${e.action} ${e.queued} (${e.dedupKey})`);
        }
        if (events.length > 0) worker.wake();
      } catch (error) {
        log(`[kaizen] pager failed: ${(error as Error).message}`);
      }
    }, options.pagerIntervalMs ?? 15_000);
    timer.unref();
  }
  log(
    `[notify] delivering to ${worker.channels.length > 0 ? worker.channels.join(', ') : 'no channel (none configured)'}` +
      (pager ? `; paging critical tickets open ${formatDuration(pageAfterMs / 1000)}` : ''),
  );

  return {
    outbox,
    worker,
    pager,
    async stop() {
      if (timer) clearInterval(timer);
      await worker.stop();
    },
  };
}
