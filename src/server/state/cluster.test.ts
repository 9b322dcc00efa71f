// Two real console servers, each with its own data directory, sharing one PostgreSQL cluster the
// test starts (--database): a ticket filed through one gateway is served by the other, the same
// Alertmanager webhook sent to both makes one ticket, and each tenant's detector runs in one
// gateway at a time, moving to the other when its holder stops.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertmanagerResult } from '../../core/api/alertmanager';
import type { AuditPage, Promotion } from '../../core/api/policy';
import type { TenantSummary } from '../../core/api/tenants';
import type { CreateTicketResult, TicketDetail, TicketPage } from '../../core/api/tickets';
import { SUBPROTOCOL } from '../../core/wire/envelope';
import { NodeStreamClient } from '../../testing/node-stream-client';
import { writePatternTrace } from '../../testing/pattern-trace';
import { postgresBinDir, startPostgres, type TestPostgres } from '../../testing/postgres';
import { firingAlert } from '../../testing/alertmanager-payload';
import { tempDir } from '../../testing/temp-dir';
import { startTenantServer, type TestServer } from '../../testing/test-server';
import type { TenantSpec } from '../tenants/tenant-spec';
import { detectorLease } from './cluster';

const WEBHOOK_SECRET = 'cluster-webhook-secret-0123456789';
const missing = postgresBinDir() ? null : 'needs PostgreSQL: apt-get install -y postgresql';
if (missing) console.warn(`[state] skipping the cluster tests: ${missing}`);

