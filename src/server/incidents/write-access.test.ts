// Who may change tickets, on the real server: a token's role and its explicit grants decide, a
// public tenant is readable by all and writable only with a grant, the actor is the token's name
// whatever the body says; and what a write's body may be (JSON, nested at most 32 deep, 64 KiB),
// refused with a short 4xx and never a 500.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorBody } from '../../core/api/errors';
import type { SessionInfo, TokenRole } from '../../core/api/session';
import type { Ticket, TicketDetail } from '../../core/api/tickets';
import { writePatternTrace } from '../../testing/pattern-trace';
import { tempDir } from '../../testing/temp-dir';
import { startTenantServer, type TestServer } from '../../testing/test-server';

let server: TestServer;
const tokens: Record<string, string> = {};
const ids = { demo: 0, small: 0 };

beforeAll(async () => {
  const trace = path.join(tempDir('write-access'), 'pattern.bin');
  await writePatternTrace(trace, 12, 10, 20);
  const source = { kind: 'replay' as const, trace };
  server = await startTenantServer({
    tenants: [
      { id: 'demo', name: 'Demo', visibility: 'public', source, sloMs: 7 },
      { id: 'small', name: 'Small', visibility: 'private', source, sloMs: 7 },
    ],
  });
  const issue = (name: string, tenants: string[], role: TokenRole) =>
    (tokens[name] = server.issueToken(tenants, name, role).token);
  issue('partner', ['demo', 'small'], 'viewer');
  issue('bo', ['small'], 'operator');
  issue('ana', ['demo', 'small'], 'operator');
  issue('root', ['small'], 'admin');
  for (const tenant of ['demo', 'small'] as const) {
    ids[tenant] = server.kaizen.store.openOrDedup({
      tenantId: tenant,
      visibility: tenant === 'demo' ? 'public' : 'private',
      title: `${tenant} trouble`,
      severity: 'error',
      source: 'alertmanager',
      fingerprint: `wa-${tenant}`,
      actor: 'alertmanager',
    }).ticket.id;
  }
});
afterAll(async () => server?.close());

