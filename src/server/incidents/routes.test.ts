import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { openDatabase } from '../storage/database';
import { createKaizen, type Kaizen } from './kaizen';
import { registerKaizenRoutes } from './routes/plugin';
import type { KaizenScope, ScopeRefusal } from './routes/scope';
import { POLICY_ROUTES } from '../ops/policy-table';
import { OPS_ROUTES } from '../ops/table';
import { KAIZEN_ROUTES } from './routes/table';
import { T0, virtualClock } from '../../testing/virtual-clock';
import { MAX_NOTE_CHARS } from './types';

// Credentials of the test: the bearer token names a caller.
const CALLERS: Record<string, KaizenScope | ScopeRefusal> = {
  ops: { tenants: new Set(['demo', 'acme']) },
  demo: { tenants: new Set(['demo']) },
  reader: { tenants: new Set(['demo', 'acme']), writableTenants: new Set(['demo']), actor: 'rita' },
  revoked: { status: 403, message: 'token revoked' },
};

function resolveScope(request: FastifyRequest): KaizenScope | ScopeRefusal {
  const token = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1];
  if (token === undefined) return { status: 401, message: 'credentials required' };
  return CALLERS[token] ?? { status: 401, message: 'unknown token' };
}

// Response bodies: parsed JSON whose shape the assertions check.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const clock = virtualClock();
let kaizen: Kaizen;
let fastify: FastifyInstance;
let base: string;
const routesSeen: string[] = [];

async function call(
  method: string,
  url: string,
  options: { token?: string | null; body?: unknown; rawBody?: string } = {},
): Promise<{ status: number; json: Json }> {
  const token = options.token === undefined ? 'ops' : options.token;
  const headers: Record<string, string> = {};
  if (token !== null) headers.authorization = `Bearer ${token}`;
  let body: string | undefined;
  if (options.rawBody !== undefined || options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = options.rawBody ?? JSON.stringify(options.body);
  }
  const response = await fetch(`${base}${url}`, { method, headers, body });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : {} };
}

function create(tenant: string, extra: Record<string, unknown> = {}) {
  return call('POST', '/api/tickets', {
    body: { tenant, title: `trouble in ${tenant}`, severity: 'error', by: 'ana', ...extra },
  });
}

function alert(
  status: 'firing' | 'resolved',
  labels: Record<string, string> = {},
  extra: Record<string, unknown> = {},
) {
  return {
    status,
    labels: { alertname: 'PhaseStreamStalled', severity: 'critical', tenant_id: 'demo', ...labels },
    annotations: { summary: 'Stream demo stalled', description: 'No frames for 30 s' },
    startsAt: new Date(T0 - 60_000).toISOString(),
    endsAt: status === 'resolved' ? new Date(T0).toISOString() : '0001-01-01T00:00:00Z',
    generatorURL: 'http://prometheus:9090/graph?g0.expr=up',
    fingerprint: 'c4c1f3d6a3b7e0f2',
    ...extra,
  };
}

function webhook(alerts: unknown[], status = 'firing') {
  return {
    version: '4',
    groupKey: '{}:{alertname="PhaseStreamStalled"}',
    truncatedAlerts: 0,
    status,
    receiver: 'phase-console',
    groupLabels: { alertname: 'PhaseStreamStalled' },
    commonLabels: {},
    commonAnnotations: {},
    externalURL: 'http://alertmanager:9093',
    alerts,
  };
}

async function total(token = 'ops'): Promise<number> {
  return (await call('GET', '/api/tickets', { token })).json.total;
}

beforeAll(async () => {
  kaizen = createKaizen({
    db: openDatabase(':memory:'),
    now: clock.now,
    visibilityOf: (tenant) => {
      if (tenant === 'boom') throw new Error('registry unavailable');
      if (tenant === 'acme') return 'private';
      return tenant === 'demo' ? 'public' : undefined;
    },
    config: { alertmanagerToken: null },
  });
  fastify = Fastify({ logger: false });
  fastify.addHook('onRoute', (route) => {
    if (route.method !== 'HEAD') routesSeen.push(`${String(route.method)} ${route.url}`);
  });
  registerKaizenRoutes(fastify, { kaizen, resolveScope });
  base = await fastify.listen({ port: 0, host: '127.0.0.1' });
});

