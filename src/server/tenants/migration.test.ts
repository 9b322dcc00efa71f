// Upgrading a data directory written before tokens had roles: the real server keeps every tenant,
// token and ticket, makes the old tokens operators (they could change tickets before) and lets
// them change only the tenants they were granted, and shows old tickets with their tenant's
// visibility now.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionInfo } from '../../core/api/session';
import type { Ticket, TicketPage } from '../../core/api/tickets';
import { writePatternTrace } from '../../testing/pattern-trace';
import { DETECTOR_OFF } from '../../testing/detector-off';
import { tempDir } from '../../testing/temp-dir';
import { startTenantServer, type TestServer } from '../../testing/test-server';
import { createKaizen } from '../incidents/kaizen';
import { migrate, openDatabase } from '../storage/database';
import { COMPONENT, MIGRATIONS } from './schema';
import { hashToken, listTokens } from './token-store';

let server: TestServer;
const oldToken = randomBytes(32).toString('base64url');
const ids = { demo: 0, small: 0 };

beforeAll(async () => {
  const dataDir = tempDir('upgrade');
  const trace = path.join(dataDir, 'pattern.bin');
  await writePatternTrace(trace, 12, 10, 20);
  // The data directory as the previous version left it: the tenants schema at version 1.
  const db = openDatabase(dataDir);
  migrate(db, COMPONENT, MIGRATIONS.slice(0, 1));
  const source = JSON.stringify({ kind: 'replay', trace });
  const tenant = db.prepare(
    'INSERT INTO tenants (tenant_id, name, visibility, source) VALUES (?, ?, ?, ?)',
  );
  tenant.run('demo', 'Demo', 'public', source);
  tenant.run('small', 'Small', 'private', source);
  db.prepare('INSERT INTO tokens (token_id, name, secret_sha256) VALUES (?, ?, ?)').run(
    'tok_00000000000000aa',
    'night shift',
    hashToken(oldToken),
  );
  db.prepare('INSERT INTO token_grants (token_id, tenant_id) VALUES (?, ?)').run(
    'tok_00000000000000aa',
    'small',
  );
  // Tickets of both tenants; demo's recorded as private, as a server did for alerts that arrived
  // before the tenant existed.
  const kaizen = createKaizen({ db });
  for (const tenantId of ['demo', 'small'] as const) {
    ids[tenantId] = kaizen.store.openOrDedup({
      tenantId,
      visibility: 'private',
      title: `old ${tenantId} ticket`,
      severity: 'error',
      source: 'alertmanager',
      fingerprint: `old-${tenantId}`,
      actor: 'alertmanager',
    }).ticket.id;
  }
  db.close();
  // The detector off: a slow start on a busy machine must not add a ticket of its own.
  server = await startTenantServer({
    dataDir,
    kaizen: { rules: DETECTOR_OFF },
  });
});
afterAll(async () => server?.close());

const call = async (method: string, url: string, body?: unknown) =>
  fetch(`${server.url}${url}`, {
    method,
    headers: {
      authorization: `Bearer ${oldToken}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

describe('a data directory from before token roles', () => {
  it('keeps its tenants and its token, which becomes an operator of the tenants it was granted', async () => {
    const response = await call('GET', '/api/session');
    expect(response.status).toBe(200);
    expect((await response.json()) as SessionInfo).toEqual({
      token: { id: 'tok_00000000000000aa', name: 'night shift', role: 'operator' },
      read: ['demo', 'small'],
      write: ['small'],
      admin: false,
    });
    expect(listTokens(server.tenancy.db).map((t) => [t.tokenId, t.role, t.tenants])).toEqual([
      ['tok_00000000000000aa', 'operator', ['small']],
    ]);
  });

  it('keeps every ticket, shown with its tenant visibility of today', async () => {
    const page = (await (await call('GET', '/api/tickets')).json()) as TicketPage;
    expect(page.tickets.map((t) => [t.id, t.tenant, t.visibility]).sort()).toEqual(
      [
        [ids.demo, 'demo', 'public'],
        [ids.small, 'small', 'private'],
      ].sort(),
    );
  });

  it('lets the old token change tickets of its granted tenant only, as itself', async () => {
    const acked = await call('POST', `/api/tickets/${ids.small}/ack`, { by: 'someone else' });
    expect(acked.status).toBe(200);
    expect(((await acked.json()) as Ticket).status).toBe('acknowledged');
    const detail = server.kaizen.store.get(ids.small)!;
    expect(detail.events.at(-1)).toMatchObject({ kind: 'acknowledged', actor: 'night shift' });
    // Public, so readable; not granted, so not writable any more.
    expect((await call('POST', `/api/tickets/${ids.demo}/ack`, {})).status).toBe(403);
  });
});
