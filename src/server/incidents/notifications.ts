// Notifications of a running server: the delivery worker over the outbox, running continuously
// (the pager and the `npm run kaizen` commands enqueue into it), and, when PagerDuty is
// configured, the pager on a timer. Settings as the CLIs read them (docs/OPERATIONS.md), plus
// KAIZEN_PAGE_AFTER (default 2h). With --database the pager pages the cluster's tickets into the
// cluster's outbox (each tenant by the gateway holding its pager lease), and one gateway, the
// holder of the sender lease, delivers that outbox; the data directory's outbox keeps its worker
// for what the CLIs enqueue there.
import type { Registry } from 'prom-client';
import { consoleUrlFromEnv, loadNotifyConfig, targetsFromConfig } from '../notify/config';
import { registerNotifyMetrics } from '../notify/metrics';
import { createOutbox, type Outbox } from '../notify/outbox';
import { pgOutbox, type PgOutbox } from '../notify/pg-outbox';
import { createDeliveryWorker, type DeliveryWorker, type WorkerOptions } from '../notify/worker';
import { NOTIFY_SENDER_LEASE, pagerLease } from '../state/cluster';
import type { Leases } from '../state/leases';
import type { PgPool } from '../state/pg';
import type { Db } from '../storage/database';
import { formatDuration } from './digest';
import { KaizenConfigError, type Kaizen } from './kaizen';
import { createPager, DEFAULT_PAGE_AFTER_MS, type PageEvent } from './pager';
import { createPgPager } from './pager-pg';
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
  /** The cluster's PostgreSQL and leases (--database); null or absent for one process. */
  cluster?: { pool: PgPool; leases: Leases } | null;
}

/** The pager as the server runs it: on either backend, evaluated on a timer. */
export interface ServerPager {
  readonly pageAfterMs: number;
  evaluate(nowMs: number): PageEvent[] | Promise<PageEvent[]>;
}

export interface KaizenNotifications {
  /** The data directory's outbox. */
  readonly outbox: Outbox;
  readonly worker: DeliveryWorker;
  /** The cluster's outbox and its worker (running while this process holds the sender lease). */
  readonly shared: { outbox: PgOutbox; worker: DeliveryWorker } | null;
  /** null without a PagerDuty routing key. */
  readonly pager: ServerPager | null;
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
  const workerOptions: Omit<WorkerOptions, 'outbox'> = {
    targets: targetsFromConfig(config),
    policy: config.retry,
    metrics: registerNotifyMetrics(options.registry),
    log,
  };
  const worker = createDeliveryWorker({ outbox, ...workerOptions });
  worker.start();
  const cluster = options.cluster ?? null;
  const shared = cluster ? startSharedSender(cluster, workerOptions, log) : null;

  let pager: ServerPager | null = null;
  let timer: NodeJS.Timeout | undefined;
  if (config.pagerduty) {
    const active: ServerPager =
      cluster && shared
        ? createPgPager({
            pool: cluster.pool,
            outbox: shared.outbox,
            pageAfterMs,
            consoleUrl,
            // Asked for only by a process that pages: one without PagerDuty never holds a
            // tenant's pager lease that another could use.
            owns: (tenantId) => {
              cluster.leases.want(pagerLease(tenantId));
              return cluster.leases.holds(pagerLease(tenantId));
            },
            log,
          })
        : createPager({ store: kaizen.store, outbox, pageAfterMs, consoleUrl, log });
    pager = active;
    const wake = shared ? () => shared.worker.wake() : () => worker.wake();
    // One evaluation at a time: a slow database never stacks them up.
    let evaluating = false;
    timer = setInterval(() => {
      if (evaluating) return;
      evaluating = true;
      Promise.resolve()
        .then(() => active.evaluate(kaizen.now()))
        .then((events) => {
          for (const e of events) {
            log(`[kaizen] ticket ${e.ticketId}: PagerDuty ${e.action} ${e.queued} (${e.dedupKey})`);
          }
          if (events.length > 0) wake();
        })
        .catch((error: Error) => log(`[kaizen] pager failed: ${error.message}`))
        .finally(() => {
          evaluating = false;
        });
    }, options.pagerIntervalMs ?? 15_000);
    timer.unref();
  }
  log(
    `[notify] delivering to ${worker.channels.length > 0 ? worker.channels.join(', ') : 'no channel (none configured)'}` +
      (pager ? `; paging critical tickets open ${formatDuration(pageAfterMs / 1000)}` : '') +
      (shared
        ? "; the cluster's outbox and pages in PostgreSQL, sent by the gateway holding the " +
          `${NOTIFY_SENDER_LEASE} lease, each tenant paged by the holder of its pager lease`
        : ''),
  );

  return {
    outbox,
    worker,
    shared,
    pager,
    async stop() {
      if (timer) clearInterval(timer);
      await shared?.stop();
      await worker.stop();
    },
  };
}

/**
 * The cluster outbox's worker, running only while this process holds the sender lease: one
 * sender in the cluster, taken over by another gateway when this one dies.
 */
function startSharedSender(
  cluster: { pool: PgPool; leases: Leases },
  workerOptions: Omit<WorkerOptions, 'outbox'>,
  log: (line: string) => void,
): { outbox: PgOutbox; worker: DeliveryWorker; stop(): Promise<void> } {
  const outbox = pgOutbox({ pool: cluster.pool });
  const worker = createDeliveryWorker({ outbox, ...workerOptions });
  // Starts and stops in order: a lease lost and taken again never leaves the worker stopped.
  let turn = Promise.resolve();
  const follow = (held: boolean) => {
    turn = turn.then(async () => {
      if (!held) return worker.stop();
      if (!cluster.leases.holds(NOTIFY_SENDER_LEASE)) return;
      log(`[notify] this gateway sends the cluster's notifications`);
      worker.start();
    });
  };
  const unfollow = cluster.leases.onChange((name, held) => {
    if (name === NOTIFY_SENDER_LEASE) follow(held);
  });
  // A process with no channel configured would hold the lease and send nothing.
  if (worker.channels.length > 0) cluster.leases.want(NOTIFY_SENDER_LEASE);
  if (cluster.leases.holds(NOTIFY_SENDER_LEASE)) follow(true);
  return {
    outbox,
    worker,
    async stop() {
      unfollow();
      await turn;
      await worker.stop();
    },
  };
}
