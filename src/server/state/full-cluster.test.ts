// The whole cluster at once, each part a real process as an operator runs it: nats-server with
// JetStream in a temporary directory, a PostgreSQL cluster, a frame source and its standby, two
// gateways (every node with --nats and --database, each with its own data directory) and one
// address in front of the gateways. Tickets, webhooks, tokens and revocations cross gateways;
// kill -9 of a gateway and then of the source lose no client and no committed ticket.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startLocalCluster,
  streamClientsOn,
  type LocalCluster,
} from '../../../bench/support/local-cluster';
import type { AlertmanagerResult } from '../../core/api/alertmanager';
import type { CreateTicketResult, TicketDetail, TicketPage } from '../../core/api/tickets';
import { SUBPROTOCOL } from '../../core/wire/envelope';
import { NodeStreamClient } from '../../testing/node-stream-client';
import { writePatternTrace } from '../../testing/pattern-trace';
import { postgresBinDir, startPostgres, type TestPostgres } from '../../testing/postgres';
import { firingAlert } from '../../testing/alertmanager-payload';
import { tempDir } from '../../testing/temp-dir';
import type { TokenRole } from '../../core/api/session';
import type { AccessState } from './access';
import { openPgPool, type PgPool } from './pg';
import { pgAccessState } from './pg-access';

const WEBHOOK_SECRET = 'full-cluster-webhook-secret-0123456789';
const missing = postgresBinDir() ? null : 'needs PostgreSQL: apt-get install -y postgresql';
if (missing) console.warn(`[state] skipping the full cluster test: ${missing}`);

/** A stream client that notes the kind of the first frame after each connect (0: keyframe). */
function watcher(url: string, token?: string) {
  const firstKinds = new Map<number, number>();
  const client: NodeStreamClient = new NodeStreamClient({
    url,
    protocols: token ? [SUBPROTOCOL, `bearer.${token}`] : [SUBPROTOCOL],
    backoffMaxMs: 500,
    onFrame: (frame) => {
      if (!firstKinds.has(client.connects)) firstKinds.set(client.connects, frame.kind);
    },
  });
  client.start();
  return { client, firstKinds };
}

