// Baselines end to end: tickets and recorded stream minutes in a real data directory, the CLI
// writes the artifact once, the server lists, serves and compares it (per-tenant figures only for
// tenants the caller may see), an edited file shows as not intact, and the Phase 0 gate takes its
// alarm band from it.
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Baseline, BaselineComparison, BaselineList } from '../core/api/baselines';
import type { GatesReport } from '../core/api/gates';
import { createHistoryRecorder } from '../server/baselines/stream-history';
import { bucketQuantile } from '../server/baselines/snapshot';
import { baselineBand } from '../server/gates/band';
import { createTicketStore } from '../server/incidents/store';
import { createServerMetrics } from '../server/metrics';
import { openDatabase } from '../server/storage/database';
import { writePatternTrace } from '../testing/pattern-trace';
import { tempDir } from '../testing/temp-dir';
import { startTestServer, type TestServer } from '../testing/test-server';
import { runKaizen } from './kaizen';

const H = 3_600_000;

async function kaizen(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runKaizen(
    args,
    {},
    { out: (t) => void out.push(t), err: (t) => void err.push(t) },
  );
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** A day of history: tickets of two rules, and stream minutes of demo (public) and live (private). */
function seed(dataDir: string, nowMs: number): void {
  const db = openDatabase(dataDir);
  // Both tickets on one UTC day, whatever the hour the test runs: the alarm band counts per day.
  const DAY = 24 * H;
  let clock = nowMs - 10 * H;
  if (Math.floor(clock / DAY) !== Math.floor((clock + 2 * H) / DAY)) {
    clock = Math.floor((clock + 2 * H) / DAY) * DAY + 60_000;
  }
  const store = createTicketStore({ db, now: () => clock });
  const open = (fingerprint: string, detail: string) =>
    store.openOrDedup({
      tenantId: 'demo',
      visibility: 'public',
      title: fingerprint,
      severity: 'critical',
      source: fingerprint.startsWith('detector') ? 'detector' : 'alertmanager',
      fingerprint,
      actor: 'test',
      detail,
    }).ticket;
  const a = open('detector:stream-stalled:demo', '');
  clock += 120_000;
  store.resolve(a.id, { by: 'ana', outcome: 'true_positive' });
  clock += H;
  const b = open('alertmanager:fp1', 'alertname=PhaseLatencyAboveSlo http://prom');
  clock += 60_000;
  store.resolve(b.id, { by: 'ana', outcome: 'false_positive' });
  // Stream minutes: what the server's recorder writes once a minute.
  const metrics = createServerMetrics();
  const recorder = createHistoryRecorder(db, metrics, () => ['demo', 'live']);
  metrics.forTenant('demo').frameSent(1_000, 10_000);
  metrics.forTenant('live').frameSent(5_000, 10_000);
  // Ten seconds of latency figures (each second's p95 over its clients): nine at 1 ms, one at 4.
  for (let second = 0; second < 10; second++) {
    metrics.forTenant('demo').observeLatency(Array(20).fill(second === 9 ? 4 : 1), {});
    metrics.sampleBandwidth(nowMs - 2 * H - (10 - second) * 1000);
  }
  recorder.flush(nowMs - 2 * H);
  db.close();
}

describe('baselines', () => {
  let server: TestServer;
  let dataDir: string;
  let liveToken: string;
  const get = async <T>(url: string, token?: string) => {
    const response = await fetch(`${server.url}${url}`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
    return { status: response.status, body: (await response.json()) as T };
  };

  beforeAll(async () => {
    const trace = path.join(tempDir('baseline'), 'pattern.bin');
    await writePatternTrace(trace, 16, 8, 20);
    dataDir = tempDir('baseline-data');
    server = await startTestServer(trace, {}, { dataDir });
    liveToken = server.issueToken(['live'], 'live operator').token;
    seed(dataDir, Date.now());
  });
  afterAll(async () => server?.close());

  it('interpolates the p95 inside its latency bucket', () => {
    // 9 reports in (0.5, 1] ms and 1 in (3, 5]: the 9.5th falls in the last one, halfway.
    const buckets = new Array<number>(15).fill(0);
    buckets[1] = 9;
    buckets[4] = 1;
    expect(bucketQuantile(buckets, 0.95)).toBeCloseTo(4, 6);
    expect(bucketQuantile(new Array<number>(15).fill(0), 0.95)).toBeNull();
  });

  it('writes the artifact once, read-only, with every figure the launch compares', async () => {
    const created = await kaizen(['baseline', 'create', '--name', 'v1.1', '--data', dataDir]);
    expect(created.err).toBe('');
    expect(created.out).toMatch(
      /^baseline v1\.1 written \(sha256 [0-9a-f]{64}\): last 24h, 2 alarms, MTTR over 2 tickets, bytes saved 70\.0 %, latency of 1 tenant\(s\)/,
    );
    const file = path.join(dataDir, 'baselines', 'v1.1.json');
    expect(statSync(file).mode & 0o222).toBe(0);
    const stored = JSON.parse(readFileSync(file, 'utf8')) as Baseline;
    const { snapshot } = stored;
    expect(snapshot.mttr.severities.find((s) => s.severity === 'critical')!.stats).toMatchObject({
      count: 2,
      meanSeconds: 90,
    });
    expect(snapshot.alarms.perRule.map((r) => [r.rule, r.total])).toEqual([
      ['PhaseLatencyAboveSlo', 1],
      ['stream-stalled', 1],
    ]);
    expect(snapshot.alarms.perDay.reduce((n, d) => n + d.count, 0)).toBe(2);
    expect(snapshot.bytesSaved).toMatchObject({
      bytesSent: 6_000,
      rawBytes: 20_000,
      bytesSaved: 14_000,
    });
    expect(snapshot.latency).toEqual([
      { tenant: 'demo', p95Ms: expect.closeTo(4, 6), samples: 10, sloMs: 7 },
    ]);
    expect(snapshot.dashboard).toMatchObject({
      file: 'kaizen.json',
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });

    const again = await kaizen(['baseline', 'create', '--name', 'v1.1', '--data', dataDir]);
    expect(again.code).toBe(1);
    expect(again.err).toContain('baseline "v1.1" exists; a name is never reused');
    expect((await kaizen(['baseline', 'create', '--name', '../x', '--data', dataDir])).code).toBe(
      2,
    );
    expect((await kaizen(['baseline', 'create', '--data', dataDir])).code).toBe(2);
  });

  it('is listed, served and compared with now; private tenants only to their token', async () => {
    const list = await get<BaselineList>('/api/baselines');
    expect(list.body.baselines.map((b) => [b.name, b.intact])).toEqual([['v1.1', true]]);
    const anonymous = await get<Baseline>('/api/baselines/v1.1');
    expect(anonymous.body.snapshot.bytesSaved.tenants.map((t) => t.tenant)).toEqual(['demo']);
    expect(anonymous.body.snapshot.alarms.total).toBe(2);
    const live = await get<Baseline>('/api/baselines/v1.1', liveToken);
    expect(live.body.snapshot.bytesSaved.tenants.map((t) => t.tenant)).toEqual(['demo', 'live']);
    expect((await get('/api/baselines/nope')).status).toBe(404);
    expect((await get('/api/baselines/bad%20name')).status).toBe(400);
    const comparison = await get<BaselineComparison>('/api/baselines/v1.1/comparison');
    expect(comparison.status).toBe(200);
    expect(comparison.body.baseline.name).toBe('v1.1');
    expect(comparison.body.now.window.label).toBe('24h');
    expect(comparison.body.now.alarms.total).toBe(2);
  });

  it('gives the Phase 0 gate its alarm band, and shows an edited file as not intact', async () => {
    expect(baselineBand(dataDir)).toMatchObject({ low: 0, high: 3 });
    const file = path.join(dataDir, 'baselines', 'v1.1.json');
    chmodSync(file, 0o644);
    writeFileSync(file, readFileSync(file, 'utf8').replace('"total": 2', '"total": 1'));
    const list = await get<BaselineList>('/api/baselines');
    expect(list.body.baselines[0]!.intact).toBe(false);
    expect((await kaizen(['baseline', 'list', '--data', dataDir])).out).toMatch(/NOT INTACT/);
    expect(baselineBand(dataDir)).toBeNull();
    const gates = await get<GatesReport>('/api/gates');
    expect(gates.body.gates[0]!.conditions[1]!.verdict).toBe('no_data');
  });
});
