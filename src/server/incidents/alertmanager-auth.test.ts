// The Alertmanager receiver on the real server, as an attacker on the console's port would try
// it: without the webhook secret nothing is filed (and the body is not even read), alerts for
// tenants that do not exist are refused, and a flood of alerts is capped, tickets and label series
// alike. The authorised paths still work: the data directory's secret (rotated by the admin CLI),
// ALERTMANAGER_TOKEN, and the explicit --alertmanager-anonymous.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertmanagerResult } from '../../core/api/alertmanager';
import type { ErrorBody } from '../../core/api/errors';
import { writePatternTrace } from '../../testing/pattern-trace';
import { tempDir } from '../../testing/temp-dir';
import { startTenantServer, type TestServer } from '../../testing/test-server';
import { rotateSecret } from '../secrets';
import { openTenantDatabase } from '../tenants/schema';
import type { TenantSpec } from '../tenants/tenant-spec';
import { createTenant } from '../tenants/tenant-store';

let trace: string;
let server: TestServer;

async function tenants(): Promise<TenantSpec[]> {
  return [
    { id: 'demo', name: 'Demo', visibility: 'public', source: { kind: 'replay', trace }, sloMs: 7 },
    {
      id: 'acme',
      name: 'Acme',
      visibility: 'private',
      source: { kind: 'replay', trace },
      sloMs: 7,
    },
  ];
}

beforeAll(async () => {
  trace = path.join(tempDir('am-auth'), 'pattern.bin');
  await writePatternTrace(trace, 12, 10, 20);
  server = await startTenantServer({ tenants: await tenants() });
});
afterAll(async () => server?.close());

function webhook(alerts: { tenant?: string; fingerprint: string }[]) {
  return {
    version: '4',
    status: 'firing',
    alerts: alerts.map(({ tenant, fingerprint }) => ({
      status: 'firing',
      labels: {
        alertname: 'PhaseStreamStalled',
        severity: 'critical',
        ...(tenant === undefined ? {} : { tenant_id: tenant }),
      },
      annotations: { summary: `stalled ${fingerprint}` },
      startsAt: new Date().toISOString(),
      fingerprint,
    })),
  };
}

async function post(s: TestServer, body: unknown, authorization?: string, raw?: string) {
  const response = await fetch(`${s.url}/api/alertmanager`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(authorization === undefined ? {} : { authorization }),
    },
    body: raw ?? JSON.stringify(body),
  });
  return {
    status: response.status,
    headers: response.headers,
    json: (await response.json()) as unknown,
  };
}

const ticketCount = (s: TestServer) => s.kaizen.store.list({}, { limit: 1 }).total;

