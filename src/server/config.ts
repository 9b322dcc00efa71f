// Server configuration from command-line flags and environment variables (docs/ARCHITECTURE.md 4.1).
// Flags win over the environment, the environment over defaults.
import { parseArgs } from 'node:util';
import path from 'node:path';
import { databaseUrlFault } from './state/database-url';

export const DEFAULT_TRACE_PATH = 'traces/12k_spin_trace.bin';

export interface ServerConfig {
  port: number;
  host: string;
  /** Trace to replay; when it is the default and missing, it is generated at start. */
  tracePath: string;
  traceIsDefault: boolean;
  /** State directory (databases, tokens). */
  dataDir: string;
  /** JSON file declaring the tenants instead of the demo seed, or null. */
  tenantsFile: string | null;
  /** Origins allowed to embed the app and open its WebSocket from another origin. */
  embedOrigins: string[];
  /** Built single-page app. */
  staticDir: string;
  /** Bytes a client may have queued in its socket before frames are skipped for it. */
  clientBufferBudgetBytes: number;
  /** Switch observer mode on at start (it is stored: it stays on until switched off). */
  observer: boolean;
  /** Spins below which the app draws on the CPU canvas, for tenants without their own. */
  gpuThreshold: number;
  /** Host names requests may carry besides the bound address and localhost (DNS rebinding). */
  allowedHosts: string[];
  /** POST /api/alertmanager without the webhook secret: only by explicit choice, logged at start. */
  alertmanagerAnonymous: boolean;
  /** GET /metrics without the scrape secret: only by explicit choice, logged at start. */
  metricsAnonymous: boolean;
  /** OpenAI-compatible chat-completions server that drafts RCAs; null: the built-in drafter. */
  rcaEndpoint: string | null;
  /** The cluster's shared PostgreSQL (`postgres://...`), or null: SQLite in the data directory. */
  databaseUrl: string | null;
  /** What this process runs in a cluster: everything (the default), the streams, or the clients. */
  role: ServerRole;
  /** NATS server URLs (comma-separated in the flag); empty without a cluster. */
  natsServers: string[];
  /** The tenants this source runs: those whose shard of `count` is `index` (0 of 1: all). */
  sourceShard: { index: number; count: number };
}

export const SERVER_ROLES = ['all', 'source', 'gateway'] as const;
export type ServerRole = (typeof SERVER_ROLES)[number];

export class ConfigError extends Error {
  constructor(message: string) {
    super(`[config] ${message}`);
    this.name = 'ConfigError';
  }
}

export const USAGE = `Usage: npm start -- [options]
  --port N            port to listen on (env PORT, default 8080)
  --host HOST         address to bind (env HOST, default 127.0.0.1)
  --trace PATH        trace the demo tenant replays (env TRACE, default ${DEFAULT_TRACE_PATH})
  --data DIR          state directory: console.db, generated traces (env DATA_DIR, default ./data)
  --tenants FILE      JSON file declaring the tenants instead of the demo seed (env TENANTS)
  --embed-origins L   comma-separated origins allowed to embed the app (env EMBED_ORIGINS)
  --gpu-threshold N   spins below which the app draws on the CPU canvas, for tenants without
                      their own (env GPU_THRESHOLD, default 5000)
  --observer          observer mode from the start: tickets as usual, pages and digests held
                      (env OBSERVER=1; stays on until "npm run admin -- observer off")
  --allowed-hosts L   comma-separated host names requests may carry besides the bound address
                      and localhost; .example.com for a domain and its subdomains (env ALLOWED_HOSTS)
  --alertmanager-anonymous
                      accept POST /api/alertmanager without the webhook secret (env
                      ALERTMANAGER_ANONYMOUS=1); anyone who can reach the port can then file alerts
  --metrics-anonymous serve GET /metrics without the scrape secret (env METRICS_ANONYMOUS=1);
                      every tenant's figures are then public on this port
  --rca-endpoint URL  OpenAI-compatible chat-completions server that drafts RCAs (env
                      RCA_ENDPOINT; model and key from RCA_MODEL, RCA_API_KEY; docs/RCA.md);
                      without it the built-in drafter writes them
  --database URL      shared state in PostgreSQL (postgres://user@host:5432/db) for a cluster of
                      gateways (env DATABASE_URL; default: SQLite files in the data directory)
  --role R            all (default), source or gateway: a source runs the streams and publishes
                      their frames on NATS, a gateway serves clients from NATS (env ROLE)
  --nats URL          NATS server(s), comma-separated nats://host:port; needed by source and
                      gateway (env NATS_URL; without it: one process, the in-process bus)
  --source-shard K/N  a source runs and publishes only the tenants of shard K of N (0-based; env
                      SOURCE_SHARD, default 0/1: every tenant); each shard has its own standby
  --help              show this help`;

