// The frame path over NATS with real parts: a nats-server of the test's own (JetStream in a
// temporary directory), sources and gateways started as `npm start` starts them (one process each
// would be the same code; here they share the test's process), and stream clients that decode and
// check every frame as the browser does.
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { crc32 } from '../../core/crc32';
import { SUBPROTOCOL } from '../../core/wire/envelope';
import { startNatsServer, type NatsServer } from '../../testing/nats-server';
import { NodeStreamClient } from '../../testing/node-stream-client';
import { writePatternTrace } from '../../testing/pattern-trace';
import { tempDir } from '../../testing/temp-dir';
import { startTenantServer, type TestServer } from '../../testing/test-server';
import type { TenantSpec } from '../tenants/tenant-spec';
import { framesSubject, shardOf } from './subjects';

const crcOf = (phases: Uint16Array): number =>
  crc32(new Uint8Array(phases.buffer, phases.byteOffset, phases.byteLength));

async function until(what: string, predicate: () => boolean, timeoutMs = 20_000): Promise<void> {
  const start = performance.now();
  while (!predicate()) {
    if (performance.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

let nats: NatsServer;
let frameAt: (k: number) => Uint16Array;
let tenants: TenantSpec[];
const FRAMES = 240;
const servers: TestServer[] = [];
const clients: NodeStreamClient[] = [];

beforeAll(async () => {
  nats = await startNatsServer();
  const dir = tempDir('cluster-traces');
  frameAt = await writePatternTrace(path.join(dir, 'demo.bin'), 48, 32, FRAMES);
  await writePatternTrace(path.join(dir, 'other.bin'), 40, 24, FRAMES);
  const replay = (id: string): TenantSpec => ({
    id,
    name: id,
    visibility: 'public',
    source: { kind: 'replay', trace: path.join(dir, `${id}.bin`) },
    sloMs: 50,
  });
  tenants = [replay('demo'), replay('other')];
});

afterEach(async () => {
  for (const client of clients.splice(0)) client.stop();
  for (const server of servers.splice(0).reverse()) await server.close();
});

afterAll(async () => {
  await nats.stop();
});

async function node(
  role: 'source' | 'gateway',
  dataDir: string,
  lease = { leaseRenewMs: 150, leaseExpireMs: 600 },
  pollIntervalMs?: number,
  argv: string[] = [],
): Promise<TestServer> {
  const server = await startTenantServer({
    dataDir,
    tenants,
    argv: ['--role', role, '--nats', nats.url, ...argv],
    idleStopMs: 200,
    cluster: lease,
    pollIntervalMs,
  });
  servers.push(server);
  return server;
}

/** The tenants whose streams run on `server` now. */
const runningStreams = (server: TestServer): string[] =>
  server.tenancy.registry
    .status()
    .filter((s) => s.running)
    .map((s) => s.tenant);

/** A source that holds the lease and publishes. */
async function publishingSource(dataDir: string): Promise<TestServer> {
  const source = await node('source', dataDir);
  await until('the source lease', () => source.cluster?.publishing === true);
  return source;
}

/** A client that records each decoded frame's index and the CRC of the phases it decoded. */
function watch(
  server: TestServer,
  tenant = 'demo',
): { client: NodeStreamClient; seen: Map<number, number> } {
  const seen = new Map<number, number>();
  const client = new NodeStreamClient({
    url: `${server.wsUrl}?tenant=${tenant}`,
    onFrame: (frame) => seen.set(frame.frameIndex, crcOf(frame.phases)),
  });
  client.start();
  clients.push(client);
  return { client, seen };
}

describe('frames over NATS', () => {
  it('reach clients on two gateways decoded equal to the trace, a keyframe sent only on demand', async () => {
    const dataDir = tempDir('cluster');
    const source = await publishingSource(dataDir);
    const a = await node('gateway', dataDir);
    const b = await node('gateway', dataDir);
    const onA = watch(a);
    const onB = watch(b);
    await until('60 frames on each gateway', () => onA.seen.size >= 60 && onB.seen.size >= 60);

    for (const { client, seen } of [onA, onB]) {
      expect(client.faults).toBe(0);
      for (const [frameIndex, crc] of seen) expect(crc).toBe(crcOf(frameAt(frameIndex)));
    }
    const both = [...onA.seen.keys()].filter((k) => onB.seen.has(k));
    expect(both.length).toBeGreaterThan(30);
    for (const k of both) expect(onA.seen.get(k)).toBe(onB.seen.get(k));

    // Deltas flow to every gateway; keyframes only when a gateway asked for one (a start, a join).
    const published = source.cluster!.publisher!.published;
    expect(published.messages).toBeGreaterThanOrEqual(60);
    expect(published.keys).toBeLessThan(10);
    // The gateways hold no stream of their own: their frames are the source's.
    expect(a.cluster?.publishing).toBe(false);
    // And /metrics says so: what the source published, what each gateway received.
    const sourceMetrics = await source.metrics.registry.metrics();
    expect(sourceMetrics).toMatch(/^cluster_frames_published_total\{tenant_id="demo"\} [1-9]/m);
    expect(sourceMetrics).toMatch(/^cluster_source_active 1$/m);
    for (const gateway of [a, b]) {
      const text = await gateway.metrics.registry.metrics();
      expect(text).toMatch(/^cluster_frame_bytes_received_total\{tenant_id="demo"\} [1-9]/m);
      expect(text).toMatch(/^cluster_source_active 0$/m);
    }
  });

  it('lets a gateway watch a tenant from its first client to its last, and the source run it as long', async () => {
    const dataDir = tempDir('cluster');
    const source = await publishingSource(dataDir);
    const gateway = await node('gateway', dataDir);
    const running = (server: TestServer): boolean => runningStreams(server).includes('other');
    expect(running(gateway)).toBe(false);
    expect(running(source)).toBe(false);

    const { client, seen } = watch(gateway, 'other');
    await until('frames of the other tenant', () => seen.size >= 20);
    expect(client.faults).toBe(0);
    expect(running(gateway)).toBe(true);
    expect(running(source)).toBe(true);

    client.stop();
    // The gateway leaves after its idle time; the source stops once no gateway has watched for
    // WATCH_EXPIRE_MS, then its own idle time.
    await until('the gateway to leave', () => !running(gateway), 5000);
    await until('the source to stop the stream', () => !running(source), 10_000);
    expect(running(source)).toBe(false);
  });

  it('fails over to a standby source when the active one is cut off, and clients resume', async () => {
    const dataDir = tempDir('cluster');
    const first = await node('source', dataDir);
    await until('the first source to hold the lease', () => first.cluster?.publishing === true);
    const standby = await node('source', dataDir);
    const gateway = await node('gateway', dataDir);
    const { client, seen } = watch(gateway);
    await until('frames', () => seen.size >= 20);
    expect(standby.cluster?.publishing).toBe(false);
    // A standby runs no stream (the demo tenant's included): it would make frames nobody gets.
    expect(runningStreams(standby)).toEqual([]);
    expect(runningStreams(first)).toEqual(['demo']);

    // As a kill -9 looks to the cluster: the connection drops and the lease is never handed back.
    await first.cluster!.nc.close();
    const cutAtMs = performance.now();
    await until('the standby to take over', () => standby.cluster?.publishing === true, 10_000);
    const before = seen.size;
    seen.clear();
    await until('frames from the standby', () => seen.size >= 20, 10_000);
    const resumedMs = performance.now() - cutAtMs;
    expect(runningStreams(standby)).toEqual(['demo']);
    expect(resumedMs).toBeLessThan(8000);
    expect(before).toBeGreaterThanOrEqual(20);
    // The standby's run shares no history with the first's: the gateway asked for a keyframe and
    // no client ever applied a delta across the change.
    expect(client.faults).toBe(0);
    for (const [frameIndex, crc] of seen) expect(crc).toBe(crcOf(frameAt(frameIndex)));
  });

  it('closes a token revoked through one gateway on the other at once, over NATS', async () => {
    const dataDir = tempDir('cluster');
    await publishingSource(dataDir);
    // Neither gateway polls the shared state within the test: only NATS can tell B in time.
    const a = await node('gateway', dataDir, undefined, 60_000);
    const b = await node('gateway', dataDir, undefined, 60_000);
    const admin = a.issueToken(['demo'], 'root', 'admin');
    const viewer = a.issueToken(['demo'], 'partner');
    await b.tenancy.directory.refresh();
    const onB = new NodeStreamClient({
      url: b.wsUrl,
      protocols: [SUBPROTOCOL, `bearer.${viewer.token}`],
    });
    onB.start();
    clients.push(onB);
    await until('frames on B', () => onB.framesDecoded >= 5);

    const startMs = performance.now();
    const response = await fetch(`${a.url}/api/tokens/${viewer.tokenId}/revoke`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin.token}` },
    });
    expect(response.status).toBe(200);
    await until('the socket on B to close', () => onB.lastCloseCode !== null, 10_000);
    console.log(
      `[cluster] revoked through A, closed on B in ${(performance.now() - startMs).toFixed(0)} ms`,
    );
    expect(onB.lastCloseCode).toBe(4401);
  });

  it('splits the tenants over sources by shard, each shard with its own lease', async () => {
    const dataDir = tempDir('cluster');
    // demo is in shard 0 of 2 and other in shard 1 (shardOf, FNV-1a of the id).
    expect([shardOf('demo', 2), shardOf('other', 2)]).toEqual([0, 1]);
    const zero = await node('source', dataDir, undefined, undefined, ['--source-shard', '0/2']);
    const one = await node('source', dataDir, undefined, undefined, ['--source-shard', '1/2']);
    await until('both shards published', () => zero.cluster!.publishing && one.cluster!.publishing);
    const gateway = await node('gateway', dataDir);
    const demo = watch(gateway, 'demo');
    const other = watch(gateway, 'other');
    await until('frames of both tenants', () => demo.seen.size >= 20 && other.seen.size >= 20);
    expect(demo.client.faults + other.client.faults).toBe(0);
    const published = async (server: TestServer, tenant: string): Promise<number> => {
      const text = await server.metrics.registry.metrics();
      const line = new RegExp(
        `^cluster_frames_published_total\\{tenant_id="${tenant}"\\} (\\d+)`,
        'm',
      );
      return Number(line.exec(text)?.[1] ?? 0);
    };
    // Each tenant is published by its shard's source alone, though both run the pinned demo.
    expect(await published(zero, 'demo')).toBeGreaterThan(0);
    expect(await published(one, 'demo')).toBe(0);
    expect(await published(one, 'other')).toBeGreaterThan(0);
    expect(await published(zero, 'other')).toBe(0);
    expect(runningStreams(zero).includes('other')).toBe(false);
  });

  it('drops a malformed frame message and keeps serving', async () => {
    const dataDir = tempDir('cluster');
    const source = await publishingSource(dataDir);
    const gateway = await node('gateway', dataDir);
    const { client, seen } = watch(gateway);
    await until('frames', () => seen.size >= 10);
    source.cluster!.nc.publish(framesSubject('demo'), Uint8Array.of(1, 2, 3));
    const after = seen.size;
    await until('more frames', () => seen.size >= after + 20);
    expect(client.faults).toBe(0);
    expect(gateway.logs.some((l) => l.includes('shorter than the 28-byte header'))).toBe(true);
  });
});
