// The console server as a separate process, for benchmarks and drills: started the way an
// operator starts it (`node --import tsx src/server/main.ts`), watched through /healthz, /metrics
// and /proc, and stopped with SIGTERM. Benches and drills share this so they measure the same thing.
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEFAULT_TRACE_PATH } from '../../src/server/config';
import { writeTraceFile } from '../../src/server/trace-file';

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), `phase-${prefix}-`));
}

/** A port that was free a moment ago (the e2e port 8199 is never handed out by the kernel's range). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise((r) => server.close(r));
  return port;
}

export interface ServerProcessOptions {
  port: number;
  dataDir: string;
  /** --trace: the demo tenant replays this file. */
  trace?: string;
  /** --tenants: declared tenants instead of the demo seed (see demoOnlyTenantsFile). */
  tenantsFile?: string;
  /** Node flags before the entry point, e.g. ['--cpu-prof', '--cpu-prof-dir=DIR']. */
  nodeArgs?: string[];
  env?: Record<string, string>;
  stdio?: StdioOptions;
}

/** Starts `src/server/main.ts` in a child process; returns at once (see waitHealthy). */
export function spawnServer(options: ServerProcessOptions): ChildProcess {
  const args = [
    ...(options.nodeArgs ?? []),
    '--import',
    'tsx',
    'src/server/main.ts',
    '--port',
    String(options.port),
    '--data',
    options.dataDir,
  ];
  if (options.trace) args.push('--trace', options.trace);
  if (options.tenantsFile) args.push('--tenants', options.tenantsFile);
  return spawn(process.execPath, args, {
    stdio: options.stdio ?? ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, ...options.env },
  });
}

/**
 * A tenants file declaring only the public `demo` tenant replaying `trace`: drills start without
 * generating the demo seed's other traces or running its live simulator.
 */
export function demoOnlyTenantsFile(dir: string, trace: string): string {
  const file = path.join(dir, 'tenants.json');
  const demo = {
    id: 'demo',
    name: 'Drill replay',
    visibility: 'public',
    source: { kind: 'replay', trace: path.resolve(trace) },
  };
  writeFileSync(file, JSON.stringify({ tenants: [demo] }));
  return file;
}

/** A replayable pattern with motion that differs per spin, so deltas are not trivial. */
export async function writeDrillTrace(file: string, width: number, height: number): Promise<void> {
  const frames = 240;
  await writeTraceFile(
    file,
    { width, height, frameCount: frames, intervalUs: 16667, flags: 0, seed: 0n },
    (k) => {
      const phases = new Uint16Array(width * height);
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          const drift = (((x * 7 + y * 13) % 29) + 1) * k * 37;
          phases[y * width + x] = (x * 97 + y * 131 + drift) & 0xffff;
        }
      }
      return phases;
    },
  );
}

/**
 * The trace a drill replays: `trace` when given; else the 12k demo trace when it exists and no
 * lattice was asked for; else a pattern trace of `lattice` (default 120 x 100) written in `dir`.
 */
export async function drillTrace(
  dir: string,
  trace: string | undefined,
  lattice: { width: number; height: number } | undefined,
): Promise<string> {
  if (trace) return trace;
  if (!lattice && existsSync(DEFAULT_TRACE_PATH)) return DEFAULT_TRACE_PATH;
  const { width, height } = lattice ?? { width: 120, height: 100 };
  const file = path.join(dir, `pattern-${width}x${height}.bin`);
  await writeDrillTrace(file, width, height);
  return file;
}

/** Parses --lattice WxH. */
export function parseLattice(
  value: string | undefined,
): { width: number; height: number } | undefined {
  if (value === undefined) return undefined;
  const m = /^(\d{1,4})x(\d{1,4})$/.exec(value);
  if (!m || Number(m[1]) < 1 || Number(m[2]) < 1) {
    throw new Error(`[bench] --lattice must be WxH like 64x48, got "${value}"`);
  }
  return { width: Number(m[1]), height: Number(m[2]) };
}

/** GET /healthz once: true on 200, false on anything else or no answer within `timeoutMs`. */
export async function healthy(url: string, timeoutMs = 1000): Promise<boolean> {
  try {
    const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(timeoutMs) });
    await res.arrayBuffer();
    return res.status === 200;
  } catch {
    return false;
  }
}

/** Waits for /healthz 200; throws if the process exits first or the deadline passes. */
export async function waitHealthy(
  url: string,
  timeoutMs: number,
  child?: ChildProcess,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child && child.exitCode !== null) {
      throw new Error(`[bench] server exited with ${child.exitCode} before it was healthy`);
    }
    if (await healthy(url)) return;
    if (Date.now() > deadline) throw new Error(`[bench] ${url} not healthy after ${timeoutMs} ms`);
    await sleep(100);
  }
}

/** SIGTERM (clean shutdown), then SIGKILL if it has not exited within `graceMs`. */
export async function stopServer(child: ChildProcess, graceMs = 10_000): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  const code = await exited;
  clearTimeout(timer);
  return code;
}

/** Prometheus text format, as {name, labels, value} rows (enough for counters and gauges). */
export interface MetricSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export function parseMetrics(text: string): MetricSample[] {
  const samples: MetricSample[] = [];
  for (const line of text.split('\n')) {
    if (line.length === 0 || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const pair of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[pair[1]!] = pair[2]!;
    }
    samples.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return samples;
}

export async function scrapeMetrics(url: string): Promise<MetricSample[]> {
  const res = await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(10_000) });
  if (res.status !== 200) throw new Error(`[bench] GET /metrics answered ${res.status}`);
  return parseMetrics(await res.text());
}

/** Sum of a metric's series, optionally only those whose labels match. */
export function metricSum(
  samples: readonly MetricSample[],
  name: string,
  labels: Record<string, string> = {},
): number {
  let sum = 0;
  for (const s of samples) {
    if (s.name !== name) continue;
    if (Object.entries(labels).every(([k, v]) => s.labels[k] === v)) sum += s.value;
  }
  return sum;
}

export interface ProcStat {
  /** User + system CPU time of the process (all its threads), in seconds. */
  cpuSeconds: number;
  rssBytes: number;
  /** Peak resident set (VmHWM). */
  peakRssBytes: number;
}

// Linux reports CPU time in clock ticks; USER_HZ is 100 on every Linux ABI Node runs on.
const CLOCK_TICKS_PER_S = 100;

/** CPU time and memory of a process from /proc (Linux); null if it is gone or not Linux. */
export function procStat(pid: number): ProcStat | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may hold spaces: split after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string): number =>
      Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
    return {
      cpuSeconds: (utime + stime) / CLOCK_TICKS_PER_S,
      rssBytes: kb('VmRSS') * 1024,
      peakRssBytes: kb('VmHWM') * 1024,
    };
  } catch {
    return null;
  }
}

export const round = (value: number, digits = 2): number => {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
};
