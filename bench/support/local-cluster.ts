// A cluster on one machine, each part a process of its own as an operator runs them: a
// nats-server (JetStream in a temporary directory), the frame source and its standbys, the
// gateways, and one address in front of the gateways. For `npm run dev:cluster`, the cluster e2e
// test and bench:load against several gateways. Without a database the nodes share one data
// directory (SQLite); with `databaseUrl` every node is given --database and a data directory of
// its own, as on separate machines: tickets, tenants and tokens live in PostgreSQL.
import type { ChildProcess, StdioOptions } from 'node:child_process';
import path from 'node:path';
import { startNatsServer, type NatsServer } from '../../src/testing/nats-server';
import { startFrontProxy, type FrontProxy } from './front-proxy';
import { freePort, spawnServer, stopServer, waitHealthy } from './server-process';

export interface ClusterNode {
  role: 'source' | 'gateway';
  port: number;
  url: string;
  child: ChildProcess;
  dataDir: string;
}

export interface LocalClusterOptions {
  dataDir: string;
  tenantsFile?: string;
  trace?: string;
  gateways?: number;
  /** Sources besides the first: standbys that take over when it dies. */
  standbys?: number;
  /** Ports for the nodes, in order: sources, then gateways; free ones when absent. */
  ports?: number[];
  frontPort?: number;
  stdio?: StdioOptions;
  env?: Record<string, string>;
  healthyTimeoutMs?: number;
  /** The cluster's PostgreSQL (--database) for every node, each with a data directory under dataDir. */
  databaseUrl?: string;
}

export interface LocalCluster {
  nats: NatsServer;
  sources: ClusterNode[];
  gateways: ClusterNode[];
  front: FrontProxy;
  frontUrl: string;
  /** Every node, NATS and the front address stopped; SIGTERM first, SIGKILL after a grace. */
  stop(): Promise<void>;
}

export async function startLocalCluster(options: LocalClusterOptions): Promise<LocalCluster> {
  const nats = await startNatsServer();
  const nodes: ClusterNode[] = [];
  let front: FrontProxy | undefined;
  const stop = async (): Promise<void> => {
    await front?.close();
    await Promise.all(nodes.map((node) => stopServer(node.child)));
    await nats.stop();
  };
  const ports = [...(options.ports ?? [])];
  const start = async (role: ClusterNode['role']): Promise<ClusterNode> => {
    const port = ports.shift() ?? (await freePort());
    const dataDir = options.databaseUrl
      ? path.join(options.dataDir, `${role}-${port}`)
      : options.dataDir;
    const child = spawnServer({
      port,
      dataDir,
      trace: options.trace,
      tenantsFile: options.tenantsFile,
      stdio: options.stdio,
      env: {
        ...options.env,
        ROLE: role,
        NATS_URL: nats.url,
        ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
      },
    });
    const node = { role, port, url: `http://127.0.0.1:${port}`, child, dataDir };
    nodes.push(node);
    return node;
  };
  try {
    const timeoutMs = options.healthyTimeoutMs ?? 120_000;
    // The first source alone: it seeds the shared data directory (and generates a missing trace).
    const first = await start('source');
    await waitHealthy(first.url, timeoutMs, first.child);
    const rest = [
      ...Array.from({ length: options.standbys ?? 0 }, () => 'source' as const),
      ...Array.from({ length: options.gateways ?? 2 }, () => 'gateway' as const),
    ];
    const started: ClusterNode[] = [];
    for (const role of rest) started.push(await start(role));
    await Promise.all(started.map((node) => waitHealthy(node.url, timeoutMs, node.child)));
    const gateways = nodes.filter((n) => n.role === 'gateway');
    front = await startFrontProxy(
      gateways.map((g) => g.port),
      { port: options.frontPort },
    );
    return {
      nats,
      sources: nodes.filter((n) => n.role === 'source'),
      gateways,
      front,
      frontUrl: `http://127.0.0.1:${front.port}`,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** WebSocket clients of a tenant's stream a node reports on /healthz; -1 when it does not answer. */
export async function streamClientsOn(url: string, tenant = 'demo'): Promise<number> {
  try {
    const body = (await (await fetch(`${url}/healthz`)).json()) as {
      streams: { tenant: string; clients: number }[];
    };
    return body.streams.find((s) => s.tenant === tenant)?.clients ?? 0;
  } catch {
    return -1;
  }
}