afterAll(async () => fastify?.close());

// Tests share one database and assert on what they add, so their order does not matter.
beforeEach(() => clock.set(T0));

describe('tickets', () => {
  it('creates, lists, shows, acknowledges, notes and resolves a ticket', async () => {
    const created = await create('demo', { summary: 'frames arrive late' });
    expect(created.status).toBe(201);
    const ticket = created.json.ticket;
    expect(created.json).toMatchObject({
      result: 'opened',
      ticket: {
        tenant: 'demo',
        visibility: 'public',
        status: 'open',
        source: 'manual',
        openedAt: new Date(T0).toISOString(),
      },
    });

    clock.advance(30_000);
    expect(
      (await call('POST', `/api/tickets/${ticket.id}/ack`, { body: { by: 'bo' } })).json,
    ).toMatchObject({
      status: 'acknowledged',
      acknowledgedAt: new Date(T0 + 30_000).toISOString(),
    });
    const note = await call('POST', `/api/tickets/${ticket.id}/notes`, {
      body: { by: 'bo', text: 'restarted the source' },
    });
    expect(note.status).toBe(201);
    expect(note.json).toMatchObject({ kind: 'noted', actor: 'bo', detail: 'restarted the source' });

    clock.advance(90_000);
    const resolved = await call('POST', `/api/tickets/${ticket.id}/resolve`, {
      body: { by: 'bo', outcome: 'true_positive', note: 'source restarted' },
    });
    expect(resolved.json).toMatchObject({
      status: 'resolved',
      resolvedBy: 'bo',
      outcome: 'true_positive',
      resolutionSeconds: 120,
      noteCount: 1,
    });

    const detail = await call('GET', `/api/tickets/${ticket.id}`);
    expect(detail.json.events.map((e: Json) => [e.kind, e.actor])).toEqual([
      ['opened', 'ana'],
      ['acknowledged', 'bo'],
      ['noted', 'bo'],
      ['resolved', 'bo'],
    ]);
    const list = await call('GET', '/api/tickets?tenant=demo&status=resolved');
    expect(list.json.tickets.map((t: Json) => t.id)).toContain(ticket.id);
  });

  it('deduplicates a manual ticket with a fingerprint (200, same id)', async () => {
    const first = await create('demo', { fingerprint: 'disk-full' });
    const second = await create('demo', { fingerprint: 'disk-full' });
    expect(second.status).toBe(200);
    expect(second.json).toMatchObject({
      result: 'deduplicated',
      ticket: { id: first.json.ticket.id },
    });
  });

  it('takes the actor from the credentials when they name a person', async () => {
    const { json } = await call('POST', '/api/tickets', {
      token: 'reader',
      body: { tenant: 'demo', title: 'x', severity: 'info', by: 'someone-else' },
    });
    const detail = await call('GET', `/api/tickets/${json.ticket.id}`);
    expect(detail.json.events[0].actor).toBe('rita');
  });

  it('pages with a cursor and reports the total', async () => {
    for (let i = 0; i < 5; i++) {
      clock.advance(1000);
      await create('acme', { title: `page ${i}` });
    }
    const first = await call('GET', '/api/tickets?tenant=acme&limit=3');
    expect(first.json).toMatchObject({ total: expect.any(Number) as number });
    const all = first.json.total as number;
    const ids: number[] = first.json.tickets.map((t: Json) => t.id);
    let cursor = first.json.nextCursor as string | null;
    while (cursor) {
      const next = await call('GET', `/api/tickets?tenant=acme&limit=3&cursor=${cursor}`);
      ids.push(...next.json.tickets.map((t: Json) => t.id));
      cursor = next.json.nextCursor;
    }
    expect(new Set(ids).size).toBe(all);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
  });
});