describe.skipIf(missing !== null)('a cluster with every part: NATS, PostgreSQL, processes', () => {
  let pg: TestPostgres;
  let cluster: LocalCluster;
  const tokens = { admin: '', operator: '' };
  const committed: { id: number; title: string }[] = [];
  const clients: NodeStreamClient[] = [];

  let pool: PgPool;
  let access: AccessState;
  /** Issued as the admin CLI does with --database: once, in PostgreSQL, good on every gateway. */
  const issue = (name: string, role: TokenRole) =>
    access.issueToken({ name, tenants: ['demo'], role });

  /** The status of GET /api/session with `token` on each gateway. */
  const known = async (token: string) =>
    Promise.all(
      cluster.gateways.map(
        async (g) =>
          (await fetch(`${g.url}/api/session`, { headers: { authorization: `Bearer ${token}` } }))
            .status,
      ),
    );

  const call = async <T>(
    base: string,
    method: string,
    route: string,
    body?: unknown,
    token?: string,
  ) => {
    const response = await fetch(`${base}${route}`, {
      method,
      headers: {
        authorization: `Bearer ${route === '/api/alertmanager' ? WEBHOOK_SECRET : (token ?? tokens.operator)}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, json: (await response.json()) as T };
  };

  beforeAll(async () => {
    pg = await startPostgres();
    const dir = tempDir('full-cluster');
    const trace = path.join(dir, 'demo.bin');
    await writePatternTrace(trace, 48, 32, 240);
    const tenantsFile = path.join(dir, 'tenants.json');
    writeFileSync(
      tenantsFile,
      JSON.stringify({
        tenants: [
          { id: 'demo', name: 'Demo', visibility: 'public', source: { kind: 'replay', trace } },
        ],
      }),
    );
    cluster = await startLocalCluster({
      dataDir: path.join(dir, 'nodes'),
      tenantsFile,
      gateways: 2,
      standbys: 1,
      databaseUrl: pg.url,
      env: { ALERTMANAGER_TOKEN: WEBHOOK_SECRET },
      healthyTimeoutMs: 180_000,
    });
    pool = await openPgPool(pg.url, { max: 2 });
    access = pgAccessState({ pool, url: pg.url });
    tokens.admin = (await issue('root', 'admin')).token;
    tokens.operator = (await issue('ana', 'operator')).token;
    // Every gateway hears of a new token within a second (NOTIFY), not at the instant it commits.
    const deadline = performance.now() + 1_000;
    for (const token of Object.values(tokens)) {
      while ((await known(token)).some((status) => status !== 200)) {
        if (performance.now() > deadline)
          throw new Error('a gateway did not learn a new token in 1 s');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
  }, 300_000);

  afterAll(async () => {
    for (const client of clients) client.stop();
    await cluster?.stop();
    await access?.close();
    await pool?.end();
    await pg?.stop();
  }, 90_000);

  it('serves on gateway B the ticket filed through gateway A', async () => {
    const [a, b] = cluster.gateways;
    const created = await call<CreateTicketResult>(a!.url, 'POST', '/api/tickets', {
      tenant: 'demo',
      title: 'Frames late on the east link',
      severity: 'warning',
    });
    expect(created.status).toBe(201);
    const { id } = created.json.ticket;
    committed.push({ id, title: 'Frames late on the east link' });
    const onB = await call<TicketDetail>(b!.url, 'GET', `/api/tickets/${id}`);
    expect(onB.status).toBe(200);
    expect(onB.json.ticket).toMatchObject({ id, status: 'open' });
    expect(onB.json.events.map((e) => [e.kind, e.actor])).toEqual([['opened', 'ana']]);
  }, 90_000);

  it('makes one ticket of the same Alertmanager webhook POSTed to both gateways', async () => {
    const payload = firingAlert('full-cluster-1', 'demo stalled on the west link');
    const replies = await Promise.all(
      cluster.gateways.map((g) =>
        call<AlertmanagerResult>(g.url, 'POST', '/api/alertmanager', payload),
      ),
    );
    expect(replies.map((r) => r.status)).toEqual([200, 200]);
    expect(replies.reduce((n, r) => n + r.json.opened, 0)).toBe(1);
    const listed = await call<TicketPage>(
      cluster.gateways[1]!.url,
      'GET',
      '/api/tickets?source=alertmanager',
    );
    expect(listed.json.total).toBe(1);
    committed.push({ id: listed.json.tickets[0]!.id, title: 'demo stalled on the west link' });
  }, 90_000);

  it("closes a token's WebSocket on B within 1 s of its revocation through A's REST", async () => {
    const [a, b] = cluster.gateways;
    const { tokenId, token } = await issue('partner', 'viewer');
    await expect.poll(() => known(token), { timeout: 1_000, interval: 20 }).toEqual([200, 200]);
    const { client } = watcher(`${b!.url.replace(/^http/, 'ws')}/ws?tenant=demo`, token);
    clients.push(client);
    await expect.poll(() => client.framesDecoded, { timeout: 30_000 }).toBeGreaterThan(5);
    const revoked = await call(
      a!.url,
      'POST',
      `/api/tokens/${tokenId}/revoke`,
      undefined,
      tokens.admin,
    );
    expect(revoked.status).toBe(200);
    const committedAtMs = performance.now();
    await expect.poll(() => client.lastCloseCode, { timeout: 1_000, interval: 10 }).toBe(4401);
    console.log(
      `[state] revoked through A, closed on B ${(performance.now() - committedAtMs).toFixed(0)} ms after`,
    );
    client.stop();
  }, 90_000);

  it('kill -9 of the gateway a client watches through: it resumes on the other with a keyframe', async () => {
    const front = `${cluster.frontUrl.replace(/^http/, 'ws')}/ws?tenant=demo`;
    const { client, firstKinds } = watcher(front);
    clients.push(client);
    await expect.poll(() => client.framesDecoded, { timeout: 30_000 }).toBeGreaterThan(10);
    const counts = await Promise.all(cluster.gateways.map((g) => streamClientsOn(g.url)));
    const served = counts.findIndex((n) => n > 0);
    expect(served).toBeGreaterThanOrEqual(0);
    const victim = cluster.gateways[served]!;
    const survivor = cluster.gateways[1 - served]!;
    const before = {
      frames: client.framesDecoded,
      connects: client.connects,
      faults: client.faults,
    };
    victim.child.kill('SIGKILL');
    await expect.poll(() => client.connects, { timeout: 30_000 }).toBeGreaterThan(before.connects);
    await expect
      .poll(() => client.framesDecoded, { timeout: 30_000 })
      .toBeGreaterThan(before.frames + 30);
    expect(await streamClientsOn(survivor.url)).toBeGreaterThan(0);
    expect(firstKinds.get(client.connects)).toBe(0);
    expect(client.faults).toBe(before.faults);
  }, 90_000);

  it('kill -9 of the source: the standby takes over and the client resumes', async () => {
    const client = clients.at(-1)!;
    const [active] = cluster.sources;
    active!.child.kill('SIGKILL');
    // Frames stop with the source; only the standby's can move the count on by 60 again.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const stalled = client.framesDecoded;
    await expect
      .poll(() => client.framesDecoded, { timeout: 60_000 })
      .toBeGreaterThan(stalled + 60);
  }, 90_000);

  it('still has every ticket committed before the kills, and takes new ones', async () => {
    const survivor = cluster.gateways.find(
      (g) => g.child.exitCode === null && g.child.signalCode === null,
    )!;
    expect(committed).toHaveLength(2);
    for (const { id, title } of committed) {
      const detail = await call<TicketDetail>(survivor.url, 'GET', `/api/tickets/${id}`);
      expect(detail.status).toBe(200);
      expect(detail.json.ticket.title).toBe(title);
    }
    const after = await call<CreateTicketResult>(survivor.url, 'POST', '/api/tickets', {
      tenant: 'demo',
      title: 'After the failovers',
      severity: 'info',
    });
    expect(after.status).toBe(201);
    const listed = await call<TicketPage>(survivor.url, 'GET', '/api/tickets?tenant=demo');
    expect(listed.json.tickets.map((t) => t.id)).toEqual(
      expect.arrayContaining([...committed.map((c) => c.id), after.json.ticket.id]),
    );
  }, 90_000);
});
