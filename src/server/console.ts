// The console's server, put together: metrics, the machine credentials of the data directory,
// Kaizen (tickets, detector), tenancy (tenants, tokens, streams), the launch tooling (observer
// mode, decision gates, stream history for baselines, browser reports) and the HTTP app over them.
// main.ts runs it as a process; src/testing/test-server.ts starts the very same in a test, so the
// tests exercise what `npm start` serves.
import { mkdirSync } from 'node:fs';
import { createHistoryRecorder, type HistoryRecorder } from './baselines/stream-history';
import { createClientReports, type ClientReports } from './client-reports/service';
import type { ServerConfig } from './config';
import { openCluster, type Cluster } from './cluster/cluster';
import { alarmBandFromEnv, baselineBand } from './gates/band';
import { createGates, registerGateMetrics, type Gates, type GatesOptions } from './gates/service';
import { createHttpApp, type HttpApp } from './http-app';
import { tapFramesForDetector } from './incidents/frame-tap';
import {
  KaizenConfigError,
  createKaizen,
  kaizenConfigFromEnv,
  type Kaizen,
  type KaizenConfig,
} from './incidents/kaizen';
import { registerKaizenMetrics } from './incidents/metrics';
import { logEntry, type LogFn } from './logging/log-line';
import { createServerMetrics, type ServerMetrics } from './metrics';
import { pgNotifyState, sqliteNotifyState, type NotifyState } from './notify/state';
import { rcaConfigFromEnv } from './rca/config';
import { createTenantLogRing, type TenantLogRing } from './rca/log-ring';
import { openRca } from './rca/open';
import type { RcaService } from './rca/service';
import { ensureSecret, watchSecret, type SecretName } from './secrets';
import { openDatabase, type Db } from './storage/database';
import { loadBundle } from './policy/bundle';
import { liveRates } from './policy/figures';
import { createPromotionGate, type PromotionGate } from './policy/gate';
import { pgPolicyLedger } from './state/pg-policy';
import { registerPolicyMetrics } from './policy/metrics';
import { policySettingsFromEnv } from './policy/settings';
import { SHARED_RATES_INTERVAL_MS, writeSharedRates } from './policy/shared-rates';
import { detectorLease, openClusterState, type ClusterState } from './state/cluster';
import { forwardDetectorTickets } from './state/detector-forward';
import { localLeases } from './state/leases';
import { DEFAULT_TENANT, openTenancy, type Tenancy, type TenancyOptions } from './tenants/runtime';

export interface ConsoleOptions {
  config: ServerConfig;
  env: Readonly<Record<string, string | undefined>>;
  log: (line: string) => void;
  /** Makes a known trace that is missing (the server passes one with a progress bar). */
  generate?: TenancyOptions['generate'];
  pollIntervalMs?: number;
  idleStopMs?: number;
  /** Kaizen settings over those of the environment (tests: detector rules, the clock). */
  kaizen?: Partial<KaizenConfig>;
  now?: () => number;
  /** Overrides of the decision gates' options (tests: the clients, the band, the clock). */
  gates?: Partial<GatesOptions>;
  /** Browser reports other than the console database's (tests). */
  clientReports?: ClientReports;
  /** Tells the notification worker that released notifications are due (main.ts starts it). */
  wakeDelivery?: () => void;
  /** Source lease timings over the defaults (tests shorten the failover). */
  cluster?: { leaseRenewMs?: number; leaseExpireMs?: number };
}

export interface ConsoleServer {
  readonly app: HttpApp;
  readonly metrics: ServerMetrics;
  readonly tenancy: Tenancy;
  readonly kaizen: Kaizen;
  /** Kaizen's own connection to console.db (the notification outbox shares it). */
  readonly kaizenDb: Db;
  /** The decision gates: sampled by their timer once started (tests call sample()). */
  readonly gates: Gates;
  /** Bytes and latencies minute by minute, for baselines; written once started. */
  readonly history: HistoryRecorder;
  /** RCAs of the tickets: drafts, reviews, the evidence's log ring. */
  readonly rca: RcaService;
  readonly logRing: TenantLogRing;
  /** The server's log: prints through options.log and keeps each tenant's lines for its RCAs. */
  readonly log: LogFn;
  /** The promotion gate: tenant-setting changes evaluated by the policy bundle. */
  readonly policy: PromotionGate;
  /** The cluster's shared state with --database; null for one process on SQLite. */
  readonly sharedState: ClusterState | null;
  /** The NATS side with --nats (role source, gateway, or all); null for one process alone. */
  readonly cluster: Cluster | null;
  /** Starts the detector, the gates' timers and the history's. */
  start(): void;
  /** Stops the detector first (so streams stopping resolve nothing), then the app and tenancy. */
  close(): Promise<void>;
}

