// The promotion gate against the real server, the real Cedar engine and the real console.db:
// allow and deny for each budget on live figures, the admin role for promotions and overrides,
// the audit chain, impact analysis and the metrics.
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  AuditPage,
  ImpactReport,
  PolicyReport,
  Promotion,
  PromotionEvaluation,
  PromotionList,
} from '../../core/api/policy';
import type { TenantSummary } from '../../core/api/tenants';
import { writePatternTrace } from '../../testing/pattern-trace';
import { runAdminCommandCli as runAdminCli } from '../../testing/run-admin';
import { tempDir } from '../../testing/temp-dir';
import { startTenantServer, type TestServer } from '../../testing/test-server';
import { openDatabase } from '../storage/database';
import { readBundleFile, DEFAULT_BUNDLE_DIR, POLICIES_FILE } from './bundle';
import { liveRates } from './figures';
import { writeSharedRates } from './shared-rates';

let server: TestServer;
let admin: string;
let operator: string;
const TENANTS = ['calm', 'slow', 'busy', 'sim', 'cli'];

beforeAll(async () => {
  const trace = path.join(tempDir('policy'), 'pattern.bin');
  await writePatternTrace(trace, 16, 8, 10);
  const replay = (id: string, visibility: 'public' | 'private' = 'private') => ({
    id,
    name: id,
    visibility,
    source: { kind: 'replay' as const, trace },
    sloMs: 7,
  });
  server = await startTenantServer({
    tenants: [
      replay('demo', 'public'),
      replay('calm', 'public'),
      replay('slow'),
      replay('busy'),
      replay('cli'),
      {
        id: 'sim',
        name: 'sim',
        visibility: 'private',
        source: { kind: 'live', width: 32, height: 32, seed: 1 },
        sloMs: 7,
      },
    ],
  });
  admin = server.issueToken(TENANTS, 'root', 'admin').token;
  operator = server.issueToken(TENANTS, 'ops', 'operator').token;
});
afterAll(async () => server?.close());

/**
 * Thirty seconds of a tenant's figures, ending a second ago, fed to the server's real metrics as
 * its streams and clients would (the server's own sampler adds its samples after them).
 */
function feed(
  tenant: string,
  figures: { latencyMs?: number; bytesPerS?: number; encodeMsPerS?: number },
): void {
  const stream = server.metrics.forTenant(tenant);
  const endMs = Date.now() - 1000;
  for (let i = 30; i >= 0; i -= 1) {
    if (figures.latencyMs !== undefined) {
      stream.observeLatency(new Array<number>(20).fill(figures.latencyMs));
    }
    if (figures.bytesPerS) stream.frameSent(figures.bytesPerS, figures.bytesPerS * 10);
    if (figures.encodeMsPerS) stream.observeEncode(figures.encodeMsPerS);
    server.metrics.sampleBandwidth(endMs - i * 1000);
  }
}

