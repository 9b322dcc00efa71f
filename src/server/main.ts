// `npm start` / `npm run serve`: the console server. Fails at start, in one line naming the file
// and the fault, when a trace is missing or corrupt or the data directory cannot be used (exit 1)
// or the settings are wrong (exit 2).
import { ConfigError, USAGE, parseServerConfig } from './config';
import { openConsole, type ConsoleServer } from './console';
import { generateTrace } from './trace-generate';
import { createProgress } from './progress';
import { StorageError } from './storage/database';
import { TenancyError } from './tenants/runtime';
import { KaizenConfigError } from './incidents/kaizen';
import { RcaConfigError } from './rca/config';
import { RulesError } from './incidents/detector-rules';
import { startKaizenNotifications, type KaizenNotifications } from './incidents/notifications';
import { NotifyConfigError } from './notify/config';
import { AlarmBandError } from './gates/band';
import { PolicyBundleError } from './policy/engine';
import { PolicySettingsError } from './policy/settings';
import { SecretError } from './secrets';
import { ClusterError } from './cluster/cluster';
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

  let server: ConsoleServer;
  // Pages and digests leave through the SQLite outbox, delivered with retries (docs/OPERATIONS.md).
  let notifications: KaizenNotifications | undefined;
  try {
    server = await openConsole({
      config,
      env: process.env,
      log,
      wakeDelivery: () => {
        notifications?.worker.wake();
        notifications?.shared?.worker.wake();
      },
      generate: async (options) => {
        const progress = createProgress(`generating ${options.out}`, options.frames);
        await generateTrace(options, (done) => progress.update(done));
        progress.stop();
      },
    });
  } catch (error) {
    if (
      error instanceof TenantSpecError ||
      error instanceof TenancyError ||
      error instanceof KaizenConfigError ||
      error instanceof RulesError ||
      error instanceof AlarmBandError ||
      error instanceof RcaConfigError ||
      error instanceof PolicyBundleError ||
      error instanceof PolicySettingsError
    ) {
      fail(error.message, 2);
    }
    if (
      error instanceof TraceError ||
      error instanceof StorageError ||
      error instanceof SecretError ||
      error instanceof ClusterError
    ) {
      fail(error.message, 1);
    }
    throw error;
  }
  const { app, kaizen, kaizenDb, metrics, tenancy } = server;

  try {
    notifications = startKaizenNotifications({
      db: kaizenDb,
      kaizen,
      dataDir: config.dataDir,
      env: process.env,
      registry: metrics.registry,
      log,
      cluster: server.sharedState,
    });
  } catch (error) {
    if (error instanceof NotifyConfigError || error instanceof KaizenConfigError) {
      await server.close();
      fail(error.message, 2);
    }
    throw error;
  }
  server.start();
  let address: string;
  try {
    address = await app.listen();
  } catch (error) {
    await server.close();
    fail(`[server] cannot listen on ${config.host}:${config.port}: ${(error as Error).message}`, 1);
  }
  log(`[server] listening on ${address}; data in ${config.dataDir}`);
  for (const tenant of tenancy.directory.tenants.values()) {
    const info = tenancy.registry.info(tenant.id);
    if (!info) continue;
    const what =
      tenant.source.kind === 'replay'
        ? `replaying ${tenant.id === tenancy.defaultTenant && !config.traceIsDefault ? config.tracePath : tenant.source.trace}`
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
    // The detector stops first (server.close), or the streams stopping would auto-resolve tickets.
    kaizen.close();
    await notifications?.stop();
    await server.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(`[server] fatal: ${(error as Error).stack ?? String(error)}`);
  process.exit(1);
});
