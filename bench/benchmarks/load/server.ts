// The server under load: its own process started here (optionally profiled and pinned to CPUs),
// or the one behind --url.
import { spawnSync, type ChildProcess } from 'node:child_process';
import { tempDir } from '../../../src/testing/temp-dir';
import { round } from '../../support/round';
import { freePort, spawnServer, stopServer, waitHealthy } from '../../support/server-process';
import { metricsAuthorization } from '../../support/server-metrics';
import { startLocalCluster } from '../../support/local-cluster';
import type { LoadOptions } from './options';

/** A process of the run besides the load generator: read for its CPU and its /metrics. */
export interface LoadNode {
  role: 'all' | 'source' | 'gateway' | 'nats-server';
  url: string | null;
  pid: number | undefined;
}

export interface LoadServer {
  url: string;
  /** Where the clients connect, in turn: the server, or each gateway of the cluster. */
  urls: string[];
  /** With --gateways: every process of the cluster; the gateways are the servers under load. */
  nodes: LoadNode[];
  /** Stops the cluster started here (undefined for one server). */
  stopCluster?: () => Promise<void>;
  /** The server process this benchmark started; undefined with --url. */
  child: ChildProcess | undefined;
  /** For its /metrics: the scrape secret of the server started here, or METRICS_SECRET with --url. */
  metricsAuthorization: string | undefined;
}

export async function startOrAttachServer(
  options: Pick<LoadOptions, 'url' | 'profileDir' | 'serverCpus' | 'gateways'>,
): Promise<LoadServer> {
  if (options.gateways > 0) return startCluster(options.gateways, options.serverCpus);
  if (options.url) {
    const secret = process.env.METRICS_SECRET;
    return {
      url: options.url,
      urls: [options.url],
      nodes: [{ role: 'all', url: options.url, pid: undefined }],
      child: undefined,
      metricsAuthorization: secret ? `Bearer ${secret}` : undefined,
    };
  }
  const port = await freePort();
  const nodeArgs = options.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.profileDir}`] : [];
  const dataDir = tempDir('bench-load');
  const child = spawnServer({ port, dataDir, nodeArgs });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitHealthy(url, 180_000, child);
    if (options.serverCpus) pin(child.pid!, options.serverCpus);
  } catch (error) {
    await stopServer(child);
    throw error;
  }
  return {
    url,
    urls: [url],
    nodes: [{ role: 'all', url, pid: child.pid }],
    child,
    metricsAuthorization: metricsAuthorization(dataDir),
  };
}

/** nats-server, one source and `gateways` gateways, each a process of its own (the demo seed). */
async function startCluster(gateways: number, serverCpus: string | undefined): Promise<LoadServer> {
  const dataDir = tempDir('bench-load-cluster');
  const cluster = await startLocalCluster({ dataDir, gateways, healthyTimeoutMs: 180_000 });
  const nodes: LoadNode[] = [
    ...cluster.sources.map((n) => ({ role: n.role, url: n.url, pid: n.child.pid })),
    ...cluster.gateways.map((n) => ({ role: n.role, url: n.url, pid: n.child.pid })),
    { role: 'nats-server', url: null, pid: cluster.nats.process.pid },
  ];
  if (serverCpus) for (const node of nodes) if (node.pid) pin(node.pid, serverCpus);
  return {
    url: cluster.gateways[0]!.url,
    urls: cluster.gateways.map((g) => g.url),
    nodes,
    child: undefined,
    metricsAuthorization: metricsAuthorization(dataDir),
    stopCluster: () => cluster.stop(),
  };
}

/** Pins every thread of a running process to the CPUs in `list` (taskset syntax, e.g. "0" or "1-3"). */
export function pin(pid: number, list: string): void {
  const run = spawnSync('taskset', ['-a', '-p', '-c', list, String(pid)], { encoding: 'utf8' });
  if (run.status !== 0) {
    throw new Error(`[bench:load] taskset -a -p -c ${list} ${pid} failed: ${run.stderr.trim()}`);
  }
}

/** Stops the server this benchmark started, waiting up to a minute for a clean shutdown. */
export async function stopOwnServer(
  child: ChildProcess,
): Promise<{ exitCode: number | null; shutdownSeconds: number }> {
  const stoppedAt = performance.now();
  const exitCode = await stopServer(child, 60_000);
  return { exitCode, shutdownSeconds: round((performance.now() - stoppedAt) / 1000, 2) };
}