function parsePort(value: string, source: string): number {
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65535) {
    throw new ConfigError(`${source} must be a port number 0-65535, got "${value}"`);
  }
  return Number(value);
}

function splitList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/**
 * `scheme://host[:port]`, lower-cased, as a browser sends it in `Origin`. http(s) origins are
 * normalised by URL; others (an IDE's webview, `vscode-webview://abc`) have no origin in URL's
 * sense, so their form is checked here.
 */
function parseOrigin(origin: string, source: string): string {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    throw new ConfigError(`${source}: "${origin}" is not an origin like https://ide.example`);
  }
  const bare = origin.replace(/\/$/, '');
  if (url.origin !== 'null') {
    if (url.origin !== bare) {
      throw new ConfigError(`${source}: "${origin}" is not a bare origin (scheme://host[:port])`);
    }
    return url.origin;
  }
  if (!/^[a-z][a-z0-9+.-]*:\/\/[a-z0-9.-]+(:\d{1,5})?$/i.test(bare)) {
    throw new ConfigError(`${source}: "${origin}" is not a bare origin (scheme://host[:port])`);
  }
  return bare.toLowerCase();
}

function parseOrigins(value: string, source: string): string[] {
  return splitList(value).map((origin) => parseOrigin(origin, source));
}

function parseHosts(value: string, source: string): string[] {
  const hosts = splitList(value);
  for (const host of hosts) {
    if (!/^\.?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*\.?$/i.test(host)) {
      throw new ConfigError(
        `${source}: "${host}" is not a host name like console.example.com or .example.com`,
      );
    }
  }
  return hosts.map((h) => h.toLowerCase());
}

/**
 * An http(s) URL without credentials: a key in the URL would end up in logs and in the RCA's
 * engine notes; it goes in RCA_API_KEY.
 */
function parseEndpoint(value: string | undefined, source: string): string | null {
  if (value === undefined || value === '') return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(
      `${source}: "${value.slice(0, 100)}" is not a URL like http://127.0.0.1:8081`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`${source} must be an http or https URL, got ${url.protocol}`);
  }
  if (url.username !== '' || url.password !== '') {
    throw new ConfigError(`${source} must not carry credentials: put the key in RCA_API_KEY`);
  }
  return value;
}

function parseSwitch(flag: boolean | undefined, env: string | undefined, name: string): boolean {
  if (flag) return true;
  if (env === undefined || env === '' || env === '0' || env === 'false') return false;
  if (env === '1' || env === 'true') return true;
  throw new ConfigError(`${name} must be 1, true, 0 or false, got "${env.slice(0, 20)}"`);
}

export const DEFAULT_GPU_THRESHOLD = 5000;

function parseGpuThreshold(value: string | undefined, source: string): number {
  if (value === undefined || value === '') return DEFAULT_GPU_THRESHOLD;
  if (!/^\d{1,8}$/.test(value) || Number(value) > 16_777_216) {
    throw new ConfigError(
      `${source} must be a number of spins 0-16777216, got "${value.slice(0, 20)}"`,
    );
  }
  return Number(value);
}

function parseCluster(
  roleFlag: string | undefined,
  roleEnv: string | undefined,
  natsFlag: string | undefined,
  natsEnv: string | undefined,
): { role: ServerRole; natsServers: string[] } {
  const roleSource = roleFlag !== undefined ? '--role' : 'ROLE';
  const roleRaw = roleFlag ?? (roleEnv || 'all');
  const role = SERVER_ROLES.find((r) => r === roleRaw);
  if (!role) {
    throw new ConfigError(
      `${roleSource} must be all, source or gateway, got "${roleRaw.slice(0, 20)}"`,
    );
  }
  const natsSource = natsFlag !== undefined ? '--nats' : 'NATS_URL';
  const natsServers = splitList(natsFlag ?? natsEnv ?? '');
  for (const server of natsServers) {
    let url: URL | null = null;
    try {
      url = new URL(server);
    } catch {
      // Reported below.
    }
    if (!url || !['nats:', 'tls:'].includes(url.protocol) || !url.hostname) {
      throw new ConfigError(
        `${natsSource}: "${server.slice(0, 80)}" is not a NATS URL like nats://127.0.0.1:4222`,
      );
    }
  }
  if (role !== 'all' && natsServers.length === 0) {
    throw new ConfigError(`--role ${role} needs --nats URL (or NATS_URL): frames travel over NATS`);
  }
  return { role, natsServers };
}

