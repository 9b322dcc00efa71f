// The probe asks the real server: the tenants' REST routes answer with the same statuses as the
// WebSocket upgrade, which a browser cannot read.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writePatternTrace } from '../../testing/pattern-trace';
import { tempDir } from '../../testing/temp-dir';
import { startTenantServer, type TestServer } from '../../testing/test-server';
import { probeRefusal, probeUrl, refusalOf } from './refusal-probe';

let server: TestServer;
let forSmall: string;

beforeAll(async () => {
  const dir = tempDir('probe');
  const tenant = async (id: string, visibility: 'public' | 'private') => {
    const trace = path.join(dir, `${id}.bin`);
    await writePatternTrace(trace, 16, 8, 10);
    return { id, name: id, visibility, source: { kind: 'replay' as const, trace }, sloMs: 7 };
  };
  server = await startTenantServer({
    tenants: [await tenant('demo', 'public'), await tenant('small', 'private')],
  });
  forSmall = server.issueToken(['small']).token;
});
afterAll(async () => {
  await server?.close();
});

describe('refusal probe', () => {
  it('asks the tenant route of the stream, over http for ws and https for wss', () => {
    expect(probeUrl('ws://127.0.0.1:8080/ws?tenant=small')).toBe(
      'http://127.0.0.1:8080/api/tenants/small',
    );
    expect(probeUrl('wss://console.example.com/ws')).toBe(
      'https://console.example.com/api/tenants',
    );
  });

  it('maps 401, 403 and 404 to refusals and anything else to "retry"', () => {
    expect(refusalOf(401)).toBe('unauthorized');
    expect(refusalOf(403)).toBe('forbidden');
    expect(refusalOf(404)).toBe('not-found');
    for (const status of [200, 426, 500, 503]) expect(refusalOf(status)).toBeNull();
  });

  it('learns from the server that a tenant is unknown, private or fine', async () => {
    const ws = (tenant: string) => `${server.wsUrl.split('/ws')[0]}/ws?tenant=${tenant}`;
    expect(await probeRefusal(ws('nobody-here'), null)).toBe('not-found');
    // A private tenant the caller may not read answers like one that does not exist
    // (docs/SECURITY.md): anonymous, or with a token for other tenants.
    expect(await probeRefusal(ws('small'), null)).toBe('not-found');
    expect(await probeRefusal(ws('small'), 'not-a-token-we-issued-0123456789')).toBe(
      'unauthorized',
    );
    expect(await probeRefusal(ws('demo'), null)).toBeNull();
    expect(await probeRefusal(ws('small'), forSmall)).toBeNull();
    const forDemoOnly = server.issueToken(['demo']).token;
    expect(await probeRefusal(ws('small'), forDemoOnly)).toBe('not-found');
  });

  it('says "retry" when nothing answers: a server that is down', async () => {
    expect(await probeRefusal('ws://127.0.0.1:9/ws?tenant=demo', null)).toBeNull();
  });
});
