// The console server as a separate process, for benchmarks and drills: started the way an
// operator starts it (`node --import tsx src/server/main.ts`), watched through /healthz (its
// /metrics and /proc figures: server-metrics.ts, proc-stat.ts), and stopped with SIGTERM. Benches
// and drills share this so they measure the same thing.
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { sleep } from './sleep';

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
  /** --host (default 127.0.0.1). */
  host?: string;
  /** A command the server runs under, e.g. ['ip', 'netns', 'exec', NS]. */
  wrap?: string[];
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
  if (options.host) args.push('--host', options.host);
  const [command, ...prefix] = [...(options.wrap ?? []), process.execPath];
  return spawn(command!, [...prefix, ...args], {
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
