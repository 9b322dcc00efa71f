// Test helpers: a real server (tenancy, HTTP, WebSocket, per-tenant streams) on a random port.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { SUBPROTOCOL, decodeServerMessage, type ServerMessage } from '../core/wire/envelope';
import { StreamDecoder, type DecodedFrame, type StreamEvent } from '../core/wire/stream-decoder';
import { parseServerConfig, type ServerConfig } from './config';
import { createHttpApp, type HttpApp } from './http-app';
import { createServerMetrics, type ServerMetrics } from './metrics';
import type { Db } from './storage/database';
import type { StreamBus } from './stream/bus';
import { openTenancy, type Tenancy } from './tenants/runtime';
import { openTenantDatabase } from './tenants/schema';
import type { TenantSpec } from './tenants/tenant-spec';
import { issueToken, revokeToken, type IssuedToken } from './tenants/token-store';
import { writeTraceFile } from './trace-file';

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), `phase-${prefix}-`));
}

/** Writes a small trace whose frame k has phase (x*97 + y*131 + k*1000) mod 65536 at (x, y). */
export async function writePatternTrace(
  file: string,
  width: number,
  height: number,
  frames: number,
  intervalUs = 16667,
): Promise<(k: number) => Uint16Array> {
  const frameAt = (k: number): Uint16Array => {
    const phases = new Uint16Array(width * height);
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++)
        phases[y * width + x] = (x * 97 + y * 131 + k * 1000) & 0xffff;
    return phases;
  };
  await writeTraceFile(
    file,
    { width, height, frameCount: frames, intervalUs, flags: 0, seed: 0n },
    frameAt,
  );
  return frameAt;
}

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
  });
  const app = createHttpApp({ config, tenancy, metrics, log });
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
    },
  };
}

/** The server of the single-stream tests: the demo tenant replays `tracePath`. */
export async function startTestServer(
  tracePath: string,
  overrides: Partial<ServerConfig> = {},
): Promise<TestServer> {
  return startTenantServer({ demoTrace: tracePath, config: overrides });
}

/** A WebSocket client that records every decoded server message. */
export class TestClient {
  readonly messages: ServerMessage[] = [];
  /** Every message also goes through the client-side decoder, as in the browser worker. */
  readonly decoder = new StreamDecoder();
  readonly decoded: DecodedFrame[] = [];
  readonly faults: StreamEvent[] = [];
  readonly socket: WebSocket;
  closeCode: number | null = null;
  closeReason = '';
  readonly opened: Promise<void>;
  readonly closed: Promise<void>;

  constructor(
    url: string,
    options: { protocols?: string[]; headers?: Record<string, string> } = {},
  ) {
    this.socket = new WebSocket(url, options.protocols ?? [SUBPROTOCOL], {
      headers: options.headers,
    });
    this.socket.on('message', (data: Buffer) => {
      this.messages.push(decodeServerMessage(data));
      const event = this.decoder.accept(data, performance.now());
      if (event.type === 'frame') this.decoded.push(event.frame);
      else if (event.type === 'fault') this.faults.push(event);
    });
    this.opened = new Promise((resolve, reject) => {
      this.socket.once('open', () => resolve());
      this.socket.once('unexpected-response', (_req, res) =>
        reject(new Error(`HTTP ${res.statusCode}`)),
      );
      this.socket.once('error', reject);
    });
    this.closed = new Promise((resolve) => {
      this.socket.once('close', (code, reason) => {
        this.closeCode = code;
        this.closeReason = reason.toString();
        resolve();
      });
    });
  }

  frames() {
    return this.messages.filter((m) => m.t === 'frame');
  }

  async waitFor(predicate: () => boolean, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error('timed out waiting for a condition');
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  close(): void {
    this.socket.close();
  }
}
