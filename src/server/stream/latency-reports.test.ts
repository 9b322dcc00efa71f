// Forged latency reports against the real server: a client that reports 59,999 ms cannot move
// its tenant's latency figures while other clients report honestly, and cannot open a latency
// ticket, alone or among others; its own reports still back it off.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { LatencyReport } from '../../core/api/panels';
import { encodeMessage } from '../../core/wire/envelope';
import { writePatternTrace } from '../../testing/pattern-trace';
import { tempDir } from '../../testing/temp-dir';
import { TestClient } from '../../testing/test-client';
import { startTenantServer, type TestServer } from '../../testing/test-server';
import { parseDetectorRules } from '../incidents/detector-rules';

let server: TestServer | undefined;
const clients: TestClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await server?.close();
  server = undefined;
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function start(): Promise<TestServer> {
  const trace = path.join(tempDir('latency'), 'pattern.bin');
  await writePatternTrace(trace, 24, 16, 120);
  // A latency rule quick enough for a test: judged over 3 s, firing after 2 s.
  const rules = parseDetectorRules({
    streamStalled: { enabled: false },
    orderParameterLow: { enabled: false },
    latencyAboveSlo: { windowMs: 3000, forMs: 2000, minSamples: 20 },
  });
  server = await startTenantServer({ demoTrace: trace, kaizen: { rules } });
  return server;
}

async function connect(s: TestServer): Promise<TestClient> {
  const client = new TestClient(s.wsUrl);
  clients.push(client);
  await client.opened;
  await client.waitFor(() => client.frames().length >= 2);
  return client;
}

/** Sends a report of `samplesMs` every 100 ms for `forMs`. */
async function report(reporters: { client: TestClient; samplesMs: number[] }[], forMs: number) {
  const endMs = Date.now() + forMs;
  while (Date.now() < endMs) {
    for (const { client, samplesMs } of reporters) {
      client.socket.send(encodeMessage({ t: 'latency', samplesMs }));
    }
    await sleep(100);
  }
}

async function latency(s: TestServer): Promise<LatencyReport> {
  return (await (
    await fetch(`${s.url}/api/latency?tenant=demo&window=30`)
  ).json()) as LatencyReport;
}

const latencyTickets = (s: TestServer) =>
  s.kaizen.store
    .list({}, { limit: 100 })
    .tickets.filter((t) => t.fingerprint.startsWith('detector:latency-above-slo'));

describe('forged latency reports', () => {
  it('do not move the figures of a tenant whose other clients report honestly, nor open a ticket', async () => {
    const s = await start();
    const honest = await Promise.all([connect(s), connect(s), connect(s)]);
    const forger = await connect(s);
    await report(
      [
        ...honest.map((client) => ({ client, samplesMs: Array(6).fill(2) })),
        { client: forger, samplesMs: Array(240).fill(59_999) },
      ],
      5000,
    );
    const figures = await latency(s);
    expect(figures.samples).toBeGreaterThan(0);
    expect(figures.series.length).toBeGreaterThanOrEqual(3);
    // The panels read figures from log-scale buckets, within 2 % (docs/API.md, "Latency").
    expect(figures.p95MsWorst).toBeGreaterThanOrEqual(2 * 0.98);
    expect(figures.p95MsWorst).toBeLessThanOrEqual(2 * 1.02);
    expect(latencyTickets(s)).toEqual([]);
  });

  it('from a client alone open no ticket, stay clamped, and back that client off', async () => {
    const s = await start();
    const forger = await connect(s);
    await report([{ client: forger, samplesMs: Array(240).fill(59_999) }], 5000);
    const figures = await latency(s);
    // Its own figures, clamped: nobody else's are there to outvote them (read from log-scale
    // buckets, within 2 %).
    expect(figures.p95MsWorst).toBeGreaterThanOrEqual(10_000 * 0.98);
    expect(figures.p95MsWorst).toBeLessThanOrEqual(10_000 * 1.02);
    expect(latencyTickets(s)).toEqual([]);
    expect(s.kaizen.detector.health()[0]!.latencyQuantileMs ?? 0).toBeLessThan(7);
    // Its reports say it is behind: the server holds its frames back, as for a slow link.
    const skipped = s.metrics.forTenant('demo').totals.framesSkipped;
    expect(skipped).toBeGreaterThan(0);
  });

  it('from enough clients that agree do open the ticket: the rule still works', async () => {
    const s = await start();
    const slow = await Promise.all([connect(s), connect(s)]);
    await report(
      slow.map((client) => ({ client, samplesMs: Array(6).fill(30) })),
      5000,
    );
    await expect.poll(() => latencyTickets(s).length, { timeout: 5000 }).toBe(1);
  });
});