/**
 * A machine credential: the data directory's secret file (generated at first start, reread when
 * the admin CLI rotates it), or null when the operator opened the route with its flag.
 */
function credential(
  config: ServerConfig,
  name: SecretName,
  anonymous: boolean,
  log: (line: string) => void,
): (() => string) | null {
  if (anonymous) return null;
  if (ensureSecret(config.dataDir, name).created) {
    log(`[secrets] first start: generated the ${name} secret in ${config.dataDir}`);
  }
  return watchSecret(config.dataDir, name, log);
}

function warnAboutOpenRoutes(config: ServerConfig, log: (line: string) => void): void {
  if (config.alertmanagerAnonymous) {
    log(
      '[security] WARNING: --alertmanager-anonymous: POST /api/alertmanager accepts alerts from ' +
        `anyone who can reach ${config.host}:${config.port}, without the webhook secret`,
    );
  }
  if (config.metricsAnonymous) {
    log(
      "[security] WARNING: --metrics-anonymous: GET /metrics serves every tenant's figures, " +
        `private tenants included, to anyone who can reach ${config.host}:${config.port}`,
    );
  }
}

/** Observer mode: switched on by --observer (it is stored), and said at start while it is on. */
async function applyObserver(
  notify: NotifyState,
  config: ServerConfig,
  log: (line: string) => void,
): Promise<void> {
  if (config.observer && (await notify.setObserver({ enabled: true, by: 'server --observer' }))) {
    log('[notify] observer mode switched on by --observer');
  }
  const observer = await notify.observerStatus();
  if (observer.enabled) {
    log(
      `[notify] observer mode is on: tickets as usual, pages and digests held ` +
        `(${observer.heldNotifications} held; ` +
        (notify.backend === 'postgres'
          ? 'PUT /api/observer on any gateway ends it)'
          : '"npm run admin -- observer off" ends it)'),
    );
  }
}

/**
 * Opens everything but does not listen. Throws StorageError, TraceError or SecretError for state
 * that cannot be used (exit 1 in main), and KaizenConfigError, RulesError, AlarmBandError,
 * TenantSpecError, TenancyError, PolicyBundleError or PolicySettingsError for bad settings (exit 2).
 */