describe('the Alertmanager receiver, by default', () => {
  it('refuses a request without the webhook secret, files nothing, and says so per RFC 6750', async () => {
    const before = ticketCount(server);
    const anonymous = await post(server, webhook([{ tenant: 'acme', fingerprint: 'a1' }]));
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer realm="phase-console"');
    expect((anonymous.json as ErrorBody).error).toBe('unauthorized');
    const wrong = await post(
      server,
      webhook([{ tenant: 'acme', fingerprint: 'a1' }]),
      `Bearer ${'x'.repeat(43)}`,
    );
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toContain('error="invalid_token"');
    expect(ticketCount(server)).toBe(before);
  });

  it('refuses before reading the body: a broken body without the secret is still a 401', async () => {
    const response = await post(server, undefined, undefined, '{"alerts": [');
    expect(response.status).toBe(401);
  });

  it('files alerts with the secret of the data directory, and takes a rotated one at once', async () => {
    const filed = await post(
      server,
      webhook([{ tenant: 'acme', fingerprint: 'r1' }]),
      server.webhookAuthorization(),
    );
    expect(filed.status).toBe(200);
    expect((filed.json as AlertmanagerResult).opened).toBe(1);
    const old = server.webhookAuthorization();
    rotateSecret(server.dataDir, 'alertmanager');
    expect((await post(server, webhook([{ tenant: 'acme', fingerprint: 'r2' }]), old)).status).toBe(
      401,
    );
    expect(
      (
        await post(
          server,
          webhook([{ tenant: 'acme', fingerprint: 'r2' }]),
          server.webhookAuthorization(),
        )
      ).status,
    ).toBe(200);
  });

  it('refuses alerts for a tenant that does not exist, storing none of the request', async () => {
    const before = ticketCount(server);
    const response = await post(
      server,
      webhook([
        { tenant: 'demo', fingerprint: 'u1' },
        { tenant: 'later', fingerprint: 'u2' },
      ]),
      server.webhookAuthorization(),
    );
    expect(response.status).toBe(400);
    expect((response.json as ErrorBody).message).toBe(
      'body.alerts[1].labels.tenant_id "later" is not a tenant of this console; no alert of the request was filed',
    );
    expect(ticketCount(server)).toBe(before);
  });

  it('caps a flood: 2,000 alerts for unknown tenants add no series, 2,000 for one tenant at most 1,000 tickets', async () => {
    const series = async () =>
      (
        await (
          await fetch(`${server.url}/metrics`, {
            headers: { authorization: server.metricsAuthorization() },
          })
        ).text()
      ).match(/tenant_id="/g)?.length ?? 0;
    const seriesBefore = await series();
    const unknown = Array.from({ length: 1000 }, (_, i) => ({
      tenant: `t${i}`,
      fingerprint: `x${i}`,
    }));
    expect((await post(server, webhook(unknown), server.webhookAuthorization())).status).toBe(400);
    expect(await series()).toBe(seriesBefore);

    const before = ticketCount(server);
    const flood = (from: number) =>
      webhook(
        Array.from({ length: 1000 }, (_, i) => ({ tenant: 'demo', fingerprint: `f${from + i}` })),
      );
    const first = await post(server, flood(0), server.webhookAuthorization());
    const second = await post(server, flood(1000), server.webhookAuthorization());
    // The first thousand fit the allowance; the second thousand, at once, do not.
    expect([first.status, second.status]).toEqual([200, 429]);
    expect(Number(second.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((second.json as ErrorBody).error).toBe('too_many_requests');
    expect(ticketCount(server) - before).toBe(1000);
    // Deduplicating an incident already open costs no allowance.
    expect((await post(server, flood(0), server.webhookAuthorization())).status).toBe(200);
  });
});

describe('a tenant created after its alerts were refused', () => {
  it("files them once it exists, with the tenant's visibility, which tickets follow", async () => {
    const body = webhook([{ tenant: 'later', fingerprint: 'l1' }]);
    expect((await post(server, body, server.webhookAuthorization())).status).toBe(400);
    const db = openTenantDatabase(server.dataDir);
    try {
      createTenant(db, {
        id: 'later',
        name: 'Later',
        visibility: 'public',
        source: { kind: 'replay', trace },
        sloMs: 7,
      });
      await expect
        .poll(() => server.tenancy.access.hasTenant('later'), { timeout: 5000 })
        .toBe(true);
      const filed = await post(server, body, server.webhookAuthorization());
      expect(filed.status).toBe(200);
      const visibility = () =>
        server.kaizen.store.list({ tenant: 'later' }, { limit: 1 }).tickets[0]?.visibility;
      expect(visibility()).toBe('public');
      db.prepare(`UPDATE tenants SET visibility = 'private' WHERE tenant_id = 'later'`).run();
      await expect.poll(visibility, { timeout: 5000 }).toBe('private');
    } finally {
      db.close();
    }
  });
});

describe('the Alertmanager receiver, configured otherwise', () => {
  it('takes ALERTMANAGER_TOKEN instead of the file when it is set', async () => {
    const token = 'a-configured-token-0123456789';
    const configured = await startTenantServer({
      tenants: await tenants(),
      env: { ALERTMANAGER_TOKEN: token },
    });
    try {
      const body = webhook([{ tenant: 'demo', fingerprint: 'e1' }]);
      expect((await post(configured, body, `Bearer ${token}`)).status).toBe(200);
      expect((await post(configured, body, `Bearer ${token}x`)).status).toBe(401);
    } finally {
      await configured.close();
    }
  });

  it('accepts anyone only with --alertmanager-anonymous, and warns at start', async () => {
    const open = await startTenantServer({
      tenants: await tenants(),
      argv: ['--alertmanager-anonymous'],
    });
    try {
      expect((await post(open, webhook([{ tenant: 'demo', fingerprint: 'o1' }]))).status).toBe(200);
      expect(
        open.logs.some((l) => l.startsWith('[security] WARNING: --alertmanager-anonymous')),
      ).toBe(true);
      // Unknown tenants stay refused whoever asks.
      expect((await post(open, webhook([{ tenant: 'nope', fingerprint: 'o2' }]))).status).toBe(400);
    } finally {
      await open.close();
    }
  });
});