async function call(
  method: string,
  url: string,
  options: { as?: string; body?: unknown; raw?: string; type?: string } = {},
) {
  const headers: Record<string, string> = {};
  if (options.as) headers.authorization = `Bearer ${tokens[options.as]}`;
  if (options.body !== undefined || options.raw !== undefined) {
    headers['content-type'] = options.type ?? 'application/json';
  }
  const response = await fetch(`${server.url}${url}`, {
    method,
    headers,
    body: options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, json: JSON.parse(text) as unknown };
}

describe('roles and grants', () => {
  it.each([
    { who: 'anonymous', as: undefined, read: ['demo'], write: [], admin: false, role: null },
    {
      who: 'a partner viewer',
      as: 'partner',
      read: ['demo', 'small'],
      write: [],
      admin: false,
      role: 'viewer',
    },
    {
      who: 'an operator of small',
      as: 'bo',
      read: ['demo', 'small'],
      write: ['small'],
      admin: false,
      role: 'operator',
    },
    {
      who: 'an admin of small',
      as: 'root',
      read: ['demo', 'small'],
      write: ['small'],
      admin: true,
      role: 'admin',
    },
  ])(
    'GET /api/session tells $who what it may read and change',
    async ({ as, read, write, admin, role }) => {
      const { status, json } = await call('GET', '/api/session', { as });
      expect(status).toBe(200);
      const session = json as SessionInfo;
      expect(session).toMatchObject({ read, write, admin });
      expect(session.token?.role ?? null).toBe(role);
      if (as) expect(session.token).toMatchObject({ name: as, id: expect.stringMatching(/^tok_/) });
    },
  );

  it('lets a read-only partner token read tickets and change none', async () => {
    expect((await call('GET', `/api/tickets/${ids.small}`, { as: 'partner' })).status).toBe(200);
    for (const [url, body] of [
      [`/api/tickets/${ids.small}/ack`, {}],
      [`/api/tickets/${ids.small}/notes`, { text: 'partner was here' }],
      [`/api/tickets/${ids.small}/resolve`, { outcome: 'false_positive' }],
      ['/api/tickets', { tenant: 'small', title: 'x', severity: 'info' }],
    ] as const) {
      const response = await call('POST', url, { as: 'partner', body });
      expect(response.status, url).toBe(403);
      expect(response.headers.get('www-authenticate'), url).toContain('error="insufficient_scope"');
    }
    expect(server.kaizen.store.get(ids.small)!.status).toBe('open');
  });

  it('refuses an anonymous change with 401 before anything else', async () => {
    const response = await call('POST', `/api/tickets/${ids.demo}/ack`, { body: { by: 'eve' } });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="phase-console"');
  });

  it("refuses an operator the public tenant it was not granted: the finding's false_positive", async () => {
    const response = await call('POST', `/api/tickets/${ids.demo}/resolve`, {
      as: 'bo',
      body: { by: 'someone else', outcome: 'false_positive' },
    });
    expect(response.status).toBe(403);
    expect((response.json as ErrorBody).message).toBe(
      'token "bo" does not grant tenant "demo": changing its tickets needs a grant',
    );
    expect(server.kaizen.store.get(ids.demo)!.status).toBe('open');
  });

  it('records the token name as the actor, whatever the body says', async () => {
    const acked = await call('POST', `/api/tickets/${ids.small}/ack`, {
      as: 'bo',
      body: { by: 'mallory' },
    });
    expect(acked.status).toBe(200);
    expect((acked.json as Ticket).status).toBe('acknowledged');
    const noted = await call('POST', `/api/tickets/${ids.demo}/notes`, {
      as: 'ana',
      body: { by: 'mallory', text: 'looked at it' },
    });
    expect(noted.status).toBe(201);
    const resolved = await call('POST', `/api/tickets/${ids.demo}/resolve`, {
      as: 'ana',
      body: { by: 'mallory', outcome: 'true_positive' },
    });
    expect((resolved.json as Ticket).resolvedBy).toBe('ana');
    const detail = (await call('GET', `/api/tickets/${ids.demo}`)).json as TicketDetail;
    expect(detail.events.map((e) => e.actor)).toEqual(['alertmanager', 'ana', 'ana']);
    const small = (await call('GET', `/api/tickets/${ids.small}`, { as: 'bo' }))
      .json as TicketDetail;
    expect(small.events.at(-1)).toMatchObject({ kind: 'acknowledged', actor: 'bo' });
  });

  it('answers a change to a tenant the caller may not see as 404, like a missing ticket', async () => {
    const other = server.issueToken(['demo'], 'demo-only', 'operator').token;
    const response = await fetch(`${server.url}/api/tickets/${ids.small}/ack`, {
      method: 'POST',
      headers: { authorization: `Bearer ${other}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(response.status).toBe(404);
    expect(((await response.json()) as ErrorBody).message).toBe(`no ticket ${ids.small}`);
  });
});

describe('write bodies', () => {
  const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

  it('refuses deeply nested JSON with a short 400, before and after authentication, without a 500', async () => {
    // The finding's sizes: 400 KB on the receiver, 60 KB on a note.
    const deepAlerts = `{"version":"4","alerts":${nested(200_000)}}`;
    expect((await call('POST', '/api/alertmanager', { raw: deepAlerts })).status).toBe(401);
    const authorised = await fetch(`${server.url}/api/alertmanager`, {
      method: 'POST',
      headers: { authorization: server.webhookAuthorization(), 'content-type': 'application/json' },
      body: deepAlerts,
    });
    expect(authorised.status).toBe(400);
    expect(await authorised.json()).toEqual({
      error: 'bad_request',
      message: 'body nests deeper than 32 levels',
    });
    const deepNote = `{"text":${nested(30_000)}}`;
    expect((await call('POST', `/api/tickets/${ids.small}/notes`, { raw: deepNote })).status).toBe(
      401,
    );
    const note = await call('POST', `/api/tickets/${ids.small}/notes`, { as: 'bo', raw: deepNote });
    expect(note.status).toBe(400);
    expect((note.json as ErrorBody).message).toBe('body nests deeper than 32 levels');
    // Shallow enough is parsed and validated as usual.
    const shallow = await call('POST', `/api/tickets/${ids.small}/notes`, {
      as: 'bo',
      raw: `{"text":${nested(20)}}`,
    });
    expect(shallow.status).toBe(400);
    expect((shallow.json as ErrorBody).message).toContain('body.text must be string');
    expect(server.logs.filter((l) => /failed|RangeError|stack/i.test(l))).toEqual([]);
  });

  it('holds an acknowledgement to 64 KiB, as documented', async () => {
    const response = await call('POST', `/api/tickets/${ids.small}/ack`, {
      as: 'bo',
      body: { by: 'x'.repeat(66 * 1024) },
    });
    expect(response.status).toBe(413);
    expect((response.json as ErrorBody).error).toBe('payload_too_large');
  });

  it('answers a text/plain body with 415, as documented', async () => {
    const response = await call('POST', `/api/tickets/${ids.small}/notes`, {
      as: 'bo',
      raw: '{"text":"hello"}',
      type: 'text/plain',
    });
    expect(response.status).toBe(415);
    expect((response.json as ErrorBody).error).toBe('unsupported_media_type');
  });
});