describe('scope', () => {
  it.each([
    { name: 'detail', method: 'GET', path: '', body: undefined },
    { name: 'acknowledge', method: 'POST', path: '/ack', body: { by: 'eve' } },
    {
      name: 'resolve',
      method: 'POST',
      path: '/resolve',
      body: { by: 'eve', outcome: 'false_positive' },
    },
    { name: 'notes', method: 'POST', path: '/notes', body: { by: 'eve', text: 'hi' } },
  ])(
    'a ticket of a tenant the caller cannot see is 404 on $name, like a missing one',
    async ({ method, path, body }) => {
      const id = (await create('acme')).json.ticket.id;
      const hidden = await call(method, `/api/tickets/${id}${path}`, { token: 'demo', body });
      const missing = await call(method, `/api/tickets/999999${path}`, { token: 'demo', body });
      expect(hidden.status).toBe(404);
      expect(hidden.json).toEqual({ error: 'not_found', message: `no ticket ${id}` });
      expect(missing.json.error).toBe('not_found');
      expect((await call('GET', `/api/tickets/${id}`)).json).toMatchObject({
        ticket: { status: 'open' },
      });
    },
  );

  it('leaves tickets of other tenants out of lists and MTTR', async () => {
    const id = (await create('acme')).json.ticket.id;
    const list = await call('GET', '/api/tickets?limit=200', { token: 'demo' });
    expect(list.json.tickets.every((t: Json) => t.tenant === 'demo')).toBe(true);
    expect(list.json.tickets.map((t: Json) => t.id)).not.toContain(id);
    for (const url of ['/api/tickets?tenant=acme', '/api/mttr?tenant=acme']) {
      const refused = await call('GET', url, { token: 'demo' });
      expect(refused.status).toBe(404);
      expect(refused.json.message).toBe('no tenant "acme" among those you may see');
    }
    const createElsewhere = await call('POST', '/api/tickets', {
      token: 'demo',
      body: { tenant: 'acme', title: 't', severity: 'info', by: 'eve' },
    });
    expect(createElsewhere.status).toBe(404);
  });

  it('refuses changes to a tenant the caller may only read with 403', async () => {
    const id = (await create('acme')).json.ticket.id;
    const refused = await call('POST', `/api/tickets/${id}/ack`, { token: 'reader', body: {} });
    expect(refused.status).toBe(403);
    expect(refused.json.error).toBe('forbidden');
  });

  it.each([
    { name: 'no credentials', token: null, status: 401, error: 'unauthorized' },
    { name: 'unknown credentials', token: 'nobody', status: 401, error: 'unauthorized' },
    { name: 'refused credentials', token: 'revoked', status: 403, error: 'forbidden' },
  ])('answers $name with $status', async ({ token, status, error }) => {
    const response = await call('GET', '/api/tickets', { token });
    expect(response.status).toBe(status);
    expect(response.json.error).toBe(error);
  });
});

