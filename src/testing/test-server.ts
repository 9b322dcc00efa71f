// A real server for tests: the console `npm start` runs (tenancy, Kaizen, HTTP, WebSocket,
// per-tenant streams, the data directory's secrets), in this process, on a random port.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { TokenRole } from '../core/api/session';
import { parseServerConfig, type ServerConfig } from '../server/config';
import { openConsole } from '../server/console';
import type { HttpApp } from '../server/http-app';
import type { ClientReports } from '../server/client-reports/service';
import type { Cluster } from '../server/cluster/cluster';
import type { Gates, GatesOptions } from '../server/gates/service';
import type { Kaizen, KaizenConfig } from '../server/incidents/kaizen';
import type { LogFn } from '../server/logging/log-line';
import type { RcaService } from '../server/rca/service';
import type { ServerMetrics } from '../server/metrics';
import { readSecret } from '../server/secrets';
import type { ClusterState } from '../server/state/cluster';
import type { Db } from '../server/storage/database';
import type { StreamBus } from '../server/stream/bus';
import type { Tenancy } from '../server/tenants/runtime';
import { openTenantDatabase } from '../server/tenants/schema';
import type { TenantSpec } from '../server/tenants/tenant-spec';
import { issueToken, revokeToken, type IssuedToken } from '../server/tenants/token-store';
import { tempDir } from './temp-dir';

export interface TestServer {
  url: string;
  wsUrl: string;
  app: HttpApp;
  /** The default tenant's bus (always running). */
  readonly bus: StreamBus;
  metrics: ServerMetrics;
  config: ServerConfig;
  tenancy: Tenancy;
  kaizen: Kaizen;
  /** The shared state with --database; null on SQLite alone. */
  sharedState: ClusterState | null;
  dataDir: string;
  logs: string[];
  /** The decision gates, not started: a test steps them with sample(). */
  gates: Gates;
  /** The tickets' RCAs (idle() waits for drafts). */
  rca: RcaService;
  /** The server's own log, as its subsystems call it (lines land in `logs` and the tenant rings). */
  log: LogFn;
  /** The NATS side when argv has --nats; null otherwise. */
  cluster: Cluster | null;
  /**
   * Issues a token from another connection, as the admin CLI does, and reloads at once. A viewer
   * unless `role` says otherwise.
   */
  issueToken(tenants: string[], name?: string, role?: TokenRole): IssuedToken;
  /**
   * Issues a token where this server keeps them (console.db, or the cluster's PostgreSQL with
   * --database) and rereads at once. A viewer unless `role` says otherwise.
   */
  issueStoredToken(tenants: string[], name?: string, role?: TokenRole): Promise<IssuedToken>;
  /** Revokes from another connection; the server notices at its next poll, as in production. */
  revokeToken(tokenId: string): void;
  /** `Authorization` headers of the machine credentials in the data directory. */
  webhookAuthorization(): string;
  metricsAuthorization(): string;
  /** GET /metrics with the scrape secret: the Prometheus text. */
  scrapeMetrics(): Promise<string>;
  close(): Promise<void>;
}

export interface TenantServerOptions {
  /** Declared with a --tenants file; without it the data directory gets the demo seed. */
  tenants?: TenantSpec[];
  /** --trace: the demo tenant replays this file. */
  demoTrace?: string;
  dataDir?: string;
  pollIntervalMs?: number;
  idleStopMs?: number;
  config?: Partial<ServerConfig>;
  /** More command-line flags, as an operator would give them. */
  argv?: string[];
  /** Environment variables the server reads (ALERTMANAGER_TOKEN, KAIZEN_*). */
  env?: Record<string, string>;
  /** Kaizen settings over the environment's (detector rules, the ticket burst cap, a clock). */
  kaizen?: Partial<KaizenConfig>;
  /** Overrides of the decision gates' options (the clients, the band, where tickets open). */
  gates?: Partial<GatesOptions>;
  /** Browser reports other than the console database's. */
  clientReports?: ClientReports;
  /** The server's clock (tickets, the log ring, RCAs); the wall clock by default. */
  now?: () => number;
  /** Source lease timings for a cluster test (`--role`, `--nats` go in argv). */
  cluster?: { leaseRenewMs?: number; leaseExpireMs?: number };
}

