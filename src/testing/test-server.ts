// A real server for tests (tenancy, HTTP, WebSocket, per-tenant streams) in this process, on a
// random port.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseServerConfig, type ServerConfig } from '../server/config';
import { createHttpApp, type HttpApp } from '../server/http-app';
import { createServerMetrics, type ServerMetrics } from '../server/metrics';
import type { OpsDependencies } from '../server/ops/plugin';
import { createClientReports } from '../server/client-reports/service';
import {
  createGates,
  registerGateMetrics,
  type Gates,
  type GatesOptions,
} from '../server/gates/service';
import { openDatabase, type Db } from '../server/storage/database';
import type { StreamBus } from '../server/stream/bus';
import { openTenancy, type Tenancy } from '../server/tenants/runtime';
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
  dataDir: string;
  logs: string[];
  /** The decision gates, with `ops`. */
  gates?: Gates;
  /** Issues a token from another connection, as the admin CLI does, and reloads at once. */
  issueToken(tenants: string[], name?: string): IssuedToken;
  /** Revokes from another connection; the server notices at its next poll, as in production. */
  revokeToken(tokenId: string): void;
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
  /** Serve the launch tooling's routes (observer, gates, baselines, browser reports) too. */
  ops?: Partial<OpsDependencies>;
  /** Overrides of the decision gates' options (with `ops`). */
  gates?: Partial<GatesOptions>;
}

/** A real server (tenancy in a temporary data directory, HTTP, WebSocket) on a random port. */
export async function startTenantServer(options: TenantServerOptions = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? tempDir('data');
  const argv = ['--port', '0', '--data', dataDir];
  if (options.demoTrace) argv.push('--trace', options.demoTrace);
  if (options.tenants) {
    const file = path.join(tempDir('tenants'), 'tenants.json');
    writeFileSync(file, JSON.stringify({ tenants: options.tenants }));
    argv.push('--tenants', file);
  }
  const parsed = parseServerConfig(argv, {});
  if (parsed === 'help') throw new Error('unreachable');
  // A stand-in build, so these tests do not depend on `npm run build` having run.
  const staticDir = tempDir('static');
  writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>Phase console</title>');
  const config = { ...parsed, staticDir, ...options.config };
  const logs: string[] = [];
  const log = (line: string): void => void logs.push(line);
  const metrics = createServerMetrics();
  const tenancy = await openTenancy({
    dataDir,
    tenantsFile: config.tenantsFile,
    demoTracePath: config.traceIsDefault ? null : config.tracePath,
    log,
    pollIntervalMs: options.pollIntervalMs,
    idleStopMs: options.idleStopMs,
    onFanOut: (tenantId, fanOutMs) => metrics.forTenant(tenantId).observeFanOut(fanOutMs),
    onEncode: (tenantId, encodeMs) => metrics.forTenant(tenantId).observeEncode(encodeMs),
  });
  // The launch tooling writes the console database through a connection of its own, as main.ts's.
  const opsDb = options.ops ? openDatabase(dataDir) : null;
  // The decision gates as main.ts makes them, stepped by the test (sample()) instead of a timer.
  const gates = opsDb
    ? createGates({
        db: opsDb,
        metrics,
        tenants: () => [...tenancy.directory.tenants.keys()],
        clients: () => tenancy.registry.status().reduce((n, s) => n + s.subscribers, 0),
        alarmBand: () => null,
        ...options.gates,
      })
    : undefined;
  if (opsDb) registerGateMetrics(metrics.registry, opsDb);
  const app = createHttpApp({
    config,
    tenancy,
    metrics,
    log,
    ...(opsDb
      ? {
          ops: {
            db: opsDb,
            wakeDelivery: () => {},
            gates,
            dataDir,
            clientReports:
              options.ops?.clientReports ?? createClientReports(opsDb, metrics.registry),
            ...options.ops,
          },
        }
      : {}),
  });
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
    metrics,
    config,
    tenancy,
    dataDir,
    logs,
    gates,
    issueToken(tenants, name = 'test') {
      const issued = withCliDb((db) => issueToken(db, { name, tenants }));
      tenancy.directory.poll();
      return issued;
    },
    revokeToken(tokenId) {
      withCliDb((db) => revokeToken(db, tokenId));
    },
    async close() {
      await app.close();
      tenancy.close();
      opsDb?.close();
    },
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