function parseShard(value: string | undefined, source: string): { index: number; count: number } {
  if (value === undefined || value === '') return { index: 0, count: 1 };
  const match = /^(\d{1,4})\/(\d{1,4})$/.exec(value);
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index >= count) {
    throw new ConfigError(
      `${source} must be K/N with 0 <= K < N, like 0/4; got "${value.slice(0, 20)}"`,
    );
  }
  return { index, count };
}

export function parseServerConfig(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): ServerConfig | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        trace: { type: 'string' },
        data: { type: 'string' },
        tenants: { type: 'string' },
        'embed-origins': { type: 'string' },
        observer: { type: 'boolean' },
        'gpu-threshold': { type: 'string' },
        'allowed-hosts': { type: 'string' },
        'alertmanager-anonymous': { type: 'boolean' },
        'metrics-anonymous': { type: 'boolean' },
        'rca-endpoint': { type: 'string' },
        database: { type: 'string' },
        role: { type: 'string' },
        nats: { type: 'string' },
        'source-shard': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    throw new ConfigError(`${(error as Error).message}\n${USAGE}`);
  }
  const v = parsed.values;
  if (v.help) return 'help';

  const port =
    v.port !== undefined
      ? parsePort(v.port, '--port')
      : env.PORT
        ? parsePort(env.PORT, 'PORT')
        : 8080;
  const host = v.host ?? env.HOST ?? '127.0.0.1';
  if (host.length === 0) throw new ConfigError('--host must not be empty');
  const traceArg = v.trace ?? env.TRACE;
  const dataDir = path.resolve(v.data ?? env.DATA_DIR ?? 'data');
  const tenantsFile = v.tenants ?? (env.TENANTS || null);
  if (tenantsFile === '') throw new ConfigError('--tenants must name a file');
  const originsRaw = v['embed-origins'] ?? env.EMBED_ORIGINS ?? '';
  const embedOrigins = parseOrigins(
    originsRaw,
    v['embed-origins'] !== undefined ? '--embed-origins' : 'EMBED_ORIGINS',
  );
  const allowedHosts = parseHosts(
    v['allowed-hosts'] ?? env.ALLOWED_HOSTS ?? '',
    v['allowed-hosts'] !== undefined ? '--allowed-hosts' : 'ALLOWED_HOSTS',
  );
  const databaseUrl = v.database ?? (env.DATABASE_URL || null);
  if (databaseUrl !== null) {
    const fault = databaseUrlFault(databaseUrl);
    if (fault) {
      throw new ConfigError(`${v.database !== undefined ? '--database' : 'DATABASE_URL'} ${fault}`);
    }
  }
  const { role, natsServers } = parseCluster(v.role, env.ROLE, v.nats, env.NATS_URL);
  return {
    port,
    host,
    tracePath: traceArg ?? DEFAULT_TRACE_PATH,
    traceIsDefault: traceArg === undefined,
    dataDir,
    tenantsFile,
    embedOrigins,
    staticDir: path.resolve('dist'),
    clientBufferBudgetBytes: 256 * 1024,
    observer: parseSwitch(v.observer, env.OBSERVER, 'OBSERVER'),
    gpuThreshold: parseGpuThreshold(
      v['gpu-threshold'] ?? env.GPU_THRESHOLD,
      v['gpu-threshold'] !== undefined ? '--gpu-threshold' : 'GPU_THRESHOLD',
    ),
    allowedHosts,
    alertmanagerAnonymous: parseSwitch(
      v['alertmanager-anonymous'],
      env.ALERTMANAGER_ANONYMOUS,
      'ALERTMANAGER_ANONYMOUS',
    ),
    metricsAnonymous: parseSwitch(
      v['metrics-anonymous'],
      env.METRICS_ANONYMOUS,
      'METRICS_ANONYMOUS',
    ),
    rcaEndpoint: parseEndpoint(
      v['rca-endpoint'] ?? env.RCA_ENDPOINT,
      v['rca-endpoint'] !== undefined ? '--rca-endpoint' : 'RCA_ENDPOINT',
    ),
    databaseUrl,
    role,
    natsServers,
    sourceShard: parseShard(
      v['source-shard'] ?? env.SOURCE_SHARD,
      v['source-shard'] !== undefined ? '--source-shard' : 'SOURCE_SHARD',
    ),
  };
}
