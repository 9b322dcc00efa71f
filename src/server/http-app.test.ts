import path from 'node:path';
import { writeFileSync, readFileSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Packr } from 'msgpackr';
import type { ErrorBody } from '../core/api/errors';
import type { BandwidthReport } from '../core/api/panels';
import { CLOSE, type FrameMessage } from '../core/wire/envelope';
import { writePatternTrace } from '../testing/pattern-trace';
import { tempDir } from '../testing/temp-dir';
import { TestClient } from '../testing/test-client';
import { startTenantServer, startTestServer, type TestServer } from '../testing/test-server';
import type { SessionInfo } from '../core/api/session';
import { openTenantDatabase } from './tenants/schema';
import { issueToken } from './tenants/token-store';

const WIDTH = 24;
const HEIGHT = 16;
let server: TestServer;
let frameAt: (k: number) => Uint16Array;
let tracePath: string;

beforeAll(async () => {
  tracePath = path.join(tempDir('http'), 'pattern.bin');
  frameAt = await writePatternTrace(tracePath, WIDTH, HEIGHT, 50);
  server = await startTestServer(tracePath);
  await new Promise((r) => setTimeout(r, 100));
});
afterAll(async () => server?.close());

describe('the frame WebSocket', () => {
  it('says hello with the stream, then streams frames equal to the trace, with valid CRCs', async () => {
    const client = new TestClient(server.wsUrl);
    await client.opened;
    await client.waitFor(() => client.frames().length >= 10);
    client.close();
    const [hello] = client.messages;
    expect(hello).toMatchObject({
      t: 'hello',
      v: 1,
      stream: {
        tenant: 'demo',
        width: WIDTH,
        height: HEIGHT,
        frameCount: 50,
        intervalUs: 16667,
        source: 'replay',
      },
    });
    expect(client.faults).toEqual([]);
    expect(client.decoded.length).toBe(client.frames().length);
    for (const frame of client.decoded) {
      expect(frame.phases).toEqual(frameAt(frame.frameIndex));
    }
    // A client following the stream gets one keyframe, then deltas.
    expect(client.decoded.map((f) => f.kind)).toEqual([0, ...client.decoded.slice(1).map(() => 1)]);
    const wireBytes = client.decoded.slice(1).reduce((sum, f) => sum + f.wireBytes, 0);
    expect(wireBytes).toBeLessThan((client.decoded.length - 1) * WIDTH * HEIGHT * 2 * 0.5);
    const seqs = (client.frames() as FrameMessage[]).map((f) => f.seq);
    expect(seqs).toEqual(seqs.map((_, i) => seqs[0]! + i));
  });

  it('gives a late joiner the current frame at once, before the next tick', async () => {
    // With the stream's clock stopped there is no next tick: a frame the joiner gets can only be
    // the current one, handed over as it joins. (A time limit would say the same on an idle
    // machine and fail on a loaded one.)
    server.bus.stop();
    try {
      const current = server.bus.latest!;
      const client = new TestClient(server.wsUrl);
      await client.opened;
      await client.waitFor(() => client.frames().length >= 1);
      const first = client.frames()[0] as FrameMessage;
      expect(first.kind).toBe(0);
      expect(first.seq).toBe(current.seq);
      expect(first.fi).toBe(current.frameIndex);
      expect(server.bus.latest).toBe(current);
      client.close();
    } finally {
      server.bus.start();
    }
  });

  it('closes a client that sends garbage with a protocol error, and others carry on', async () => {
    const good = new TestClient(server.wsUrl);
    const bad = new TestClient(server.wsUrl);
    await Promise.all([good.opened, bad.opened]);
    bad.socket.send(Buffer.from([0xc1, 0xff, 0x00]));
    await bad.closed;
    expect(bad.closeCode).toBe(CLOSE.badMessage);
    expect(bad.messages.some((m) => m.t === 'error')).toBe(true);
    const count = good.frames().length;
    await good.waitFor(() => good.frames().length >= count + 5);
    expect(server.logs.some((l) => l.includes('protocol error'))).toBe(true);
    good.close();
  });

  it.each([
    { name: 'a text frame', send: 'hello', code: CLOSE.badMessage },
    { name: 'an oversized message', send: Buffer.alloc(10_000), code: CLOSE.messageTooBig },
    {
      name: 'a forged tenant in a ping',
      send: new Packr({ useRecords: false }).pack({ t: 'subscribe', tenant: 'other' }),
      code: CLOSE.badMessage,
    },
  ])('closes on $name', async ({ send, code }) => {
    const client = new TestClient(server.wsUrl);
    await client.opened;
    client.socket.send(send);
    await client.closed;
    expect(client.closeCode).toBe(code);
    // A protocol error says why before the close (an oversized message is cut by ws itself).
    if (code === CLOSE.badMessage) expect(client.messages.some((m) => m.t === 'error')).toBe(true);
  });

  it('answers a ping with a pong carrying both clocks', async () => {
    const client = new TestClient(server.wsUrl);
    await client.opened;
    client.socket.send(
      new Packr({ useRecords: false }).pack({ t: 'ping', id: 9, clientTimeMs: 123.5 }),
    );
    await client.waitFor(() => client.messages.some((m) => m.t === 'pong'));
    expect(client.messages.find((m) => m.t === 'pong')).toMatchObject({
      t: 'pong',
      id: 9,
      clientTimeMs: 123.5,
    });
    client.close();
  });

  it.each([
    { name: 'no subprotocol', options: { protocols: [] }, status: 'HTTP 426' },
    { name: 'a future protocol version', options: { protocols: ['phase.v9'] }, status: 'HTTP 426' },
    {
      name: 'a foreign origin',
      options: { headers: { Origin: 'https://evil.example' } },
      status: 'HTTP 403',
    },
  ])('refuses an upgrade with $name', async ({ options, status }) => {
    const client = new TestClient(server.wsUrl, options);
    await expect(client.opened).rejects.toThrow(status);
  });

  it('refuses an unknown tenant with 404', async () => {
    const client = new TestClient(`${server.wsUrl}?tenant=nobody`);
    await expect(client.opened).rejects.toThrow('HTTP 404');
  });
});

