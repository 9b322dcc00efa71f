// `npm run dev:cluster`: the console as a cluster on this machine, to try scale-out and failover:
// nats-server (JetStream on), one frame source and a standby, two gateways and one address in
// front of them, on the ports it prints; Ctrl-C stops them all and removes the throwaway data.
// State is a throwaway SQLite data directory that every node shares (--keep-data DIR to keep it).
import { rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Readable } from 'node:stream';
import { startLocalCluster, type ClusterNode } from '../bench/support/local-cluster';
import { tempDir } from '../src/testing/temp-dir';

const USAGE = `Usage: npm run dev:cluster -- [--base-port N] [--keep-data DIR]
  --base-port N     the front address on N, the source on N+1, its standby N+2, gateways N+3, N+4
                    (default 8090)
  --keep-data DIR   the nodes' shared data directory, kept after Ctrl-C (default: a throwaway one)`;

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
  console.log(`[cluster] starting nats-server, 2 sources, 2 gateways; data in ${dataDir}`);
  console.log('[cluster] state: the shared SQLite data directory');
  const cluster = await startLocalCluster({
    dataDir,
    gateways: 2,
    standbys: 1,
    ports: [base + 1, base + 2, base + 3, base + 4],
    frontPort: base,
    stdio: ['ignore', 'pipe', 'pipe'],
    healthyTimeoutMs: 600_000,
  });
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

  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    console.log('[cluster] stopping');
    await cluster.stop();
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
