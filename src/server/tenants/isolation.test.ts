// Tenants against the real server: every way of crossing from one tenant to another is refused,
// and not one frame of the other tenant reaches the client.
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Packr } from 'msgpackr';
import type { ErrorBody } from '../../core/api/errors';
import type { StreamList } from '../../core/api/streams';
import type { TenantList, TenantMetrics } from '../../core/api/tenants';
import { crc32 } from '../../core/crc32';
import { CLOSE, SUBPROTOCOL, type FrameMessage, type HelloMessage } from '../../core/wire/envelope';
import { writePatternTrace } from '../../testing/pattern-trace';
import { tempDir } from '../../testing/temp-dir';
import { TestClient } from '../../testing/test-client';
import { startTenantServer, type TestServer } from '../../testing/test-server';
import { openTenantDatabase } from './schema';
import { deleteTenant } from './tenant-store';
import type { TenantSpec } from './tenant-spec';
import type { IssuedToken } from './token-store';

const packr = new Packr({ useRecords: false });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let server: TestServer;
let forA: IssuedToken;
/** CRC-32 of every frame of each tenant's trace: which tenant a received frame came from. */
const crcs = { demo: new Set<number>(), a: new Set<number>(), b: new Set<number>() };

async function patternTenant(
  dir: string,
  id: keyof typeof crcs,
  width: number,
  height: number,
  visibility: 'public' | 'private',
): Promise<TenantSpec> {
  const file = path.join(dir, `${id}.bin`);
  const frameAt = await writePatternTrace(file, width, height, 40);
  for (let k = 0; k < 40; k++) crcs[id].add(crc32(new Uint8Array(frameAt(k).buffer)));
  return {
    id,
    name: `Tenant ${id}`,
    visibility,
    source: { kind: 'replay', trace: file },
    sloMs: 7,
  };
}

beforeAll(async () => {
  const dir = tempDir('isolation');
  const tenants = [
    await patternTenant(dir, 'demo', 24, 16, 'public'),
    await patternTenant(dir, 'a', 20, 10, 'private'),
    await patternTenant(dir, 'b', 30, 20, 'private'),
    {
      id: 'sim',
      name: 'Small live',
      visibility: 'private',
      source: { kind: 'live', width: 32, height: 24, seed: 4 },
      sloMs: 9,
    } satisfies TenantSpec,
  ];
  server = await startTenantServer({ tenants, idleStopMs: 300 });
  forA = server.issueToken(['a']);
});
afterAll(async () => server?.close());

