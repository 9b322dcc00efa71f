// `npm start` / `npm run serve`: the console server. Fails at start, in one line naming the file
// and the fault, when a trace is missing or corrupt (exit 1) or the tenants file is wrong (exit 2).
import { mkdirSync } from 'node:fs';
import { ConfigError, USAGE, parseServerConfig } from './config';
import { createHttpApp } from './http-app';
import { createServerMetrics } from './metrics';
import { generateTrace } from './trace-generate';
import { createProgress } from './progress';
import { StorageError, openDatabase, type Db } from './storage/database';
import { DEFAULT_TENANT, TenancyError, openTenancy, type Tenancy } from './tenants/runtime';
import {
  KaizenConfigError,
  createKaizen,
  kaizenConfigFromEnv,
  type Kaizen,
} from './incidents/kaizen';
import { RulesError } from './incidents/detector-rules';
import { tapFramesForDetector } from './incidents/frame-tap';
import { registerKaizenMetrics } from './incidents/metrics';
import { startKaizenNotifications, type KaizenNotifications } from './incidents/notifications';
import { NotifyConfigError } from './notify/config';
import { observerStatus, setObserver } from './notify/observer';
import { AlarmBandError, alarmBandFromEnv, baselineBand } from './gates/band';
import type { AlarmBand } from './gates/evaluate';
import { createGates, registerGateMetrics } from './gates/service';
import { createHistoryRecorder } from './baselines/stream-history';
import { createClientReports } from './client-reports/service';
import { TenantSpecError } from './tenants/tenant-spec';
import { TraceError } from '../core/trace';

function log(line: string): void {
  console.log(`${new Date().toISOString()} ${line}`);
}

function fail(message: string, exitCode: number): never {
  console.error(message);
  process.exit(exitCode);
}

async function main(): Promise<void> {
  let config;
  try {
    config = parseServerConfig(process.argv.slice(2), process.env);
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message, 2);
    throw error;
  }
  if (config === 'help') {
    console.log(USAGE);
    return;
  }
  mkdirSync(config.dataDir, { recursive: true });

  const metrics = createServerMetrics();
  // Kaizen has its own connection to the database: streams start inside openTenancy, and their
  // frames already feed the detector.
  let tenancy: Tenancy | undefined;
  let kaizenDb: Db;
  let kaizen: Kaizen;
  try {
    kaizenDb = openDatabase(config.dataDir);
    kaizen = createKaizen({
      db: kaizenDb,
      config: kaizenConfigFromEnv(process.env, { defaultTenant: DEFAULT_TENANT }),
      visibilityOf: (id) => tenancy?.directory.tenants.get(id)?.visibility,
      log,
    });
  } catch (error) {
    if (error instanceof StorageError) fail(error.message, 1);
    if (error instanceof KaizenConfigError || error instanceof RulesError) fail(error.message, 2);
    throw error;
  }

  try {
    tenancy = await openTenancy({
      dataDir: config.dataDir,
      tenantsFile: config.tenantsFile,
      demoTracePath: config.traceIsDefault ? null : config.tracePath,
      log,
      generate: async (options) => {
        const progress = createProgress(`generating ${options.out}`, options.frames);
        await generateTrace(options, (done) => progress.update(done));
        progress.stop();
      },
      wrapSource: (source, tenant) =>
        tapFramesForDetector(source, kaizen.detector, {
          tenantId: tenant.id,
          visibility: tenant.visibility,
        }),
      onFanOut: (tenantId, fanOutMs) => metrics.forTenant(tenantId).observeFanOut(fanOutMs),
      onEncode: (tenantId, encodeMs) => metrics.forTenant(tenantId).observeEncode(encodeMs),
    });
  } catch (error) {
    if (error instanceof TenantSpecError || error instanceof TenancyError) fail(error.message, 2);
    if (error instanceof TraceError || error instanceof StorageError) fail(error.message, 1);
    throw error;
  }

  const opened = tenancy;
  const applySlos = (): void => {
    for (const t of opened.directory.tenants.values()) kaizen.detector.setTenantSlo(t.id, t.sloMs);
  };
  applySlos();
  opened.directory.onChange((change) => {
    if (change.tenantsChanged) applySlos();
  });

  registerKaizenMetrics(metrics.registry, kaizen);
  // Pages and digests leave through the SQLite outbox, delivered with retries (docs/OPERATIONS.md).
  let notifications: KaizenNotifications;
  try {
    notifications = startKaizenNotifications({
      db: kaizenDb,
      kaizen,
      dataDir: config.dataDir,
      env: process.env,
      registry: metrics.registry,
      log,
    });
  } catch (error) {
    if (error instanceof NotifyConfigError || error instanceof KaizenConfigError) {
      kaizen.close();
      opened.close();
      fail(error.message, 2);
    }
    throw error;
  }
  metrics.onLatencySamples((tenantId, samplesMs) => {
    for (const ms of samplesMs) kaizen.detector.observeLatency(tenantId, Math.max(0, ms));
  });
  if (config.observer && setObserver(kaizenDb, { enabled: true, by: 'server --observer' })) {
    log('[notify] observer mode switched on by --observer');
  }
  const observer = observerStatus(kaizenDb);
  if (observer.enabled) {
    log(
      `[notify] observer mode is on: tickets as usual, pages and digests held ` +
        `(${observer.heldNotifications} held; "npm run admin -- observer off" ends it)`,
    );
  }
  let alarmBand: AlarmBand | null;
  try {
    alarmBand = alarmBandFromEnv(process.env.KAIZEN_ALARM_BAND);
  } catch (error) {
    if (error instanceof AlarmBandError) fail(error.message, 2);
    throw error;
  }
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
  });
  registerGateMetrics(metrics.registry, kaizenDb);
  gates.start();
  // Bytes and latencies minute by minute, for baselines and their comparison.
  const history = createHistoryRecorder(
    kaizenDb,
    metrics,
    () => [...opened.directory.tenants.keys()],
    log,
  );
  history.start();
  const app = createHttpApp({
    config,
    tenancy: opened,
    metrics,
    kaizen,
    log,
    ops: {
      db: kaizenDb,
      wakeDelivery: () => notifications.worker.wake(),
      gates,
      dataDir: config.dataDir,
      clientReports: createClientReports(kaizenDb, metrics.registry),
    },
  });
  kaizen.start();
  let address: string;
  try {
    address = await app.listen();
  } catch (error) {
    kaizen.close();
    opened.close();
    fail(`[server] cannot listen on ${config.host}:${config.port}: ${(error as Error).message}`, 1);
  }
  log(`[server] listening on ${address}; data in ${config.dataDir}`);
  for (const tenant of opened.directory.tenants.values()) {
    const info = opened.registry.info(tenant.id);
    if (!info) continue;
    const what =
      tenant.source.kind === 'replay'
        ? `replaying ${tenant.id === opened.defaultTenant && !config.traceIsDefault ? config.tracePath : tenant.source.trace}`
        : 'live simulator';
    log(
      `[server] tenant ${tenant.id} (${tenant.visibility}): ${what}, ` +
        `${info.width}x${info.height} = ${info.width * info.height} spins, ${(1e6 / info.intervalUs).toFixed(1)} frames/s`,
    );
  }

  let stopping = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    log(`[server] ${signal}: shutting down`);
    // Before the streams stop, or their stopping would auto-resolve open tickets.
    kaizen.close();
    gates.stop();
    history.stop();
    await app.close();
    await notifications.stop();
    opened.close();
    kaizenDb.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(`[server] fatal: ${(error as Error).stack ?? String(error)}`);
  process.exit(1);
});
