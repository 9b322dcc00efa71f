// RCAs of the cluster's tickets: two real console servers sharing one PostgreSQL (--database). A
// ticket filed by an Alertmanager webhook through gateway B lives only in PostgreSQL; a draft
// asked for through gateway A finds it there and is written from it, not from a ticket of A's own
// data directory that happens to have the same id.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Rca } from '../../core/api/rca';
import { firingAlert } from '../../testing/alertmanager-payload';
import { stallTicket } from '../../testing/kaizen-fixtures';
import { writePatternTrace } from '../../testing/pattern-trace';
import { postgresBinDir, startPostgres, type TestPostgres } from '../../testing/postgres';
import { tempDir } from '../../testing/temp-dir';
import { startTenantServer, type TestServer } from '../../testing/test-server';
import type { TenantSpec } from '../tenants/tenant-spec';

const WEBHOOK_SECRET = 'cluster-webhook-secret-0123456789';
const missing = postgresBinDir() ? null : 'needs PostgreSQL: apt-get install -y postgresql';
if (missing) console.warn(`[state] skipping the cluster RCA test: ${missing}`);

describe.skipIf(missing !== null)('RCAs on gateways sharing one PostgreSQL', () => {
  let cluster: TestPostgres;
  let a: TestServer;
  let b: TestServer;
  let token = '';

  const call = async <T>(s: TestServer, method: string, route: string, body?: unknown) => {
    const response = await fetch(`${s.url}${route}`, {
      method,
      headers: {
        authorization:
          route === '/api/alertmanager' ? `Bearer ${WEBHOOK_SECRET}` : `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, json: (await response.json()) as T };
  };

  beforeAll(async () => {
    cluster = await startPostgres();
    const trace = path.join(tempDir('rca-cluster'), 'pattern.bin');
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
    token = (await a.issueStoredToken(['demo'], 'ana', 'operator')).token;
  });
  afterAll(async () => {
    for (const s of [a, b]) await s?.close();
    await cluster?.stop();
  });

  it('drafts through one gateway the RCA of a ticket filed through the other', async () => {
    // A ticket of A's own data directory, to be told apart from the cluster's ticket of the same id.
    a.kaizen.store.openOrDedup(stallTicket({ title: 'A local ticket, not the cluster’s' }));
    const filed = await call(
      b,
      'POST',
      '/api/alertmanager',
      firingAlert('fp-rca', 'Link east down'),
    );
    expect(filed.status).toBe(200);
    const { tickets } = await b.kaizen.tickets.list({}, { limit: 10 });
    const ticket = tickets.find((t) => t.fingerprint.includes('fp-rca'))!;
    expect(ticket).toBeDefined();

    const asked = await call<Rca>(a, 'POST', `/api/tickets/${ticket.id}/rca`, {});
    expect(asked.status).toBe(202);
    expect(asked.json).toMatchObject({ ticketId: ticket.id, tenant: 'demo', status: 'drafting' });
    await a.rca.idle();
    const read = await call<Rca>(a, 'GET', `/api/tickets/${ticket.id}/rca`);
    expect(read.status).toBe(200);
    expect(read.json).toMatchObject({ ticketId: ticket.id, status: 'draft', engine: 'builtin' });
    expect(read.json.markdown).toContain('Link east down');
    expect(read.json.markdown).not.toContain('A local ticket');

    // The request is not dropped for want of a local ticket: a ticket id nobody has is a 404.
    expect((await call(a, 'POST', `/api/tickets/${ticket.id + 1000}/rca`, {})).status).toBe(404);
  });
});