describe.skipIf(missing !== null)('gateways sharing one PostgreSQL', () => {
  let cluster: TestPostgres;
  let a: TestServer;
  let b: TestServer;
  const tokens = new Map<TestServer, string>();
  const closed = new Set<TestServer>();

  const call = async <T>(s: TestServer, method: string, route: string, body?: unknown) => {
    const response = await fetch(`${s.url}${route}`, {
      method,
      headers: {
        authorization:
          route === '/api/alertmanager' ? `Bearer ${WEBHOOK_SECRET}` : `Bearer ${tokens.get(s)}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, json: (await response.json()) as T };
  };

  beforeAll(async () => {
    cluster = await startPostgres();
    const trace = path.join(tempDir('cluster'), 'pattern.bin');
    await writePatternTrace(trace, 12, 10, 20);
    const tenants: TenantSpec[] = [
      {
        id: 'demo',
        name: 'Demo',
        visibility: 'public',
        source: { kind: 'replay', trace },
        sloMs: 7,
      },
    ];
    const gateway = () =>
      startTenantServer({
        tenants,
        argv: ['--database', cluster.url],
        env: { ALERTMANAGER_TOKEN: WEBHOOK_SECRET },
      });
    a = await gateway();
    b = await gateway();
    // One operator token, issued through A: tokens live in PostgreSQL, so it works on B too.
    const ana = await a.issueStoredToken(['demo'], 'ana', 'operator');
    for (const s of [a, b]) tokens.set(s, ana.token);
  });
  afterAll(async () => {
    for (const s of [a, b]) if (s && !closed.has(s)) await s.close();
    await cluster?.stop();
  });

  it('says where its state lives', () => {
    expect(a.sharedState).not.toBeNull();
    expect(a.kaizen.tickets.backend).toBe('postgres');
    expect(a.logs.some((l) => l.startsWith('[state] postgres://postgres@127.0.0.1:'))).toBe(true);
    expect(
      a.logs.some((l) =>
        l.startsWith(
          '[state] tickets and their timelines, tenants, tokens and their grants, policy ' +
            'promotions and their audit chain, the notification outbox, PagerDuty pages and ' +
            'observer mode in PostgreSQL',
        ),
      ),
    ).toBe(true);
  });

  it('serves on one gateway the ticket filed and changed through the other', async () => {
    const created = await call<CreateTicketResult>(a, 'POST', '/api/tickets', {
      tenant: 'demo',
      title: 'Frames late on the east link',
      severity: 'warning',
    });
    expect(created.status).toBe(201);
    const id = created.json.ticket.id;
    const onB = await call<TicketDetail>(b, 'GET', `/api/tickets/${id}`);
    expect(onB.status).toBe(200);
    expect(onB.json.ticket).toMatchObject({
      id,
      title: 'Frames late on the east link',
      status: 'open',
    });

    expect((await call(b, 'POST', `/api/tickets/${id}/ack`, {})).status).toBe(200);
    const noted = await call(b, 'POST', `/api/tickets/${id}/notes`, { text: 'rerouted' });
    expect(noted.status).toBe(201);
    const onA = await call<TicketDetail>(a, 'GET', `/api/tickets/${id}`);
    expect(onA.json.ticket.status).toBe('acknowledged');
    expect(onA.json.events.map((e) => [e.kind, e.actor])).toEqual([
      ['opened', 'ana'],
      ['acknowledged', 'ana'],
      ['noted', 'ana'],
    ]);
    const listed = await call<TicketPage>(a, 'GET', '/api/tickets?tenant=demo');
    expect(listed.json.tickets.map((t) => t.id)).toContain(id);
    expect((await call(a, 'GET', `/api/tickets/${id + 1000}`)).status).toBe(404);
  });

  it('makes one ticket of the webhook Alertmanager sends to every gateway', async () => {
    const payload = firingAlert('ha-pair-1', 'demo stalled');
    const [fromA, fromB] = await Promise.all([
      call<AlertmanagerResult>(a, 'POST', '/api/alertmanager', payload),
      call<AlertmanagerResult>(b, 'POST', '/api/alertmanager', payload),
    ]);
    expect([fromA.status, fromB.status]).toEqual([200, 200]);
    expect(fromA.json.opened + fromB.json.opened).toBe(1);
    expect(fromA.json.deduplicated + fromB.json.deduplicated).toBe(1);
    const listed = await call<TicketPage>(b, 'GET', '/api/tickets?source=alertmanager');
    expect(listed.json.total).toBe(1);
    expect(listed.json.tickets[0]).toMatchObject({ title: 'demo stalled', status: 'open' });
  });

  it('knows on every gateway the tenants and tokens made through one', async () => {
    const trace = (a.tenancy.directory.tenants.get('demo')!.source as { trace: string }).trace;
    await a.tenancy.store.createTenant({
      id: 'east',
      name: 'East',
      visibility: 'private',
      source: { kind: 'replay', trace },
      sloMs: 9,
    });
    // B hears of it through PostgreSQL's notice, not at a poll: its resync is seconds away.
    await expect.poll(() => b.tenancy.directory.tenants.has('east'), { timeout: 5_000 }).toBe(true);
    const viewer = await a.issueStoredToken(['east'], 'east viewer');
    await expect
      .poll(() => b.tenancy.directory.tokenById(viewer.tokenId) !== undefined, { timeout: 5_000 })
      .toBe(true);
    const response = await fetch(`${b.url}/api/tenants/east`, {
      headers: { authorization: `Bearer ${viewer.token}` },
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as TenantSummary).sloMs).toBe(9);
    // Nothing of it reached either data directory's console.db.
    for (const s of [a, b]) {
      const local = s.tenancy.db.prepare('SELECT count(*) AS n FROM tokens').get() as { n: number };
      expect(local.n).toBe(0);
    }
  });

  it("closes a token's sockets on the other gateway within a second of a revocation", async () => {
    const admin = await a.issueStoredToken(['demo'], 'root', 'admin');
    const viewer = await a.issueStoredToken(['demo'], 'partner');
    await expect
      .poll(() => b.tenancy.directory.tokenById(viewer.tokenId) !== undefined, { timeout: 5_000 })
      .toBe(true);
    const onB = new NodeStreamClient({
      url: b.wsUrl,
      protocols: [SUBPROTOCOL, `bearer.${viewer.token}`],
    });
    onB.start();
    try {
      await expect.poll(() => onB.framesDecoded, { timeout: 10_000 }).toBeGreaterThan(2);
      const startMs = performance.now();
      const response = await fetch(`${a.url}/api/tokens/${viewer.tokenId}/revoke`, {
        method: 'POST',
        headers: { authorization: `Bearer ${admin.token}` },
      });
      expect(response.status).toBe(200);
      // No NATS here: PostgreSQL's NOTIFY alone tells B.
      await expect.poll(() => onB.lastCloseCode, { timeout: 1_000, interval: 10 }).toBe(4401);
      console.log(
        `[state] revoked through A, closed on B in ${(performance.now() - startMs).toFixed(0)} ms`,
      );
      const again = await fetch(`${b.url}/api/session`, {
        headers: { authorization: `Bearer ${viewer.token}` },
      });
      expect(again.status).toBe(401);
    } finally {
      onB.stop();
    }
  });

  it('writes an applied promotion of tenant settings to PostgreSQL, seen by every gateway', async () => {
    const admin = await a.issueStoredToken(['demo'], 'policy admin', 'admin');
    const response = await fetch(`${a.url}/api/promotions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ tenant: 'demo', kind: 'tenant-settings', change: { sloMs: 40 } }),
    });
    expect(response.status).toBe(201);
    expect(((await response.json()) as Promotion).status).toBe('applied');
    await expect
      .poll(async () => (await a.sharedState!.access.listTenants()).tenants[0]?.sloMs, {
        timeout: 5_000,
      })
      .toBe(40);
    await expect.poll(() => b.tenancy.directory.tenants.get('demo')?.sloMs).toBe(40);

    // One promotion on each gateway: both list both, and both serve one audit chain.
    const onB = await fetch(`${b.url}/api/promotions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ tenant: 'demo', kind: 'tenant-settings', change: { sloMs: 41 } }),
    });
    expect(onB.status).toBe(201);
    const read = async <T>(server: TestServer, route: string): Promise<T> => {
      const answer = await fetch(`${server.url}${route}`, {
        headers: { authorization: `Bearer ${admin.token}` },
      });
      expect(answer.status).toBe(200);
      return (await answer.json()) as T;
    };
    const promotions = await read<{ promotions: Promotion[] }>(a, '/api/promotions?limit=10');
    expect(promotions.promotions.map((p) => [p.status, p.change.sloMs])).toEqual([
      ['applied', 41],
      ['applied', 40],
    ]);
    expect(await read(b, '/api/promotions?limit=10')).toEqual(promotions);
    const audit = await read<AuditPage>(a, '/api/audit?limit=10');
    expect(audit.entries.map((e) => [e.seq, e.kind, e.promotionId])).toEqual([
      [2, 'decision', promotions.promotions[0]!.id],
      [1, 'decision', promotions.promotions[1]!.id],
    ]);
    expect(audit.entries[0]!.prevHash).toBe(audit.entries[1]!.hash);
    expect(await read(b, '/api/audit?limit=10')).toEqual(audit);
  });

  it("runs each tenant's detector in one gateway, and moves it when that one stops", async () => {
    const lease = detectorLease('demo');
    await expect
      .poll(() => [a, b].filter((s) => s.sharedState!.leases.holds(lease)).length, {
        timeout: 10_000,
      })
      .toBe(1);
    const holder = a.sharedState!.leases.holds(lease) ? a : b;
    const standby = holder === a ? b : a;
    closed.add(holder);
    await holder.close();
    await expect
      .poll(() => standby.sharedState!.leases.holds(lease), { timeout: 10_000 })
      .toBe(true);
  });
});