describe('HTTP', () => {
  it('serves the app page for page routes', async () => {
    const response = await fetch(`${server.url}/some/view?tenant=demo`, {
      headers: { accept: 'text/html' },
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<title>Phase console</title>');
  });

  it('answers a missing asset with 404, not the app page', async () => {
    const response = await fetch(`${server.url}/assets/missing-123.js`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: 'not_found' });
  });

  it('answers an unknown API path with a JSON 404', async () => {
    const response = await fetch(`${server.url}/api/nothing-here`, {
      headers: { accept: 'text/html' },
    });
    expect(response.status).toBe(404);
  });

  it('reports health once streaming', async () => {
    const response = await fetch(`${server.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok' });
  });

  it('reports bytes saved by the delta protocol per tenant, growing between two reads', async () => {
    const client = new TestClient(server.wsUrl);
    await client.opened;
    await client.waitFor(() => client.decoded.length >= 20);
    const read = async () =>
      (await (
        await fetch(`${server.url}/api/bandwidth?tenant=demo&window=30`)
      ).json()) as BandwidthReport;
    const first = await read();
    await client.waitFor(() => client.decoded.length >= 40);
    const second = await read();
    client.close();
    expect(first.totals.bytesSaved).toBeGreaterThan(0);
    expect(second.totals.bytesSaved).toBeGreaterThan(first.totals.bytesSaved);
    expect(second.totals.rawBytes - second.totals.bytesSent).toBeLessThanOrEqual(
      second.totals.bytesSaved,
    );
    expect(second.savingsRatio).toBeGreaterThan(0.5);
  });

  it.each([
    { query: '', status: 400 },
    { query: '?tenant=demo&window=0', status: 400 },
    { query: '?tenant=demo&window=lots', status: 400 },
    { query: "?tenant=x'%3B--", status: 400 },
    { query: '?tenant=nobody', status: 404 },
  ])('answers /api/bandwidth$query with $status', async ({ query, status }) => {
    const response = await fetch(`${server.url}/api/bandwidth${query}`);
    expect(response.status).toBe(status);
    const body = (await response.json()) as ErrorBody;
    expect(body.error).toBe(status === 400 ? 'bad_request' : 'not_found');
    expect(body.message.length).toBeGreaterThan(0);
  });

  it('exports Prometheus metrics with the sent and saved byte counters', async () => {
    const body = await (
      await fetch(`${server.url}/metrics`, {
        headers: { authorization: server.metricsAuthorization() },
      })
    ).text();
    expect(body).toMatch(/^# TYPE delta_bytes_saved_total counter$/m);
    expect(body).toMatch(/^ws_frames_sent_total\{tenant_id="demo"\} [1-9]/m);
  });

  it("exports each frame's fan-out time as a histogram", async () => {
    const body = await (
      await fetch(`${server.url}/metrics`, {
        headers: { authorization: server.metricsAuthorization() },
      })
    ).text();
    expect(body).toMatch(/^# TYPE ws_fanout_seconds histogram$/m);
    const count = /^ws_fanout_seconds_count\{tenant_id="demo"\} (\d+)$/m.exec(body);
    expect(Number(count?.[1])).toBeGreaterThan(0);
    // Loopback writes to a handful of clients take well under the last finite bucket (0.1 s).
    const within = /^ws_fanout_seconds_bucket\{le="0.1",tenant_id="demo"\} (\d+)$/m.exec(body);
    expect(Number(within?.[1])).toBe(Number(count?.[1]));
  });
});

describe('server start', () => {
  const run = (args: string[]) =>
    spawnSync(
      'npx',
      ['tsx', 'src/server/main.ts', '--port', '0', '--data', tempDir('start'), ...args],
      {
        encoding: 'utf8',
        timeout: 30_000,
      },
    );

  it('stops with one line naming the file and the fault for a corrupt trace', () => {
    const corrupt = path.join(tempDir('corrupt'), 'corrupt.bin');
    const bytes = readFileSync(tracePath);
    bytes[61] = bytes[61]! ^ 0xff; // header CRC
    writeFileSync(corrupt, bytes);
    const result = run(['--trace', corrupt]);
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(corrupt);
    expect(result.stderr).toContain('header CRC mismatch');
  });

  it('stops for a truncated trace', () => {
    const truncated = path.join(tempDir('truncated'), 'truncated.bin');
    writeFileSync(truncated, readFileSync(tracePath).subarray(0, 500));
    const result = run(['--trace', truncated]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/truncated/);
  });

  it('stops for a missing trace given on the command line', () => {
    const result = run(['--trace', '/nonexistent/x.bin']);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('/nonexistent/x.bin');
  });

  it('names the file but quotes none of its bytes for a file that is not a trace', () => {
    const result = run(['--trace', '/etc/passwd']);
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe(
      '[trace] /etc/passwd: wrong magic (the file does not start with "SPINTRC1"): not a spin trace',
    );
    expect(result.stderr).not.toContain('root');
  });

  it('starts with the IDE webview origin of docs/EMBED.md', async () => {
    const child = spawn(
      process.execPath,
      [
        ...['--import', 'tsx', 'src/server/main.ts', '--port', '0', '--data', tempDir('embed')],
        ...[
          '--trace',
          tracePath,
          '--embed-origins',
          'https://ide.example.com,vscode-webview://abc',
        ],
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    try {
      await expect
        .poll(() => (child.exitCode !== null ? `exited ${child.exitCode}` : output), {
          timeout: 30_000,
        })
        .toMatch(/listening on|exited/);
      expect(output).toContain('listening on');
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('stops with exit code 2 and the usage for a bad flag', () => {
    const result = run(['--port', 'abc']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--port must be a port number');
  });
});

describe('what a browser page may reach', () => {
  it('does not serve source maps, and serves the script beside them', async () => {
    writeFileSync(path.join(server.config.staticDir, 'app.js'), 'console.log(1);\n');
    writeFileSync(path.join(server.config.staticDir, 'app.js.map'), '{"sources":["secret.ts"]}');
    expect((await fetch(`${server.url}/app.js`)).status).toBe(200);
    const map = await fetch(`${server.url}/app.js.map`);
    expect(map.status).toBe(404);
    expect(await map.text()).not.toContain('secret.ts');
  });

  it("opens the WebSocket for the app's own origin and a listed embedder, with the scheme compared", async () => {
    const host = new URL(server.url).host;
    const embedded = await startTenantServer({
      demoTrace: tracePath,
      argv: ['--embed-origins', 'vscode-webview://abc'],
    });
    try {
      const embeddedHost = new URL(embedded.url).host;
      const opens = async (url: string, origin: string) => {
        const client = new TestClient(url, { headers: { origin } });
        try {
          await client.opened;
          client.close();
          return 'open';
        } catch (error) {
          return (error as Error).message;
        }
      };
      expect(await opens(server.wsUrl, `http://${host}`)).toBe('open');
      expect(await opens(server.wsUrl, `https://${host}`)).toBe('open');
      expect(await opens(server.wsUrl, `ftp://${host}`)).toBe('HTTP 403');
      expect(await opens(server.wsUrl, `chrome-extension://${host}`)).toBe('HTTP 403');
      expect(await opens(server.wsUrl, 'vscode-webview://abc')).toBe('HTTP 403');
      expect(await opens(embedded.wsUrl, 'vscode-webview://abc')).toBe('open');
      expect(await opens(embedded.wsUrl, `vscode-webview://${embeddedHost}`)).toBe('HTTP 403');
      expect(await (await fetch(`${embedded.url}/api/embed`)).json()).toEqual({
        origins: ['vscode-webview://abc'],
      });
    } finally {
      await embedded.close();
    }
  });

  it('accepts a token the moment the admin CLI has issued it', async () => {
    const db = openTenantDatabase(server.dataDir);
    const { token } = issueToken(db, { name: 'just issued', tenants: ['demo'] });
    db.close();
    const response = await fetch(`${server.url}/api/session`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as SessionInfo).token?.name).toBe('just issued');
  });
});