async function call<T>(method: string, url: string, token: string | null, body?: unknown) {
  const response = await fetch(`${server.url}${url}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as T };
}

const promote = (tenant: string, change: object, token: string | null = admin) =>
  call<Promotion>('POST', '/api/promotions', token, { tenant, kind: 'tenant-settings', change });

const summary = async (tenant: string) =>
  (await call<TenantSummary>('GET', `/api/tenants/${tenant}`, admin)).body;

const ids = (p: { deciding: { id: string }[] }) => p.deciding.map((d) => d.id);

describe('the latency budget', () => {
  beforeAll(() => feed('slow', { latencyMs: 3 }));

  it('denies an SLO tightened below the measured p95, names the policy, and changes nothing', async () => {
    const { status, body } = await promote('slow', { sloMs: 2 });
    expect(status).toBe(201);
    expect(body).toMatchObject({ status: 'denied', decision: 'deny', tenant: 'slow' });
    expect(body.deciding).toEqual([
      {
        id: 'latency-budget',
        effect: 'forbid',
        message: "the projected frame latency p95 would exceed the tenant's SLO",
      },
    ]);
    expect(body.figures.latency).toMatchObject({ measured: true, p95Ms: 3, sloMs: 2 });
    expect((await summary('slow')).sloMs).toBe(7);
  });

  it('allows an SLO above the p95 and applies it', async () => {
    const { body } = await promote('slow', { sloMs: 5 });
    expect(body).toMatchObject({ status: 'applied', decision: 'allow' });
    expect(ids(body)).toEqual(['promotions-allowed']);
    expect((await summary('slow')).sloMs).toBe(5);
  });

  it('refuses an override without the admin role, and takes one with a reason from an admin', async () => {
    const denied = (await promote('slow', { sloMs: 2.5 })).body;
    expect(denied.status).toBe('denied');
    const path_ = `/api/promotions/${denied.id}/override`;
    const reason = { reason: 'a planned test window, the figure is known to be stale' };
    expect((await call('POST', path_, null, reason)).status).toBe(401);
    const byOperator = await call<{ error: string }>('POST', path_, operator, reason);
    expect(byOperator.status).toBe(403);
    expect(byOperator.body.error).toBe('forbidden');
    expect((await summary('slow')).sloMs).toBe(5);
    expect((await call('POST', path_, admin, { reason: 'short' })).status).toBe(400);

    const overridden = await call<Promotion>('POST', path_, admin, reason);
    expect(overridden.status).toBe(200);
    expect(overridden.body).toMatchObject({
      status: 'overridden',
      decision: 'deny',
      override: { reason: reason.reason },
    });
    expect((await summary('slow')).sloMs).toBe(2.5);
    expect((await call('POST', path_, admin, reason)).status).toBe(409);
  });

  it('refuses a promotion without the admin role before reading it', async () => {
    expect((await promote('slow', { sloMs: 9 }, null)).status).toBe(401);
    expect((await promote('slow', { sloMs: 9 }, operator)).status).toBe(403);
    expect((await summary('slow')).sloMs).toBe(2.5);
  });
});

describe('the egress budget', () => {
  it('denies any change of a tenant whose egress costs more than $5 a day, and allows one under it', async () => {
    // 1 MB/s at $0.09/GB is $7.78 a day; 0.3 MB/s is $2.33.
    feed('busy', { bytesPerS: 1_000_000 });
    const denied = (await promote('busy', { gpuThreshold: 100 })).body;
    expect(denied.status).toBe('denied');
    expect(ids(denied)).toEqual(['egress-budget']);
    expect(denied.figures.cost.projectedEgressUsdPerDay).toBeGreaterThan(6);
    expect(denied.figures.cost.projectedEgressUsdPerDay).toBeLessThan(8);

    feed('calm', { bytesPerS: 300_000 });
    const allowed = (await promote('calm', { gpuThreshold: 100 })).body;
    expect(allowed.status).toBe('applied');
    expect(allowed.figures.cost.egressUsdPerDay).toBeGreaterThan(1.5);
    expect(allowed.figures.cost.egressUsdPerDay).toBeLessThan(2.5);
    expect((await summary('calm')).gpuThreshold).toBe(100);
  });
});

describe('the carbon budget', () => {
  it('allows a change at today’s CPU and denies a lattice four times larger past 50 g a day', async () => {
    // 200 ms of encode a second: 17,280 CPU-s a day x 10 W x 400 g/kWh = 19.2 g; x4 = 76.8 g.
    feed('sim', { encodeMsPerS: 200 });
    const allowed = (await promote('sim', { gpuThreshold: 0 })).body;
    expect(allowed.status).toBe('applied');
    expect(allowed.figures.carbon.gramsPerDay).toBeGreaterThan(15);
    expect(allowed.figures.carbon.gramsPerDay).toBeLessThan(20);

    const denied = (await promote('sim', { lattice: { width: 64, height: 64 } })).body;
    expect(denied.status).toBe('denied');
    expect(ids(denied)).toEqual(['carbon-budget']);
    expect(denied.figures).toMatchObject({ spinsBefore: 1024, spinsAfter: 4096 });
    expect(denied.figures.carbon.projectedGramsPerDay).toBeGreaterThan(60);
  });
});

describe('trying a change and the policy report', () => {
  it('evaluates a try for anyone who may see the tenant, records nothing, and hides private tenants', async () => {
    const before = (await call<PromotionList>('GET', '/api/promotions?tenant=calm', admin)).body;
    const tried = await call<PromotionEvaluation>('POST', '/api/promotions/evaluate', null, {
      tenant: 'calm',
      kind: 'tenant-settings',
      change: { visibility: 'private' },
    });
    expect(tried.status).toBe(200);
    expect(tried.body.decision).toBe('allow');
    const after = (await call<PromotionList>('GET', '/api/promotions?tenant=calm', admin)).body;
    expect(after.promotions.length).toBe(before.promotions.length);
    const hidden = await call('POST', '/api/promotions/evaluate', null, {
      tenant: 'slow',
      kind: 'tenant-settings',
      change: { sloMs: 9 },
    });
    expect(hidden.status).toBe(404);
    // A trace path is opened on the server: probing paths is not for anonymous callers.
    const probe = await call<{ error: string }>('POST', '/api/promotions/evaluate', null, {
      tenant: 'calm',
      kind: 'tenant-settings',
      change: { trace: '/etc/passwd' },
    });
    expect(probe.status).toBe(403);
    expect(probe.body.error).toBe('forbidden');
  });

  it('answers a change that cannot apply with a 400 naming it', async () => {
    const lattice = await promote('calm', { lattice: { width: 8, height: 8 } });
    expect(lattice.status).toBe(400);
    expect(JSON.stringify(lattice.body)).toContain('replays a trace');
    expect((await promote('calm', {})).status).toBe(400);
    expect((await promote('calm', { sloMs: -1 })).status).toBe(400);
    expect((await promote('calm', { trace: '/nonexistent/trace.bin' })).status).toBe(400);
  });

  it('lists each policy with its budget and the budgets today’s figures break', async () => {
    const { body } = await call<PolicyReport>('GET', '/api/policy?tenant=busy', admin);
    expect(body.engine).toMatch(/^Cedar /);
    expect(body.policies.map((p) => p.id)).toEqual([
      'promotions-allowed',
      'latency-budget',
      'egress-budget',
      'carbon-budget',
      'public-within-slo',
    ]);
    expect(body.policies.find((p) => p.id === 'egress-budget')).toMatchObject({
      figure: 'cost.projectedEgressMilliUsdPerDay',
      budget: '5000',
    });
    expect(body.over).toEqual(['egress-budget']);
    expect((await call<PolicyReport>('GET', '/api/policy?tenant=calm', null)).body.over).toEqual(
      [],
    );
  });
});

describe('impact analysis', () => {
  it('lists the recorded decisions and today’s that a modified bundle would flip', async () => {
    const shipped = readBundleFile(DEFAULT_BUNDLE_DIR, POLICIES_FILE);
    const looser = shipped.replace('> 5000 }', '> 9000 }');
    const { status, body } = await call<ImpactReport>('POST', '/api/policy/impact', admin, {
      policies: looser,
    });
    expect(status).toBe(200);
    expect(body.evaluated).toBeGreaterThanOrEqual(7);
    expect(body.flips).toEqual([
      expect.objectContaining({ tenant: 'busy', before: 'deny', after: 'allow' }),
    ]);
    expect(body.today).toEqual([
      expect.objectContaining({ tenant: 'busy', before: 'deny', after: 'allow' }),
    ]);
    const broken = await call<{ message: string }>('POST', '/api/policy/impact', admin, {
      policies: shipped.replace('> 5000', '> "5000"'),
    });
    expect(broken.status).toBe(400);
    expect(broken.body.message).toContain('unexpected type: expected Long but saw String');
    expect((await call('POST', '/api/policy/impact', operator, { policies: looser })).status).toBe(
      403,
    );
  });
});

describe('the admin CLI', () => {
  it('runs the same gate on the figures the server shares: denied unless overridden', async () => {
    feed('cli', { latencyMs: 4 });
    const db = openDatabase(server.dataDir);
    try {
      writeSharedRates(db, new Map([['cli', liveRates(server.metrics, 'cli')]]), Date.now());
    } finally {
      db.close();
    }
    const denied = await runAdminCli(server.dataDir, 'tenant', 'set', 'cli', '--slo-ms', '3');
    expect(denied.code).toBe(1);
    expect(denied.err).toContain(
      "latency-budget: the projected frame latency p95 would exceed the tenant's SLO",
    );
    const overridden = await runAdminCli(
      server.dataDir,
      ...['tenant', 'set', 'cli', '--slo-ms', '3', '--override-reason', 'accepted for the drill'],
    );
    expect(overridden.code).toBe(0);
    expect(overridden.out).toBe('tenant cli: SLO 3 ms');
    expect(overridden.err).toMatch(/overridden by cli:.*: accepted for the drill/);
  });
});

describe('the audit log', () => {
  it('serves every decision and override to an admin, chained', async () => {
    expect((await call('GET', '/api/audit', operator)).status).toBe(403);
    const { body } = await call<AuditPage>('GET', '/api/audit?limit=500', admin);
    const kinds = body.entries.map((e) => `${e.kind}:${e.tenant}:${e.decision}`);
    expect(kinds).toContain('override:slow:allow');
    expect(kinds).toContain('decision:busy:deny');
    expect(kinds).toContain('override:cli:allow');
    const oldestFirst = [...body.entries].reverse();
    oldestFirst.forEach((e, i) => {
      expect(e.seq).toBe(i + 1);
      if (i > 0) expect(e.prevHash).toBe(oldestFirst[i - 1]!.hash);
    });
    expect(body.head).toEqual({ seq: oldestFirst.length, hash: oldestFirst.at(-1)!.hash });
  });

  it('verifies, and fails after a row is edited or deleted in the database', async () => {
    const ok = await runAdminCli(server.dataDir, 'audit', 'verify');
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/^audit log verified: \d+ rows, head \d+ [0-9a-f]{64}$/);

    const db = new Database(path.join(server.dataDir, 'console.db'));
    try {
      expect(() => db.prepare("UPDATE policy_audit SET actor = 'x' WHERE seq = 1").run()).toThrow(
        /append-only/,
      );
      // Someone with the file drops the guard and rewrites history.
      db.exec('DROP TRIGGER policy_audit_no_update; DROP TRIGGER policy_audit_no_delete');
      db.prepare(`UPDATE policy_audit SET decision = 'allow' WHERE seq = 1`).run();
    } finally {
      db.close();
    }
    const edited = await runAdminCli(server.dataDir, 'audit', 'verify');
    expect(edited.code).toBe(1);
    expect(edited.err).toContain('row 1: its content does not match its hash (edited)');

    const again = new Database(path.join(server.dataDir, 'console.db'));
    try {
      again.prepare(`UPDATE policy_audit SET decision = 'deny' WHERE seq = 1`).run();
      expect((await runAdminCli(server.dataDir, 'audit', 'verify')).code).toBe(0);
      again.prepare('DELETE FROM policy_audit WHERE seq = 2').run();
    } finally {
      again.close();
    }
    const deleted = await runAdminCli(server.dataDir, 'audit', 'verify');
    expect(deleted.code).toBe(1);
    expect(deleted.err).toContain('rows 2..2 are missing (deleted)');
    expect(deleted.err).toMatch(/promotion \d+ has no decision row \(deleted\)/);
  });
});

describe('metrics', () => {
  it('counts decisions by decision and kind, overrides, and times evaluations', async () => {
    const text = await (
      await fetch(`${server.url}/metrics`, {
        headers: { authorization: server.metricsAuthorization() },
      })
    ).text();
    const value = (pattern: RegExp) => Number(pattern.exec(text)?.[1] ?? NaN);
    expect(
      value(/^policy_decisions_total\{decision="deny",kind="tenant-settings"\} (\d+)/m),
    ).toBeGreaterThanOrEqual(4);
    expect(
      value(/^policy_decisions_total\{decision="allow",kind="tenant-settings"\} (\d+)/m),
    ).toBeGreaterThanOrEqual(3);
    // The CLI's override ran in its own process; the server counts its own.
    expect(value(/^policy_overrides_total (\d+)/m)).toBe(1);
    expect(value(/^policy_evaluation_seconds_count (\d+)/m)).toBeGreaterThanOrEqual(10);
  });
});