describe('bad input', () => {
  it.each([
    {
      name: 'a non-numeric id',
      method: 'GET',
      url: '/api/tickets/abc',
      status: 400,
      message: 'params.id must be integer, got "abc"',
    },
    {
      name: 'a zero id',
      method: 'GET',
      url: '/api/tickets/0',
      status: 400,
      message: 'params.id must be >= 1',
    },
    {
      name: 'an unknown severity filter',
      method: 'GET',
      url: '/api/tickets?severity=page',
      status: 400,
      message: 'querystring.severity[0] must be one of critical, error, warning, info, got "page"',
    },
    {
      name: 'a malformed window',
      method: 'GET',
      url: '/api/tickets?window=yesterday',
      status: 400,
      message:
        'querystring.window must be a count and a unit m, h or d (like 15m, 24h, 7d), got "yesterday"',
    },
    {
      name: 'a window over 366 days',
      method: 'GET',
      url: '/api/mttr?window=9999d',
      status: 400,
      message: 'window "9999d" is longer than 366d',
    },
    {
      name: 'a page over the limit',
      method: 'GET',
      url: '/api/tickets?limit=5000',
      status: 400,
      message: 'querystring.limit must be <= 200',
    },
    {
      name: 'a forged cursor',
      method: 'GET',
      url: '/api/tickets?cursor=abc',
      status: 400,
      message: 'cursor is not one this server handed out',
    },
    {
      name: 'an unknown severity',
      method: 'POST',
      url: '/api/tickets',
      body: { tenant: 'demo', title: 't', severity: 'page', by: 'ana' },
      status: 400,
      message: 'body.severity must be one of critical, error, warning, info, got "page"',
    },
    {
      name: 'a missing title',
      method: 'POST',
      url: '/api/tickets',
      body: { tenant: 'demo', severity: 'info', by: 'ana' },
      status: 400,
      message: 'body.title is required',
    },
    {
      name: 'a bad tenant id',
      method: 'POST',
      url: '/api/tickets',
      body: { tenant: 'Demo Co', title: 't', severity: 'info', by: 'ana' },
      status: 400,
      message: 'body.tenant must be a tenant id',
    },
    {
      name: 'no actor',
      method: 'POST',
      url: '/api/tickets',
      body: { tenant: 'demo', title: 't', severity: 'info' },
      status: 400,
      message: 'body.by is required (who acts)',
    },
    {
      name: 'the reserved actor "auto"',
      method: 'POST',
      url: '/api/tickets',
      body: { tenant: 'demo', title: 't', severity: 'info', by: 'auto' },
      status: 400,
      message: 'reserved',
    },
    {
      name: 'broken JSON',
      method: 'POST',
      url: '/api/tickets',
      rawBody: '{"tenant":',
      status: 400,
      message: 'JSON',
    },
    {
      name: 'a resolve without an outcome',
      method: 'POST',
      url: '/api/tickets/1/resolve',
      body: { by: 'ana' },
      status: 400,
      message: 'body.outcome is required',
    },
  ])(
    'answers $name with a JSON $status naming the field',
    async ({ method, url, body, rawBody, status, message }) => {
      const before = await total();
      const response = await call(method, url, { body, rawBody });
      expect(response.status).toBe(status);
      expect(response.json.error).toBe('bad_request');
      expect(response.json.message).toContain(message);
      expect(await total()).toBe(before);
    },
  );

  it('refuses a note over 10,000 characters (400) and a huge body (413), storing nothing', async () => {
    const id = (await create('demo')).json.ticket.id;
    const long = await call('POST', `/api/tickets/${id}/notes`, {
      body: { by: 'ana', text: 'x'.repeat(MAX_NOTE_CHARS + 1) },
    });
    expect(long.status).toBe(400);
    expect(long.json.message).toBe('body.text is 10001 characters; at most 10000 allowed');
    const huge = await call('POST', `/api/tickets/${id}/notes`, {
      body: { by: 'ana', text: 'x'.repeat(200_000) },
    });
    expect(huge.status).toBe(413);
    expect(huge.json.error).toBe('payload_too_large');
    const ok = await call('POST', `/api/tickets/${id}/notes`, {
      body: { by: 'ana', text: 'x'.repeat(MAX_NOTE_CHARS) },
    });
    expect(ok.status).toBe(201);
    expect((await call('GET', `/api/tickets/${id}`)).json).toMatchObject({
      ticket: { noteCount: 1 },
    });
  });

  it('answers 409 for resolving a resolved ticket', async () => {
    const id = (await create('demo')).json.ticket.id;
    const body = { by: 'ana', outcome: 'true_positive' };
    expect((await call('POST', `/api/tickets/${id}/resolve`, { body })).status).toBe(200);
    const again = await call('POST', `/api/tickets/${id}/resolve`, { body });
    expect(again.status).toBe(409);
    expect(again.json).toEqual({ error: 'conflict', message: `ticket ${id} is already resolved` });
  });
});

