// What one rung of the ladder runs against: a real server process declaring, by a tenants file,
// a live tenant of the lattice's size and a replay of a trace of that size, generated into the
// data directory on first use (never committed; reused while its header matches), beside a tiny
// always-on `demo` replay that /healthz reports.
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { openTraceFile } from '../../../src/server/trace-file';
import { DEFAULT_TRACE, generateTrace } from '../../../src/server/trace-generate';
import { freePort, spawnServer, stopServer, waitHealthy } from '../../support/server-process';
import { metricsAuthorization } from '../../support/server-metrics';
import type { LatticeSize } from './lattice-size';

export const LIVE_TENANT = 'e2e-live';
export const REPLAY_TENANT = 'e2e-replay';
/** The live tenant's simulator seed. */
const LIVE_SEED = 7;

export interface E2eServer {
  url: string;
  child: ChildProcess;
  tracePath: string;
  /** The scrape secret as an Authorization header: /metrics needs it by default. */
  metricsAuthorization: string;
}

function traceMatches(file: string, width: number, height: number, frames: number): boolean {
  if (!existsSync(file)) return false;
  try {
    const trace = openTraceFile(file);
    const { header } = trace;
    trace.close();
    return header.width === width && header.height === height && header.frameCount === frames;
  } catch {
    return false;
  }
}

/** The trace at `file`, generated first when missing or not of this size; progress on stderr. */
export async function ensureTrace(
  file: string,
  width: number,
  height: number,
  frames: number,
): Promise<void> {
  if (traceMatches(file, width, height, frames)) return;
  mkdirSync(path.dirname(file), { recursive: true });
  const started = performance.now();
  let reported = -1;
  await generateTrace({ ...DEFAULT_TRACE, width, height, frames, out: file }, (done, total) => {
    const tenth = Math.floor((10 * done) / total);
    if (tenth === reported) return;
    reported = tenth;
    console.error(`[bench:e2e] generating ${path.basename(file)}: ${10 * tenth} %`);
  });
  console.error(
    `[bench:e2e] generated ${file} in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}

export async function startE2eServer(
  dataDir: string,
  size: LatticeSize,
  traceFrames: number,
): Promise<E2eServer> {
  const traces = path.join(dataDir, 'traces');
  const demoTrace = path.join(traces, 'e2e-demo-16x16.bin');
  const tracePath = path.join(traces, `e2e-${size.width}x${size.height}-${traceFrames}.bin`);
  await ensureTrace(demoTrace, 16, 16, 60);
  await ensureTrace(tracePath, size.width, size.height, traceFrames);
  // Each run's server state starts afresh; the traces stay.
  const state = path.join(dataDir, 'server');
  rmSync(state, { recursive: true, force: true });
  mkdirSync(state, { recursive: true });
  const tenantsFile = path.join(dataDir, 'tenants.json');
  const tenants = [
    {
      id: 'demo',
      name: 'Bench demo',
      visibility: 'public',
      source: { kind: 'replay', trace: demoTrace },
    },
    {
      id: LIVE_TENANT,
      name: `Live ${size.width} x ${size.height}`,
      visibility: 'public',
      source: { kind: 'live', width: size.width, height: size.height, seed: LIVE_SEED },
    },
    {
      id: REPLAY_TENANT,
      name: `Replay ${size.width} x ${size.height}`,
      visibility: 'public',
      source: { kind: 'replay', trace: tracePath },
    },
  ];
  writeFileSync(tenantsFile, JSON.stringify({ tenants }, null, 2));
  const port = await freePort();
  const child = spawnServer({ port, dataDir: state, tenantsFile });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitHealthy(url, 120_000, child);
  } catch (error) {
    await stopServer(child);
    throw error;
  }
  return { url, child, tracePath, metricsAuthorization: metricsAuthorization(state) };
}
