// Test helpers: a real server (HTTP + WebSocket + replay) on a random port over a trace file.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { SUBPROTOCOL, decodeServerMessage, type ServerMessage } from '../core/wire/envelope';
import { StreamDecoder, type DecodedFrame, type StreamEvent } from '../core/wire/stream-decoder';
import { parseServerConfig, type ServerConfig } from './config';
import { createHttpApp, type HttpApp } from './http-app';
import { createServerMetrics, type ServerMetrics } from './metrics';
import { createStreamBus, type StreamBus } from './stream/bus';
import { createReplaySource } from './stream/replay-source';
import { openTraceFile, writeTraceFile } from './trace-file';

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
  bus: StreamBus;
  metrics: ServerMetrics;
  config: ServerConfig;
  logs: string[];
  close(): Promise<void>;
}

export async function startTestServer(
  tracePath: string,
  overrides: Partial<ServerConfig> = {},
): Promise<TestServer> {
  const parsed = parseServerConfig(
    ['--port', '0', '--data', tempDir('data'), '--trace', tracePath],
    {},
  );
  if (parsed === 'help') throw new Error('unreachable');
  // A stand-in build, so these tests do not depend on `npm run build` having run.
  const staticDir = tempDir('static');
  writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>Phase console</title>');
  const config = { ...parsed, staticDir, ...overrides };
  const logs: string[] = [];
  const log = (line: string): void => void logs.push(line);
  const trace = openTraceFile(tracePath);
  const metrics = createServerMetrics();
  const bus = createStreamBus('demo', createReplaySource(trace, { log }));
  bus.start();
  const app = createHttpApp({
    config,
    streams: new Map([['demo', bus]]),
    defaultTenant: 'demo',
    metrics,
    log,
  });
  const address = await app.listen();
  return {
    url: address,
    wsUrl: address.replace(/^http/, 'ws') + '/ws',
    app,
    bus,
    metrics,
    config,
    logs,
    async close() {
      bus.stop();
      await app.close();
      trace.close();
    },
  };
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