describe('Alertmanager receiver', () => {
  it('opens one ticket for a firing alert and resolves it for the resolved one', async () => {
    const before = await total();
    const arrivedMs = clock.now();
    const firing = await call('POST', '/api/alertmanager', {
      token: null,
      body: webhook([alert('firing')]),
    });
    expect(firing.json).toEqual({
      received: 1,
      opened: 1,
      deduplicated: 0,
      reopened: 0,
      resolved: 0,
      ignored: 0,
    });
    const repeat = await call('POST', '/api/alertmanager', {
      token: null,
      body: webhook([alert('firing')]),
    });
    expect(repeat.json).toMatchObject({ deduplicated: 1, opened: 0 });
    clock.advance(120_000);
    const resolved = await call('POST', '/api/alertmanager', {
      token: null,
      body: webhook([alert('resolved')], 'resolved'),
    });
    expect(resolved.json).toMatchObject({ resolved: 1 });
    expect(await total()).toBe(before + 1);
    const list = await call('GET', '/api/tickets?source=alertmanager&tenant=demo&limit=1');
    expect(list.json.tickets[0]).toMatchObject({
      title: 'Stream demo stalled',
      summary: 'No frames for 30 s',
      severity: 'critical',
      status: 'resolved',
      resolvedBy: 'auto',
      fingerprint: 'alertmanager:c4c1f3d6a3b7e0f2',
      // The incident's own times, from startsAt and endsAt; and when the webhook arrived.
      openedAt: new Date(T0 - 60_000).toISOString(),
      receivedAt: new Date(arrivedMs).toISOString(),
      resolvedAt: new Date(T0).toISOString(),
    });
    const again = await call('POST', '/api/alertmanager', {
      token: null,
      body: webhook([alert('resolved')], 'resolved'),
    });
    expect(again.json).toMatchObject({ resolved: 0, ignored: 1 });
  });

  it('takes the tenant from the label, else the default tenant', async () => {
    const labels = { alertname: 'ConsoleDown', severity: 'critical' };
    await call('POST', '/api/alertmanager', {
      token: null,
      body: webhook([
        { ...alert('firing', { tenant_id: 'acme' }, { fingerprint: 'aaa1' }) },
        { ...alert('firing', {}, { fingerprint: 'aaa2' }), labels },
      ]),
    });
    const byFingerprint = async (fp: string) =>
      (await call('GET', '/api/tickets?source=alertmanager&limit=200')).json.tickets.find(
        (t: Json) => t.fingerprint === fp,
      );
    expect((await byFingerprint('alertmanager:aaa1')).tenant).toBe('acme');
    expect((await byFingerprint('alertmanager:aaa2')).tenant).toBe(kaizen.config.defaultTenant);
  });

  it.each([
    { name: 'a non-object body', body: '"alerts"', message: 'body must be object' },
    {
      name: 'a missing version',
      body: { ...webhook([alert('firing')]), version: undefined },
      message: 'body.version is required',
    },
    {
      name: 'an unknown version',
      body: { ...webhook([alert('firing')]), version: '3' },
      message: 'body.version must be one of 4, got "3"',
    },
    {
      name: 'alerts not a list',
      body: { ...webhook([]), alerts: { a: 1 } },
      message: 'body.alerts must be array',
    },
    {
      name: 'an unknown alert status',
      body: webhook([alert('firing'), { ...alert('firing'), status: 'pending' }]),
      message: 'body.alerts[1].status must be one of firing, resolved, got "pending"',
    },
    {
      name: 'an unknown severity (after a valid alert)',
      body: webhook([
        alert('firing', {}, { fingerprint: 'ok1' }),
        alert('firing', { severity: 'page' }),
      ]),
      message:
        'body.alerts[1].labels.severity must be one of critical, error, warning, info, got "page"',
    },
    {
      name: 'no severity label',
      body: webhook([{ ...alert('firing'), labels: { alertname: 'X' } }]),
      message: 'body.alerts[0].labels.severity is required',
    },
    {
      name: 'a bad tenant label',
      body: webhook([alert('firing', { tenant_id: '../etc' })]),
      message: 'body.alerts[0].labels.tenant_id must be a tenant id',
    },
    {
      name: 'a bad start time',
      body: webhook([alert('firing', {}, { startsAt: 'yesterday' })]),
      message: 'body.alerts[0].startsAt must match format "date-time"',
    },
  ])('answers $name with 400 and stores nothing', async ({ body, message }) => {
    const before = await total();
    const response = await call('POST', '/api/alertmanager', {
      token: null,
      ...(typeof body === 'string' ? { rawBody: body } : { body }),
    });
    expect(response.status).toBe(400);
    expect(response.json.error).toBe('bad_request');
    expect(response.json.message).toContain(message);
    expect(await total()).toBe(before);
  });

  it('stores nothing of a request that fails half-way, and keeps serving', async () => {
    const before = await total();
    const response = await call('POST', '/api/alertmanager', {
      token: null,
      body: webhook([
        alert('firing', {}, { fingerprint: 'first' }),
        alert('firing', { tenant_id: 'boom' }),
      ]),
    });
    expect(response.status).toBe(500);
    expect(response.json.error).toBe('internal');
    expect(await total()).toBe(before);
    expect(
      (await call('POST', '/api/alertmanager', { token: null, body: webhook([]) })).status,
    ).toBe(200);
  });

  it('checks the bearer token when ALERTMANAGER_TOKEN is set', async () => {
    const secured = createKaizen({
      db: openDatabase(':memory:'),
      config: { alertmanagerToken: 'a-long-shared-secret' },
    });
    const app = Fastify();
    registerKaizenRoutes(app, { kaizen: secured, resolveScope });
    const inject = (authorization?: string) =>
      app.inject({
        method: 'POST',
        url: '/api/alertmanager',
        headers: authorization ? { authorization } : {},
        payload: webhook([alert('firing')]),
      });
    for (const header of [undefined, 'Bearer wrong', 'Basic a-long-shared-secret']) {
      const refused = await inject(header);
      expect(refused.statusCode).toBe(401);
      expect(refused.headers['www-authenticate']).toContain('Bearer');
    }
    expect(secured.store.list({}, { limit: 1 }).total).toBe(0);
    expect((await inject('Bearer a-long-shared-secret')).statusCode).toBe(200);
    expect(secured.store.list({}, { limit: 1 }).total).toBe(1);
    await app.close();
  });
});

