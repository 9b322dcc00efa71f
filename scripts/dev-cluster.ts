// `npm run dev:cluster`: the console as a cluster on this machine, to try scale-out and failover:
// nats-server (JetStream on), one frame source and a standby, two gateways and one address in
// front of them, on the ports it prints; Ctrl-C stops them all and removes the throwaway data.
// Shared state is a throwaway PostgreSQL cluster (or --database URL) that every node is given with
// --database, each node keeping its own data directory; without PostgreSQL installed, the nodes
// share one SQLite data directory instead. --keep-data DIR keeps the data directories.
import { rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Readable } from 'node:stream';
import {
  startLocalCluster,
  type ClusterNode,
  type LocalCluster,
} from '../bench/support/local-cluster';
import { postgresBinDir, startPostgres, type TestPostgres } from '../src/testing/postgres';
import { tempDir } from '../src/testing/temp-dir';

const USAGE = `Usage: npm run dev:cluster -- [--base-port N] [--keep-data DIR] [--database URL]
  --base-port N     the front address on N, the source on N+1, its standby N+2, gateways N+3, N+4
                    (default 8090)
  --keep-data DIR   the nodes' data directories, under DIR, kept after Ctrl-C (default: throwaway)
  --database URL    the cluster's PostgreSQL (default: a throwaway one started here, when
                    PostgreSQL is installed; else the nodes share one SQLite data directory)`;

function prefixLines(stream: Readable | null, label: string): void {
  let rest = '';
  stream?.on('data', (chunk: Buffer) => {
    const lines = (rest + chunk.toString()).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) console.log(`${label} ${line}`);
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'base-port': { type: 'string', default: '8090' },
      'keep-data': { type: 'string' },
      database: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const base = Number(values['base-port']);
  if (!Number.isInteger(base) || base < 1 || base > 65530) {
    console.error(`[cluster] --base-port must be a port 1-65530, got "${values['base-port']}"`);
    process.exit(2);
  }
  const dataDir = values['keep-data'] ?? tempDir('dev-cluster');
  // A throwaway PostgreSQL unless one is given: the state every gateway shares, as in production.
  let pg: TestPostgres | null = null;
  if (!values.database && postgresBinDir()) {
    console.log('[cluster] starting a throwaway PostgreSQL for the shared state');
    pg = await startPostgres();
  }
  const databaseUrl = values.database ?? pg?.url;
  console.log(`[cluster] starting nats-server, 2 sources, 2 gateways; data in ${dataDir}`);
  console.log(
    databaseUrl
      ? `[cluster] state: tickets, tenants and tokens in PostgreSQL ${pg ? `(throwaway) ${pg.url}` : '(--database)'}; each node's own data directory under ${dataDir}`
      : '[cluster] state: one SQLite data directory shared by every node (PostgreSQL is not installed: apt-get install postgresql, or pass --database URL)',
  );
  let cluster: LocalCluster;
  try {
    cluster = await startLocalCluster({
      dataDir,
      databaseUrl,
      gateways: 2,
      standbys: 1,
      ports: [base + 1, base + 2, base + 3, base + 4],
      frontPort: base,
      stdio: ['ignore', 'pipe', 'pipe'],
      healthyTimeoutMs: 600_000,
    });
  } catch (error) {
    await pg?.stop();
    throw error;
  }
  const label = (node: ClusterNode, i: number): string => `[${node.role} ${i + 1} :${node.port}]`;
  cluster.sources.forEach((n, i) => {
    prefixLines(n.child.stdout, label(n, i));
    prefixLines(n.child.stderr, label(n, i));
  });
  cluster.gateways.forEach((n, i) => {
    prefixLines(n.child.stdout, label(n, i));
    prefixLines(n.child.stderr, label(n, i));
  });
  const rows = [
    ['nats-server', cluster.nats.url, 'JetStream on, store in a temporary directory'],
    ...(pg ? [['postgresql', pg.url, 'throwaway: removed at Ctrl-C']] : []),
    ...cluster.sources.map((n, i) => [
      `source ${i + 1}`,
      n.url,
      `${i === 0 ? 'active' : 'standby'}, pid ${n.child.pid}`,
    ]),
    ...cluster.gateways.map((n, i) => [`gateway ${i + 1}`, n.url, `pid ${n.child.pid}`]),
    ['front address', cluster.frontUrl, 'open this one: it moves to a live gateway'],
  ];
  for (const [what, url, note] of rows)
    console.log(`  ${what!.padEnd(14)} ${url!.padEnd(24)} ${note}`);
  console.log('[cluster] try: kill -9 a gateway or the active source; Ctrl-C stops everything');
  if (databaseUrl) {
    console.log(
      `[cluster] tokens for every gateway: npm run admin -- --database ${databaseUrl} token issue --name NAME --tenants demo`,
    );
  }

  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    console.log('[cluster] stopping');
    await cluster.stop();
    await pg?.stop();
    if (!values['keep-data']) rmSync(dataDir, { recursive: true, force: true });
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  console.error(`[cluster] ${(error as Error).message}`);
  process.exit(1);
});