const withToken = (token: string) => ({ protocols: [SUBPROTOCOL, `bearer.${token}`] });
const ws = (tenant: string) => `${server.wsUrl}?tenant=${encodeURIComponent(tenant)}`;
const get = (url: string, token?: string) =>
  fetch(`${server.url}${url}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

/** Opens a stream that must be refused with `status`, and checks that nothing came through. */
async function expectRefused(
  url: string,
  options: { protocols?: string[]; headers?: Record<string, string> },
  status: number,
) {
  const client = new TestClient(url, options);
  await expect(client.opened).rejects.toThrow(`HTTP ${status}`);
  await sleep(50);
  expect(client.messages).toEqual([]);
}

function framesOf(client: TestClient): FrameMessage[] {
  return client.frames() as FrameMessage[];
}

describe('crossing tenants on the stream', () => {
  it('streams a granted private tenant with the token as a subprotocol, answering phase.v1 only', async () => {
    const client = new TestClient(ws('a'), withToken(forA.token));
    await client.opened;
    expect(client.socket.protocol).toBe(SUBPROTOCOL);
    await client.waitFor(() => client.frames().length >= 5);
    client.close();
    expect((client.messages[0] as HelloMessage).stream).toMatchObject({ tenant: 'a', width: 20 });
    for (const frame of framesOf(client)) expect(crcs.a.has(frame.crc)).toBe(true);
    expect(client.faults).toEqual([]);
  });

  it('refuses a private tenant without a token: 404, as if it did not exist', async () => {
    await expectRefused(ws('b'), {}, 404);
    await expectRefused(ws('zzz'), {}, 404);
  });

  it('refuses a token for A asking for B: 404 like an unknown tenant, by subprotocol or by header', async () => {
    await expectRefused(ws('b'), withToken(forA.token), 404);
    await expectRefused(ws('b'), { headers: { authorization: `Bearer ${forA.token}` } }, 404);
  });

  it('refuses a revoked token: 401', async () => {
    const token = server.issueToken(['a', 'b']);
    server.revokeToken(token.tokenId);
    server.tenancy.directory.poll();
    await expectRefused(ws('b'), withToken(token.token), 401);
    await expectRefused(ws('a'), withToken(token.token), 401);
  });

  it.each([
    { name: 'an unknown tenant', tenant: 'zzz', status: 404 },
    { name: 'an SQL-ish tenant', tenant: "b' OR '1'='1", status: 404 },
    { name: 'an upper-case tenant', tenant: 'B', status: 404 },
    { name: 'an oversized tenant', tenant: 'b'.repeat(5000), status: 404 },
    { name: 'an empty tenant', tenant: '', status: 404 },
  ])('refuses $name: $status', async ({ tenant, status }) => {
    await expectRefused(ws(tenant), withToken(forA.token), status);
  });

  it.each([
    { name: 'a malformed token', protocols: [SUBPROTOCOL, 'bearer.abc'], status: 401 },
    { name: 'an unknown token', protocols: [SUBPROTOCOL, `bearer.${'A'.repeat(43)}`], status: 401 },
    { name: 'an empty token', protocols: [SUBPROTOCOL, 'bearer.'], status: 401 },
    {
      name: 'two tokens',
      protocols: [SUBPROTOCOL, `bearer.${'A'.repeat(43)}`, `bearer.${'B'.repeat(43)}`],
      status: 401,
    },
  ])('refuses $name: $status', async ({ protocols, status }) => {
    await expectRefused(ws('b'), { protocols }, status);
  });

  it('ignores a forged tenant field in messages: the stream stays the tenant of the URL', async () => {
    const client = new TestClient(ws('a'), withToken(forA.token));
    await client.opened;
    await client.waitFor(() => client.frames().length >= 2);
    client.socket.send(packr.pack({ t: 'ping', id: 1, clientTimeMs: 1, tenant: 'b' }));
    client.socket.send(
      packr.pack({ t: 'resync', reason: 'x', tenant: 'b', stream: { tenant: 'b' } }),
    );
    await client.waitFor(() => client.messages.some((m) => m.t === 'pong'));
    const before = client.frames().length;
    await client.waitFor(() => client.frames().length >= before + 10);
    client.socket.send(packr.pack({ t: 'subscribe', tenant: 'b' }));
    await client.closed;
    expect(client.closeCode).toBe(CLOSE.badMessage);
    const hellos = client.messages.filter((m) => m.t === 'hello') as HelloMessage[];
    expect(hellos.map((h) => h.stream.tenant)).toEqual(['a']);
    for (const frame of framesOf(client)) {
      expect(crcs.a.has(frame.crc)).toBe(true);
      expect(crcs.b.has(frame.crc)).toBe(false);
    }
    expect(client.decoded.every((f) => f.width === 20 && f.height === 10)).toBe(true);
  });

  it('closes a live connection of a revoked token with 4401 within 2 s, and sends no frame after', async () => {
    const token = server.issueToken(['a']);
    const onA = new TestClient(ws('a'), withToken(token.token));
    const onDemo = new TestClient(ws('demo'), withToken(token.token));
    const bystander = new TestClient(ws('a'), withToken(forA.token));
    await Promise.all([onA.opened, onDemo.opened, bystander.opened]);
    await onA.waitFor(() => onA.frames().length >= 3);
    const revokedAt = Date.now();
    server.revokeToken(token.tokenId);
    await Promise.all([onA.closed, onDemo.closed]);
    const closedAfterMs = Date.now() - revokedAt;
    expect(onA.closeCode).toBe(CLOSE.unauthorized);
    expect(onDemo.closeCode).toBe(CLOSE.unauthorized);
    expect(closedAfterMs).toBeLessThan(2000);
    const count = bystander.frames().length;
    await bystander.waitFor(() => bystander.frames().length >= count + 5);
    bystander.close();
  });

  it('closes a connection within 2 s when the admin CLI, another process, revokes its token', async () => {
    const token = server.issueToken(['a'], 'cli-revoked');
    const client = new TestClient(ws('a'), withToken(token.token));
    await client.opened;
    await client.waitFor(() => client.frames().length >= 3);
    const cli = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        'src/cli/admin.ts',
        '--data',
        server.dataDir,
        'token',
        'revoke',
        token.tokenId,
      ],
      { encoding: 'utf8', timeout: 30_000 },
    );
    const revokedAt = Date.now();
    expect(cli.status).toBe(0);
    await client.closed;
    expect(client.closeCode).toBe(CLOSE.unauthorized);
    expect(Date.now() - revokedAt).toBeLessThan(2000);
  });

  it('closes the connections of a deleted tenant with 4404', async () => {
    const extra = path.join(tempDir('extra'), 'x.bin');
    await writePatternTrace(extra, 8, 8, 10);
    const db = openTenantDatabase(server.dataDir);
    db.prepare(
      `INSERT INTO tenants (tenant_id, name, visibility, source) VALUES ('x', 'x', 'public', ?)`,
    ).run(JSON.stringify({ kind: 'replay', trace: extra }));
    const deadline = Date.now() + 3000;
    while (!server.tenancy.registry.has('x') && Date.now() < deadline) await sleep(20);
    const client = new TestClient(ws('x'));
    await client.opened;
    await client.waitFor(() => client.frames().length >= 2);
    deleteTenant(db, 'x');
    db.close();
    await client.closed;
    expect(client.closeCode).toBe(CLOSE.unknownTenant);
    await expectRefused(ws('x'), {}, 404);
  });
});

describe('crossing tenants over REST', () => {
  it('lists only the tenants a caller may see', async () => {
    const anonymous = (await (await get('/api/tenants')).json()) as TenantList;
    expect(anonymous.tenants.map((t) => t.id)).toEqual(['demo']);
    const withA = (await (await get('/api/tenants', forA.token)).json()) as TenantList;
    expect(withA.tenants).toEqual([
      {
        id: 'a',
        name: 'Tenant a',
        visibility: 'private',
        width: 20,
        height: 10,
        source: 'replay',
        sloMs: 7,
        gpuThreshold: 5000,
        gpuThresholdSource: 'server',
      },
      {
        id: 'demo',
        name: 'Tenant demo',
        visibility: 'public',
        width: 24,
        height: 16,
        source: 'replay',
        sloMs: 7,
        gpuThreshold: 5000,
        gpuThresholdSource: 'server',
      },
    ]);
    const streams = (await (await get('/api/streams', forA.token)).json()) as StreamList;
    expect(streams.map((s) => s.tenant)).toEqual(['a', 'demo']);
  });

  it.each([
    { what: "B's tenant record", url: '/api/tenants/b' },
    { what: "B's metrics", url: '/api/tenants/b/metrics' },
    { what: "B's bandwidth", url: '/api/bandwidth?tenant=b' },
    { what: "B's latency", url: '/api/latency?tenant=b' },
    { what: "B's tickets", url: '/api/tickets?tenant=b' },
    { what: "B's MTTR", url: '/api/mttr?tenant=b' },
  ])(
    'refuses $what exactly as it refuses an unknown tenant, with or without a token for A',
    async ({ url }) => {
      const unknownUrl = url.replace(/\bb\b/, 'nope');
      for (const token of [undefined, forA.token]) {
        const crossing = await get(url, token);
        const unknown = await get(unknownUrl, token);
        expect(crossing.status).toBe(404);
        expect(unknown.status).toBe(404);
        const body = (await crossing.json()) as ErrorBody;
        const unknownBody = (await unknown.json()) as ErrorBody;
        expect(body).toEqual({ ...unknownBody, message: unknownBody.message.replace('nope', 'b') });
        expect(JSON.stringify(body)).not.toContain('framesSent');
      }
    },
  );

  it("serves a tenant's own metrics, and only its series", async () => {
    const client = new TestClient(ws('a'), withToken(forA.token));
    await client.opened;
    await client.waitFor(() => client.frames().length >= 3);
    const response = await get('/api/tenants/a/metrics', forA.token);
    expect(response.status).toBe(200);
    const body = (await response.json()) as TenantMetrics;
    client.close();
    expect(body.tenant).toBe('a');
    const sent = body.metrics.find((m) => m.name === 'ws_frames_sent_total');
    expect(sent?.values[0]?.value).toBeGreaterThan(0);
    expect(JSON.stringify(body)).not.toMatch(/"tenant_id"/);
  });

  it.each([
    { name: 'an unknown tenant', url: '/api/tenants/zzz', status: 404 },
    {
      name: 'an SQL-ish tenant',
      url: `/api/tenants/${encodeURIComponent("a' OR 1=1--")}`,
      status: 404,
    },
    { name: 'an oversized tenant', url: `/api/tenants/${'a'.repeat(300)}/metrics`, status: 404 },
  ])('answers $name with a clean $status', async ({ url, status }) => {
    const response = await get(url, forA.token);
    expect(response.status).toBe(status);
    expect(await response.json()).toMatchObject({ error: expect.any(String) });
  });

  it.each([
    { name: 'a malformed token', header: 'Bearer not-a-token', code: 'invalid_token' },
    { name: 'another scheme', header: 'Basic YTpi', code: 'invalid_request' },
    { name: 'SQL in the header', header: "Bearer ' OR '1'='1", code: 'invalid_request' },
    { name: 'an oversized header', header: `Bearer ${'x'.repeat(8000)}`, code: 'invalid_request' },
  ])(
    'refuses $name with the same JSON 401 and RFC 6750 challenge on every route',
    async ({ header, code }) => {
      for (const [method, url] of [
        ['GET', '/api/tenants'],
        ['GET', '/api/tenants/a'],
        ['GET', '/api/streams'],
        ['GET', '/api/session'],
        ['GET', '/api/bandwidth?tenant=demo'],
        ['GET', '/api/latency?tenant=demo'],
        ['GET', '/api/tickets'],
        ['GET', '/api/mttr'],
        ['POST', '/api/tickets/1/ack'],
      ] as const) {
        const response = await fetch(`${server.url}${url}`, {
          method,
          headers: { authorization: header },
        });
        expect(response.status, url).toBe(401);
        expect(response.headers.get('www-authenticate'), url).toMatch(
          new RegExp(`^Bearer realm="phase-console", error="${code}"`),
        );
        expect(await response.json(), url).toMatchObject({ error: 'unauthorized' });
      }
    },
  );

  it('does not name private tenants in /healthz', async () => {
    const body = await (await get('/healthz')).json();
    expect(body.status).toBe('ok');
    expect(JSON.stringify(body.streams)).not.toMatch(/"(a|b|sim)"/);
  });
});

describe('per-tenant streams', () => {
  it('starts a live tenant with its first watcher and stops it after the last leaves', async () => {
    const token = server.issueToken(['sim']);
    const status = () => server.tenancy.registry.status().find((s) => s.tenant === 'sim')!;
    expect(status().running).toBe(false);
    const client = new TestClient(ws('sim'), withToken(token.token));
    await client.opened;
    await client.waitFor(() => client.decoded.length >= 30, 10_000);
    expect((client.messages[0] as HelloMessage).stream).toMatchObject({
      tenant: 'sim',
      width: 32,
      height: 24,
      frameCount: 0,
      source: 'live',
    });
    expect(client.faults).toEqual([]);
    expect(status().running).toBe(true);
    client.close();
    await client.closed;
    await sleep(600);
    expect(status().running).toBe(false);
  });
});

describe('first start', () => {
  it('seeds demo (public 12k replay), live (private 256x256) and small (private 3,000-spin replay)', async () => {
    const trace = path.join(tempDir('seed'), 'demo.bin');
    await writePatternTrace(trace, 12, 10, 5);
    const seeded = await startTenantServer({ demoTrace: trace });
    try {
      const token = seeded.issueToken(['live', 'small']);
      const { tenants } = (await (
        await fetch(`${seeded.url}/api/tenants`, {
          headers: { authorization: `Bearer ${token.token}` },
        })
      ).json()) as TenantList;
      expect(tenants).toEqual([
        {
          id: 'demo',
          name: 'Demo replay (12k spins)',
          visibility: 'public',
          width: 12,
          height: 10,
          source: 'replay',
          sloMs: 7,
          gpuThreshold: 5000,
          gpuThresholdSource: 'server',
        },
        {
          id: 'live',
          name: 'Live simulator (65,536 spins)',
          visibility: 'private',
          width: 256,
          height: 256,
          source: 'live',
          sloMs: 7,
          gpuThreshold: 5000,
          gpuThresholdSource: 'server',
        },
        {
          id: 'small',
          name: 'Small replay (3,000 spins)',
          visibility: 'private',
          width: 60,
          height: 50,
          source: 'replay',
          sloMs: 7,
          gpuThreshold: 5000,
          gpuThresholdSource: 'server',
        },
      ]);
      expect(existsSync(path.join(seeded.dataDir, 'traces', '3k_spin_trace.bin'))).toBe(true);
      const client = new TestClient(`${seeded.wsUrl}?tenant=small`, withToken(token.token));
      await client.opened;
      await client.waitFor(() => client.decoded.length >= 2);
      client.close();
      expect(client.decoded[0]).toMatchObject({ width: 60, height: 50 });
    } finally {
      await seeded.close();
    }
  });
});

describe('a tenants file', () => {
  const run = (args: string[]) =>
    spawnSync(
      process.execPath,
      ['--import', 'tsx', 'src/server/main.ts', '--port', '0', '--data', tempDir('cfg'), ...args],
      { encoding: 'utf8', timeout: 30_000 },
    );

  it('that is wrong stops the server with exit code 2, naming the file and the field', () => {
    const file = path.join(tempDir('bad-tenants'), 'tenants.json');
    writeFileSync(
      file,
      JSON.stringify({ tenants: [{ id: 'ok', source: { kind: 'live', width: 9000, height: 2 } }] }),
    );
    const result = run(['--tenants', file]);
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(`${file}: tenants[0].source.width must be an integer`);
  });

  it('without the demo tenant cannot take --trace', () => {
    const file = path.join(tempDir('no-demo'), 'tenants.json');
    writeFileSync(
      file,
      JSON.stringify({ tenants: [{ id: 'x', source: { kind: 'live', width: 4, height: 4 } }] }),
    );
    const result = run(['--tenants', file, '--trace', 'whatever.bin']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--trace sets the trace of tenant "demo"');
  });
});
