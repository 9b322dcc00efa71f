// DNS rebinding against the real server: a request whose Host is a name the console does not answer
// for (a page on evil.example that resolves to 127.0.0.1) is refused with 421, on HTTP and on the
// WebSocket alike; the bound address, localhost and --allowed-hosts names are served.
import { request } from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUBPROTOCOL } from '../core/wire/envelope';
import { writePatternTrace } from '../testing/pattern-trace';
import { tempDir } from '../testing/temp-dir';
import { startTenantServer, type TestServer } from '../testing/test-server';
import { createHostCheck, hostnameOf } from './host-check';

let server: TestServer;
beforeAll(async () => {
  const trace = path.join(tempDir('hosts'), 'pattern.bin');
  await writePatternTrace(trace, 12, 10, 20);
  server = await startTenantServer({
    demoTrace: trace,
    argv: ['--allowed-hosts', 'console.example.com,.ops.example'],
  });
});
afterAll(async () => server?.close());

/** A request with a Host header of our choosing, as a browser on a rebound name sends it. */
function get(
  pathname: string,
  host: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  const { port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path: pathname, headers: { host, ...headers } },
      (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const upgrade = (host: string) =>
  get('/ws', host, {
    connection: 'Upgrade',
    upgrade: 'websocket',
    'sec-websocket-version': '13',
    'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
    'sec-websocket-protocol': SUBPROTOCOL,
  }).catch(() => ({ status: 101, body: '' }));

describe('the Host header', () => {
  const port = () => new URL(server.url).port;

  it.each(['evil.example', 'attacker.test:80', '127.0.0.1.nip.io', 'console.example.com.evil'])(
    'refuses %s with 421 on every route and on the WebSocket',
    async (name) => {
      const host = name.includes(':') ? name : `${name}:${port()}`;
      for (const pathname of ['/api/tenants', '/healthz', '/api/tickets', '/']) {
        const response = await get(pathname, host);
        expect(response.status, pathname).toBe(421);
        expect(JSON.parse(response.body)).toMatchObject({ error: 'misdirected_request' });
      }
      expect((await upgrade(host)).status).toBe(421);
    },
  );

  it.each([
    '127.0.0.1',
    'localhost',
    'LOCALHOST',
    'console.example.com',
    'grafana.ops.example',
    'ops.example',
  ])('serves %s', async (name) => {
    const response = await get('/api/tenants', `${name}:${port()}`);
    expect(response.status).toBe(200);
  });
});

describe('host names', () => {
  it('reads the name of a Host header, without its port, brackets or trailing dot', () => {
    expect(hostnameOf('example.com:8080')).toBe('example.com');
    expect(hostnameOf('[::1]:8080')).toBe('::1');
    expect(hostnameOf('Example.COM.')).toBe('example.com');
    expect(hostnameOf('a@b')).toBeNull();
    expect(hostnameOf('a/b')).toBeNull();
  });

  it('answers for every address of the machine when bound to all of them', () => {
    const check = createHostCheck({ host: '0.0.0.0', allowedHosts: [] });
    expect(check.allows('127.0.0.1:8080')).toBe(true);
    expect(check.allows('evil.example:8080')).toBe(false);
    const bound = createHostCheck({ host: '192.0.2.7', allowedHosts: [] });
    expect(bound.allows('192.0.2.7:8080')).toBe(true);
    expect(bound.allows('192.0.2.8:8080')).toBe(false);
  });
});
