// Two real console servers sharing one PostgreSQL cluster the test starts (--database), each with
// its own data directory, serving one replayed demo tenant: the gateways of a cluster in one test
// process. `call` speaks their REST API with a bearer token (the webhook secret for Alertmanager).
import path from 'node:path';
import type { TenantSpec } from '../server/tenants/tenant-spec';
import { writePatternTrace } from './pattern-trace';
import { startPostgres, type TestPostgres } from './postgres';
import { tempDir } from './temp-dir';
import { startTenantServer, type TestServer } from './test-server';

export const PAIR_WEBHOOK_SECRET = 'cluster-webhook-secret-0123456789';

export interface GatewayPair {
  postgres: TestPostgres;
  a: TestServer;
  b: TestServer;
  /** A REST call as `token`; `/api/alertmanager` goes with the webhook secret instead. */
  call<T>(
    s: TestServer,
    token: string,
    method: string,
    route: string,
    body?: unknown,
  ): Promise<{ status: number; json: T }>;
  close(): Promise<void>;
}

export async function startGatewayPair(): Promise<GatewayPair> {
  const postgres = await startPostgres();
  const trace = path.join(tempDir('gateway-pair'), 'pattern.bin');
  await writePatternTrace(trace, 12, 10, 20);
  const tenants: TenantSpec[] = [
    { id: 'demo', name: 'Demo', visibility: 'public', source: { kind: 'replay', trace }, sloMs: 7 },
  ];
  const gateway = () =>
    startTenantServer({
      tenants,
      argv: ['--database', postgres.url],
      env: { ALERTMANAGER_TOKEN: PAIR_WEBHOOK_SECRET },
    });
  const started: TestServer[] = [];
  try {
    started.push(await gateway());
    started.push(await gateway());
  } catch (error) {
    for (const s of started) await s.close();
    await postgres.stop();
    throw error;
  }
  const [a, b] = started as [TestServer, TestServer];
  return {
    postgres,
    a,
    b,
    async call<T>(s: TestServer, token: string, method: string, route: string, body?: unknown) {
      const secret = route === '/api/alertmanager' ? PAIR_WEBHOOK_SECRET : token;
      const response = await fetch(`${s.url}${route}`, {
        method,
        headers: {
          authorization: `Bearer ${secret}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: response.status, json: (await response.json()) as T };
    },
    async close() {
      for (const s of started) await s.close();
      await postgres.stop();
    },
  };
}
