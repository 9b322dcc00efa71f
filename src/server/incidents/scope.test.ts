import { describe, expect, it } from 'vitest';
import Fastify from 'fastify';
import type { AccessDenied, Principal } from '../tenants/access';
import { openDatabase } from '../storage/database';
import { createKaizen } from './kaizen';
import { registerKaizenRoutes } from './routes/plugin';
import { scopeFromAccess } from './routes/scope';

// The registry's answers: no header is anonymous (public tenants), "Bearer good" is an operator
// granted acme (demo is public: readable, not writable), "Bearer viewer" a viewer granted acme.
const NOTHING = new Set<string>();
const access = {
  resolvePrincipal(header: string | undefined): Principal | AccessDenied {
    const base = { admin: false, tenants: new Set(['demo', 'acme']) };
    if (header === undefined) {
      return {
        ...base,
        tokenId: null,
        name: null,
        role: null,
        tenants: new Set(['demo']),
        writable: NOTHING,
      };
    }
    if (header === 'Bearer good') {
      return { ...base, tokenId: 't1', name: 'ops', role: 'operator', writable: new Set(['acme']) };
    }
    if (header === 'Bearer viewer') {
      return { ...base, tokenId: 't2', name: 'partner', role: 'viewer', writable: NOTHING };
    }
    return { denied: true, status: 401, error: 'invalid_token', message: 'unknown token' };
  },
};

describe('scope from the tenant registry', () => {
  async function server() {
    const kaizen = createKaizen({ db: openDatabase(':memory:') });
    const app = Fastify();
    registerKaizenRoutes(app, { kaizen, resolveScope: scopeFromAccess(access) });
    const open = (tenantId: string) =>
      kaizen.store.openOrDedup({
        tenantId,
        visibility: tenantId === 'demo' ? 'public' : 'private',
        title: 't',
        severity: 'info',
        source: 'manual',
        fingerprint: tenantId,
        actor: 'ana',
      }).ticket.id;
    return { app, demo: open('demo'), acme: open('acme') };
  }

  it.each([
    {
      name: 'anonymous callers read public tickets',
      auth: undefined,
      ticket: 'demo',
      method: 'GET',
      status: 200,
    },
    {
      name: 'anonymous callers cannot change them: credentials first',
      auth: undefined,
      ticket: 'demo',
      method: 'POST',
      status: 401,
    },
    {
      name: 'an operator cannot change a public tenant it is not granted',
      auth: 'Bearer good',
      ticket: 'demo',
      method: 'POST',
      status: 403,
    },
    {
      name: 'a viewer changes nothing, even granted',
      auth: 'Bearer viewer',
      ticket: 'acme',
      method: 'POST',
      status: 403,
    },
    {
      name: 'anonymous callers do not see private tickets',
      auth: undefined,
      ticket: 'acme',
      method: 'GET',
      status: 404,
    },
    {
      name: 'a granting token reads private tickets',
      auth: 'Bearer good',
      ticket: 'acme',
      method: 'GET',
      status: 200,
    },
    {
      name: 'a granting operator token changes them',
      auth: 'Bearer good',
      ticket: 'acme',
      method: 'POST',
      status: 200,
    },
    {
      name: 'a bad token is refused',
      auth: 'Bearer bad',
      ticket: 'demo',
      method: 'GET',
      status: 401,
    },
  ])('$name', async ({ auth, ticket, method, status }) => {
    const { app, ...ids } = await server();
    const id = ids[ticket as 'demo' | 'acme'];
    const response = await app.inject({
      method: method as 'GET' | 'POST',
      url: method === 'GET' ? `/api/tickets/${id}` : `/api/tickets/${id}/ack`,
      headers: auth ? { authorization: auth } : {},
      ...(method === 'POST' ? { payload: { by: 'ana' } } : {}),
    });
    expect(response.statusCode, response.body).toBe(status);
    await app.close();
  });
});
