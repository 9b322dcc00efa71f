// The decision gates on a real server: GET /api/gates from the server's own figures, SDK demand
// recorded by the admin CLI or an admin over REST, and the gate's ticket once two conditions hold.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorBody } from '../core/api/errors';
import type { GatesReport, SdkDemandList } from '../core/api/gates';
import { createTicketStore } from '../server/incidents/store';
import { openDatabase } from '../server/storage/database';
import { writePatternTrace } from '../testing/pattern-trace';
import { tempDir } from '../testing/temp-dir';
import { startTestServer, type TestServer } from '../testing/test-server';
import { runAdminCli } from '../testing/run-admin';

const admin = runAdminCli;

describe('decision gates', () => {
  let server: TestServer;
  let adminToken: string;
  let clients = 0;
  let store: ReturnType<typeof createTicketStore>;
  const get = async (url: string, token?: string) => {
    const response = await fetch(`${server.url}${url}`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
    return { status: response.status, body: (await response.json()) as unknown };
  };

  beforeAll(async () => {
    const trace = path.join(tempDir('gates'), 'pattern.bin');
    await writePatternTrace(trace, 16, 8, 20);
    const dataDir = tempDir('gates-data');
    store = createTicketStore({ db: openDatabase(dataDir) });
    server = await startTestServer(
      trace,
      {},
      {
        dataDir,
        gates: {
          clients: () => clients,
          alarmBand: () => ({ low: 0, high: 5, source: 'the test band' }),
          tickets: { store, tenant: 'demo', visibility: 'public' },
        },
      },
    );
    adminToken = server.issueToken(
      [...server.tenancy.directory.tenants.keys()],
      'admin',
      'admin',
    ).token;
  });
  afterAll(async () => server?.close());

  it('answers each gate with live values, thresholds and verdicts', async () => {
    // A second of latency reports from demo's clients, as the WebSocket handler records them.
    server.metrics.forTenant('demo').observeLatency([1, 2, 3, 4, 9]);
    server.metrics.sampleBandwidth(Date.now());
    server.gates.sample();
    const { status, body } = await get('/api/gates');
    expect(status).toBe(200);
    const report = body as GatesReport;
    const phase0 = report.gates.find((g) => g.id === 'phase-0')!;
    expect(phase0.conditions[0]).toMatchObject({
      id: 'latency-p95',
      verdict: 'not_met',
      measures: [{ value: 9, unit: 'ms', comparator: '<', threshold: 7 }],
    });
    expect(phase0.conditions[1]!.measures[0]).toMatchObject({
      value: 0,
      threshold: { low: 0, high: 5 },
      verdict: 'met',
    });
    expect(report.observer.enabled).toBe(false);
    // Anonymous: the public tenant's figure only.
    expect(report.latencyByTenant.map((t) => t.tenant)).toEqual(['demo']);
    const wire = report.gates.find((g) => g.id === 'wire-format')!;
    expect(wire.conditions.map((c) => c.id)).toEqual(['scale', 'codec-cpu', 'sdk-demand']);
    expect(wire.conditions[2]!.verdict).toBe('not_met');
  });

  it('records SDK demand from the admin CLI and from an admin over REST, with a reason', async () => {
    expect(
      admin(server.dataDir, 'sdk-demand', 'record', '--sdk', 'cobol', '--reason', 'x').code,
    ).toBe(2);
    expect(
      admin(server.dataDir, 'sdk-demand', 'record', '--sdk', 'rust', '--reason', 'short').code,
    ).toBe(2);
    const recorded = admin(
      server.dataDir,
      'sdk-demand',
      'record',
      '--sdk',
      'rust',
      '--reason',
      'Partner X builds a Rust client',
      '--by',
      'ana',
    );
    expect(recorded.out).toMatch(/^recorded SDK demand 1 \(rust\) by ana; 1 on record/);
    const anonymous = await fetch(`${server.url}/api/gates/sdk-demand`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sdk: 'go', reason: 'Team Y wants a Go SDK' }),
    });
    expect(anonymous.status).toBe(401);
    const bad = await fetch(`${server.url}/api/gates/sdk-demand`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
      body: JSON.stringify({ sdk: 'go' }),
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as ErrorBody).message).toMatch(/reason/);
    const ok = await fetch(`${server.url}/api/gates/sdk-demand`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
      body: JSON.stringify({ sdk: 'go', reason: 'Team Y wants a Go SDK' }),
    });
    expect(ok.status).toBe(201);
    expect((await get('/api/gates/sdk-demand')).status).toBe(401);
    const listed = (await get('/api/gates/sdk-demand', adminToken)).body as SdkDemandList;
    expect(listed.records.map((r) => [r.sdk, r.recordedBy])).toEqual([
      ['rust', 'ana'],
      ['go', expect.stringMatching(/^token:tok_/)],
    ]);
    expect(admin(server.dataDir, 'sdk-demand', 'list').out).toMatch(
      /^2\s+go\s+\S+\s+token:tok_\S+\s+Team Y wants a Go SDK$/m,
    );
    const metrics = await (
      await fetch(`${server.url}/metrics`, {
        headers: { authorization: server.metricsAuthorization() },
      })
    ).text();
    expect(metrics).toMatch(/^wire_format_sdk_demand_records 2$/m);
  });

  it('opens one ticket when two conditions hold (SDK demand and 500 clients), and keeps it', async () => {
    clients = 500;
    server.gates.sample();
    const report = (await get('/api/gates')).body as GatesReport;
    expect(report.gates.find((g) => g.id === 'wire-format')!.verdict).toBe('met');
    expect(server.gates.checkWireFormat()).toBe(true);
    expect(server.gates.checkWireFormat()).toBe(true);
    const tickets = store.list({ tenant: 'demo' }, { limit: 10 }).tickets;
    expect(tickets).toHaveLength(1);
    expect(tickets[0]).toMatchObject({
      title: 'Wire-format gate met: 2 of 3 conditions hold',
      fingerprint: 'detector:wire-format-gate:demo',
      status: 'open',
    });
    clients = 0;
    server.gates.sample();
    server.gates.checkWireFormat();
    expect(store.list({ tenant: 'demo' }, { limit: 10 }).tickets[0]!.status).toBe('open');
  });
});