/** A real server (tenancy in a temporary data directory, HTTP, WebSocket) on a random port. */
export async function startTenantServer(options: TenantServerOptions = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? tempDir('data');
  const argv = ['--port', '0', '--data', dataDir, ...(options.argv ?? [])];
  if (options.demoTrace) argv.push('--trace', options.demoTrace);
  if (options.tenants) {
    const file = path.join(tempDir('tenants'), 'tenants.json');
    writeFileSync(file, JSON.stringify({ tenants: options.tenants }));
    argv.push('--tenants', file);
  }
  const env = options.env ?? {};
  const parsed = parseServerConfig(argv, env);
  if (parsed === 'help') throw new Error('unreachable');
  // A stand-in build, so these tests do not depend on `npm run build` having run.
  const staticDir = tempDir('static');
  writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>Phase console</title>');
  const config = { ...parsed, staticDir, ...options.config };
  const logs: string[] = [];
  const log = (line: string): void => void logs.push(line);
  const server = await openConsole({
    config,
    env,
    log,
    pollIntervalMs: options.pollIntervalMs,
    idleStopMs: options.idleStopMs,
    kaizen: options.kaizen,
    gates: options.gates,
    clientReports: options.clientReports,
    now: options.now,
    cluster: options.cluster,
  });
  const { app, tenancy } = server;
  server.kaizen.start();
  const address = await app.listen();
  const withCliDb = <T>(work: (db: Db) => T): T => {
    const db = openTenantDatabase(dataDir);
    try {
      return work(db);
    } finally {
      db.close();
    }
  };
  return {
    url: address,
    wsUrl: address.replace(/^http/, 'ws') + '/ws',
    app,
    get bus() {
      const bus = tenancy.registry.runningBus(tenancy.defaultTenant);
      if (!bus) throw new Error('the default tenant is not streaming');
      return bus;
    },
    metrics: server.metrics,
    config,
    tenancy,
    kaizen: server.kaizen,
    sharedState: server.sharedState,
    dataDir,
    logs,
    gates: server.gates,
    rca: server.rca,
    log: server.log,
    issueToken(tenants, name = 'test', role = 'viewer') {
      if (server.sharedState) {
        throw new Error('with --database tokens live in PostgreSQL: use issueStoredToken');
      }
      const issued = withCliDb((db) => issueToken(db, { name, tenants, role }));
      tenancy.directory.poll();
      return issued;
    },
    async issueStoredToken(tenants, name = 'test', role = 'viewer') {
      const issued = await tenancy.store.issueToken({ name, tenants, role });
      await tenancy.directory.refresh();
      return issued;
    },
    revokeToken(tokenId) {
      if (server.sharedState) {
        throw new Error('with --database tokens live in PostgreSQL: revoke through tenancy.store');
      }
      withCliDb((db) => revokeToken(db, tokenId));
    },
    webhookAuthorization: () => `Bearer ${readSecret(dataDir, 'alertmanager')}`,
    metricsAuthorization: () => `Bearer ${readSecret(dataDir, 'metrics')}`,
    scrapeMetrics: async () =>
      (
        await fetch(`${address}/metrics`, {
          headers: { authorization: `Bearer ${readSecret(dataDir, 'metrics')}` },
        })
      ).text(),
    cluster: server.cluster,
    close: () => server.close(),
  };
}

/** The server of the single-stream tests: the demo tenant replays `tracePath`. */
export async function startTestServer(
  tracePath: string,
  overrides: Partial<ServerConfig> = {},
  options: Omit<TenantServerOptions, 'demoTrace' | 'config'> = {},
): Promise<TestServer> {
  return startTenantServer({ ...options, demoTrace: tracePath, config: overrides });
}