export async function openConsole(options: ConsoleOptions): Promise<ConsoleServer> {
  const { config, env } = options;
  // The policy bundle first: a bad one stops the start before anything is opened.
  const policySettings = policySettingsFromEnv(env);
  const bundle = loadBundle(policySettings.bundleDir);
  const rcaConfig = rcaConfigFromEnv(config.rcaEndpoint, env);
  const nowMs = options.now ?? Date.now;
  // Every line is printed as before; a tenant's lines are also kept, redacted, for its RCAs. The
  // secrets are known only further down: the ring asks for them when it records.
  const secrets: (() => string | null)[] = [() => rcaConfig.chat?.apiKey ?? null];
  const logRing = createTenantLogRing({
    secrets: () => secrets.map((read) => read()).filter((s): s is string => s !== null),
  });
  const log: LogFn = (line, fields) => {
    options.log(line);
    logRing.record(logEntry(line, fields, nowMs()));
  };
  mkdirSync(config.dataDir, { recursive: true });
  const metrics = createServerMetrics();
  const fromEnv = kaizenConfigFromEnv(env, { defaultTenant: DEFAULT_TENANT });
  if (config.alertmanagerAnonymous && fromEnv.alertmanagerToken !== undefined) {
    throw new KaizenConfigError(
      'ALERTMANAGER_TOKEN and --alertmanager-anonymous contradict each other: choose one',
    );
  }
  const webhookSecret =
    fromEnv.alertmanagerToken ??
    credential(config, 'alertmanager', config.alertmanagerAnonymous, log);
  const metricsSecret = credential(config, 'metrics', config.metricsAnonymous, log);
  secrets.push(
    () => (typeof webhookSecret === 'function' ? webhookSecret() : webhookSecret),
    () => metricsSecret?.() ?? null,
  );
  const alarmBand = alarmBandFromEnv(env.KAIZEN_ALARM_BAND);
  // Throws ClusterError when NATS cannot be reached (exit 1): before anything else is opened.
  const cluster =
    config.natsServers.length > 0
      ? await openCluster({
          role: config.role,
          natsServers: config.natsServers,
          registry: metrics.registry,
          shard: config.sourceShard,
          log,
          ...options.cluster,
        })
      : null;

  // With --database the tickets live in the cluster's PostgreSQL and each tenant's detector runs
  // in the one gateway that holds its lease.
  const sharedState = config.databaseUrl
    ? await openClusterState(config.databaseUrl, log).catch(async (error: unknown) => {
        await cluster?.close();
        throw error;
      })
    : null;
  const leases = sharedState?.leases ?? localLeases();
  const closeCluster = async (): Promise<void> => {
    await sharedState?.close().catch(() => undefined);
    await cluster?.close();
  };

  // Kaizen has its own connection to the database: streams start inside openTenancy, and their
  // frames already feed the detector.
  let tenancy: Tenancy | undefined;
  let kaizenDb: Db;
  let kaizen: Kaizen;
  try {
    kaizenDb = openDatabase(config.dataDir);
  } catch (error) {
    await closeCluster();
    throw error;
  }
  try {
    kaizen = createKaizen({
      db: kaizenDb,
      config: { ...fromEnv, alertmanagerToken: webhookSecret, ...options.kaizen },
      visibilityOf: (id) => tenancy?.directory.tenants.get(id)?.visibility,
      log,
      now: options.now,
      tickets: sharedState ? (settings) => sharedState.tickets(settings) : undefined,
      ownsTenant: sharedState ? (id) => leases.holds(detectorLease(id)) : undefined,
    });
  } catch (error) {
    kaizenDb.close();
    await closeCluster();
    throw error;
  }

  try {
    tenancy = await openTenancy({
      dataDir: config.dataDir,
      tenantsFile: config.tenantsFile,
      shared: sharedState?.access ?? null,
      demoTracePath: config.traceIsDefault ? null : config.tracePath,
      log,
      generate: options.generate,
      pollIntervalMs: options.pollIntervalMs,
      idleStopMs: options.idleStopMs,
      // A source serves no stream clients: it runs a stream while a gateway watches it (and only
      // while it holds the source lease), so a standby costs nothing until it takes over.
      pinDefaultStream: cluster?.role !== 'source',
      // A gateway's frames come from NATS and its source's detector watches them where they are
      // made; a source publishes each frame before its own clients and its detector get it.
      wrapSource: (source, tenant) =>
        cluster?.role === 'gateway'
          ? cluster.wrapSource(source, tenant.id)
          : tapFramesForDetector(
              cluster ? cluster.wrapSource(source, tenant.id) : source,
              kaizen.detector,
              {
                tenantId: tenant.id,
                visibility: tenant.visibility,
              },
            ),
      onFanOut: (tenantId, fanOutMs) => {
        metrics.forTenant(tenantId).observeFanOut(fanOutMs);
        kaizen.detector.observeFanOut(tenantId, fanOutMs);
      },
      onEncode: (tenantId, encodeMs) => metrics.forTenant(tenantId).observeEncode(encodeMs),
    });
  } catch (error) {
    kaizen.close();
    kaizenDb.close();
    await closeCluster();
    throw error;
  }

  const opened = tenancy;
  const forwarded = sharedState ? forwardDetectorTickets(kaizen.store, kaizen.tickets, log) : null;
  if (sharedState) {
    log(
      '[state] tickets and their timelines, tenants, tokens and their grants, policy ' +
        'promotions and their audit chain, the notification outbox, PagerDuty pages and ' +
        "observer mode in PostgreSQL, shared by every gateway; the detector's own tickets in " +
        'the data directory too. RCAs (drafted from the shared tickets, in cluster-rca/) and ' +
        'the launch tooling stay in the data directory',
    );
  }
  // Another server's announcement (NATS) rereads the directory; with --database PostgreSQL's own
  // notices do too, and whichever comes first closes a revoked token's sockets.
  const refreshDirectory = (): void => {
    opened.directory
      .refresh()
      .catch((error: Error) => log(`[tenants] rereading tenants and tokens: ${error.message}`));
  };
  cluster?.attach(opened.registry, refreshDirectory);
  // SLOs and visibilities follow the tenant table: a tenant made public shows its tickets as public.
  const followTenants = (): void => {
    for (const t of opened.directory.tenants.values()) {
      kaizen.detector.setTenantSlo(t.id, t.sloMs);
      kaizen.store.setTenantVisibility(t.id, t.visibility);
      leases.want(detectorLease(t.id));
      if (sharedState) {
        kaizen.tickets
          .setTenantVisibility(t.id, t.visibility)
          .catch((error: Error) => log(`[state] visibility of ${t.id}: ${error.message}`));
      }
    }
  };
  followTenants();
  opened.directory.onChange((change) => {
    if (change.tenantsChanged) followTenants();
  });

  registerKaizenMetrics(metrics.registry, kaizen);
  // The detector hears the clients through the per-second figures, in which each client weighs
  // the same, never through one client's reports.
  metrics.onLatencySecond((tenantId, second) =>
    kaizen.detector.observeLatencySecond(tenantId, second),
  );
  // The outbox and observer switch: the cluster's with --database, so any gateway's switch,
  // release or discard is every gateway's.
  const notify = sharedState ? pgNotifyState(sharedState.pool) : sqliteNotifyState(kaizenDb);
  await applyObserver(notify, config, log);
  const gates = createGates({
    db: kaizenDb,
    metrics,
    tenants: () => [...opened.directory.tenants.keys()],
    clients: () => opened.registry.status().reduce((n, s) => n + s.subscribers, 0),
    alarmBand: () => alarmBand ?? baselineBand(config.dataDir),
    tickets: {
      store: kaizen.store,
      tenant: opened.defaultTenant,
      visibility: kaizen.visibilityOf(opened.defaultTenant),
    },
    log,
    ...options.gates,
  });
  registerGateMetrics(metrics.registry, kaizenDb);
  const history = createHistoryRecorder(
    kaizenDb,
    metrics,
    () => [...opened.directory.tenants.keys()],
    log,
  );
  const rca = openRca({
    db: kaizenDb,
    kaizen,
    metrics,
    streams: opened.registry,
    directory: opened.directory,
    config: rcaConfig,
    logRing,
    log,
    cluster: sharedState
      ? {
          dataDir: config.dataDir,
          pool: sharedState.pool,
          draftsOnOpen: (id) => leases.holds(detectorLease(id)),
        }
      : null,
  });
  const policy = createPromotionGate({
    db: kaizenDb,
    bundle,
    pricing: policySettings.pricing,
    rates: (tenant) => liveRates(metrics, tenant),
    metrics: registerPolicyMetrics(metrics.registry),
    // The stream follows at once (a new lattice or trace restarts it), not at the next poll.
    onApplied: refreshDirectory,
    // With --database promotions, the audit chain and tenant settings live in PostgreSQL, one
    // chain for every gateway; without it all three are in console.db.
    ledger: sharedState ? pgPolicyLedger(sharedState.pool) : undefined,
    tenantStore: sharedState
      ? {
          tenants: () => [...opened.directory.tenants.values()],
          write: (spec) => opened.store.updateTenantSettings(spec),
          log,
        }
      : undefined,
  });
  log(`[policy] ${bundle.policies.length} policies from ${bundle.dir}`);
  const shareRates = (): void => {
    try {
      const tenants = [...opened.directory.tenants.keys()];
      writeSharedRates(
        kaizenDb,
        new Map(tenants.map((t) => [t, liveRates(metrics, t)])),
        Date.now(),
      );
    } catch (error) {
      log(`[policy] sharing the live rates with the admin CLI failed: ${(error as Error).message}`);
    }
  };
  let ratesTimer: NodeJS.Timeout | undefined;
  const app = createHttpApp({
    config,
    tenancy: opened,
    metrics,
    kaizen,
    rca,
    log,
    metricsSecret,
    ops: {
      db: kaizenDb,
      notify,
      wakeDelivery: () => options.wakeDelivery?.(),
      gates,
      dataDir: config.dataDir,
      clientReports: options.clientReports ?? createClientReports(kaizenDb, metrics.registry),
      policy,
      revokeToken: async (tokenId) => {
        const outcome = await opened.store.revokeToken(tokenId);
        // This server closes the token's sockets now; the others when NATS or PostgreSQL tells
        // them.
        await opened.directory.refresh();
        cluster?.announceDirectoryChange();
        return outcome;
      },
    },
  });
  warnAboutOpenRoutes(config, log);

  return {
    app,
    metrics,
    tenancy: opened,
    kaizen,
    kaizenDb,
    gates,
    history,
    rca,
    logRing,
    log,
    policy,
    cluster,
    sharedState,
    start() {
      kaizen.start();
      gates.start();
      history.start();
      ratesTimer ??= setInterval(shareRates, SHARED_RATES_INTERVAL_MS);
      ratesTimer.unref();
    },
    async close() {
      if (ratesTimer) clearInterval(ratesTimer);
      kaizen.close();
      rca.close();
      gates.stop();
      history.stop();
      await app.close();
      forwarded?.stop();
      await forwarded?.settled();
      opened.close();
      kaizenDb.close();
      await leases.close();
      await closeCluster();
    },
  };
}
