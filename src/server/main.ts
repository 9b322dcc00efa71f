// `npm start` / `npm run serve`: the console server. Fails at start, in one line naming the file
// and the fault, when the trace is missing or corrupt.
import { existsSync, mkdirSync } from 'node:fs';
import { ConfigError, USAGE, parseServerConfig } from './config';
import { createHttpApp } from './http-app';
import { createServerMetrics } from './metrics';
import { createStreamBus, type StreamBus } from './stream/bus';
import { createReplaySource } from './stream/replay-source';
import { openTraceFile } from './trace-file';
import { DEFAULT_TRACE, generateTrace } from './trace-generate';
import { createProgress } from './progress';
import { TraceError } from '../core/trace';

const DEFAULT_TENANT = 'demo';

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

  if (config.traceIsDefault && !existsSync(config.tracePath)) {
    log(`[trace] ${config.tracePath} is missing: generating it (${DEFAULT_TRACE.frames} frames)`);
    const progress = createProgress('generating trace', DEFAULT_TRACE.frames);
    await generateTrace({ ...DEFAULT_TRACE, out: config.tracePath }, (done) =>
      progress.update(done),
    );
    progress.stop();
  }

  let trace;
  try {
    trace = openTraceFile(config.tracePath);
  } catch (error) {
    if (error instanceof TraceError) fail(error.message, 1);
    throw error;
  }

  const metrics = createServerMetrics();
  const source = createReplaySource(trace, { log });
  const bus = createStreamBus(DEFAULT_TENANT, source);
  const streams = new Map<string, StreamBus>([[DEFAULT_TENANT, bus]]);
  bus.start();

  const app = createHttpApp({ config, streams, defaultTenant: DEFAULT_TENANT, metrics, log });
  let address: string;
  try {
    address = await app.listen();
  } catch (error) {
    bus.stop();
    fail(`[server] cannot listen on ${config.host}:${config.port}: ${(error as Error).message}`, 1);
  }
  const { width, height, frameCount, intervalUs } = trace.header;
  log(
    `[server] listening on ${address}; replaying ${config.tracePath} ` +
      `(${width}x${height} = ${width * height} spins, ${frameCount} frames, ${(1e6 / intervalUs).toFixed(1)} frames/s)`,
  );

  let stopping = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    log(`[server] ${signal}: shutting down`);
    bus.stop();
    await app.close();
    trace.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(`[server] fatal: ${(error as Error).stack ?? String(error)}`);
  process.exit(1);
});