describe('MTTR', () => {
  it('answers figures per severity, and its drill-down lists exactly the tickets behind them', async () => {
    const tenant = 'acme';
    const opened = [];
    for (const [severity, seconds, by] of [
      ['warning', 60, 'auto'],
      ['warning', 180, 'ana'],
      ['warning', 600, 'bo'],
      ['info', 30, 'ana'],
    ] as const) {
      clock.set(T0);
      const id = (await create(tenant, { severity })).json.ticket.id;
      clock.set(T0 + seconds * 1000);
      if (by === 'auto') kaizen.store.resolve(id, { by: 'auto' });
      else
        await call('POST', `/api/tickets/${id}/resolve`, {
          body: { by, outcome: 'true_positive' },
        });
      opened.push(id);
    }
    await create(tenant, { severity: 'warning' }); // still open
    clock.set(T0 + 3_600_000);
    const { json } = await call('GET', `/api/mttr?tenant=${tenant}&window=24h`);
    const warning = json.severities.find((s: Json) => s.severity === 'warning');
    expect(warning).toMatchObject({
      all: { count: 3, meanSeconds: 280, medianSeconds: 180 },
      auto: { count: 1, meanSeconds: 60 },
      person: { count: 2, meanSeconds: 390 },
      open: 1,
    });
    expect(warning.trend).toHaveLength(24);
    expect(warning.trend.reduce((n: number, p: Json) => n + p.count, 0)).toBe(3);
    const drill = await call('GET', warning.tickets);
    expect(drill.json.tickets.map((t: Json) => t.id).sort()).toEqual(opened.slice(0, 3).sort());
    expect(json.severities.find((s: Json) => s.severity === 'critical').all).toEqual({
      count: 0,
      meanSeconds: null,
      medianSeconds: null,
      p90Seconds: null,
    });
  });
});

describe('OpenAPI document', () => {
  it('describes every route the plugin registers, with the schemas they validate with', async () => {
    const { status, json } = await call('GET', '/api/openapi.json', { token: null });
    expect(status).toBe(200);
    const doc = json;
    expect(doc.openapi).toBe('3.1.0');
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops as object).map(
        (m) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`,
      ),
    );
    // The document covers the launch tooling's and the policy gate's routes too, which the
    // console always serves (src/server/ops/table.ts, policy-table.ts).
    const opsRoutes = [...Object.values(OPS_ROUTES), ...Object.values(POLICY_ROUTES)].map(
      (r) => `${r.method} ${r.url}`,
    );
    expect(documented.sort()).toEqual([...routesSeen, ...opsRoutes].sort());
    expect(Object.values(KAIZEN_ROUTES)).toHaveLength(routesSeen.length);
    const create = doc.paths['/api/tickets'].post;
    expect(create.requestBody.content['application/json'].schema.properties.severity.enum).toEqual([
      'critical',
      'error',
      'warning',
      'info',
    ]);
    expect(create.responses['201'].content['application/json'].schema.properties.ticket).toEqual({
      $ref: '#/components/schemas/Ticket',
    });
    const refs = JSON.stringify(doc).match(/#\/components\/schemas\/\w+/g) ?? [];
    for (const ref of refs) expect(doc.components.schemas[ref.split('/').pop()!]).toBeDefined();
    const list = doc.paths['/api/tickets'].get.parameters.find((p: Json) => p.name === 'severity');
    expect(list).toMatchObject({ in: 'query', style: 'form', explode: true });
  });
});
