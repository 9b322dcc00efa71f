import { execFileSync } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test, type Page } from '@playwright/test';
import { freshPort, startServer, tempDir, type RunningServer } from './support';

// A host page on its own origin: iframes the app and records what the app posts to it.
function hostPage(appUrl: string): string {
  return `<!doctype html><title>IDE host</title>
<iframe id="app" src="${appUrl}/?embed=1" style="width:900px;height:600px"></iframe>
<script>
  window.received = [];
  window.addEventListener('message', (e) => window.received.push({ origin: e.origin, data: e.data }));
  window.send = (message) => document.getElementById('app').contentWindow.postMessage(message, '${appUrl}');
</script>`;
}

async function startHost(appUrl: string): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(hostPage(appUrl));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

type Received = {
  origin: string;
  data: {
    type: string;
    state?: Record<string, unknown>;
    target?: Record<string, unknown>;
    code?: string;
    message?: string;
  };
};
const received = (page: Page): Promise<Received[]> =>
  page.evaluate(() => (window as unknown as { received: Received[] }).received);
const lastState = async (page: Page) =>
  (await received(page)).filter((m) => m.data.type === 'state').at(-1)?.data.state;

let app: RunningServer;
let host: { url: string; close(): Promise<void> };
let dataDir: string;

test.beforeAll(async () => {
  dataDir = tempDir('embed');
  // The host's origin must be known before the app server starts: reserve a port for it first.
  const hostPort = freshPort();
  const appPort = freshPort();
  const appUrl = `http://127.0.0.1:${appPort}`;
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(hostPage(appUrl));
  });
  await new Promise<void>((r) => server.listen(hostPort, '127.0.0.1', r));
  host = {
    url: `http://127.0.0.1:${hostPort}`,
    close: () => new Promise((r) => server.close(() => r())),
  };
  app = await startServer({ port: appPort, dataDir, extra: ['--embed-origins', host.url] });
});
test.afterAll(async () => {
  await app?.stop();
  await host?.close();
});

test('a host iframes the app, gets ready, and drives tenant, token and seek by postMessage', async ({
  page,
}) => {
  const token = execFileSync(
    process.execPath,
    [
      '--import',
      'tsx',
      'src/cli/admin.ts',
      '--data',
      dataDir,
      'token',
      'issue',
      '--name',
      'ide',
      '--tenants',
      'small',
    ],
    { encoding: 'utf8' },
  )
    .split(/\s+/)
    .find((w) => /^[A-Za-z0-9_-]{40,}$/.test(w))!;

  await page.goto(host.url);
  await expect.poll(async () => (await received(page)).map((m) => m.data.type)).toContain('ready');
  const ready = (await received(page)).find((m) => m.data.type === 'ready')!;
  expect(ready.origin).toBe(app.url);
  expect((await received(page))[0]!.data.type).toBe('ready');

  await expect.poll(async () => (await lastState(page))?.connected, { timeout: 15_000 }).toBe(true);
  expect(await lastState(page)).toMatchObject({ tenant: 'demo', renderMode: 'gpu', width: 120 });

  await page.evaluate(
    (t) => (window as unknown as { send(m: unknown): void }).send({ type: 'setToken', token: t }),
    token,
  );
  await page.evaluate(() =>
    (window as unknown as { send(m: unknown): void }).send({ type: 'setTenant', tenant: 'small' }),
  );
  await expect.poll(async () => (await lastState(page))?.tenant, { timeout: 15_000 }).toBe('small');
  await expect.poll(async () => (await lastState(page))?.renderMode).toBe('cpu');

  await page.evaluate(() =>
    (window as unknown as { send(m: unknown): void }).send({ type: 'pause' }),
  );
  await page.evaluate(() =>
    (window as unknown as { send(m: unknown): void }).send({ type: 'seek', frame: 123 }),
  );
  await expect
    .poll(async () => await lastState(page))
    .toMatchObject({ frameIndex: 123, playing: false, live: false });

  await page.evaluate(() =>
    (window as unknown as { send(m: unknown): void }).send({ type: 'setTheme', theme: 'light' }),
  );
  await expect.poll(async () => (await lastState(page))?.theme).toBe('light');

  // A malformed message is refused with a reason, and the app carries on.
  await page.evaluate(() =>
    (window as unknown as { send(m: unknown): void }).send({ type: 'seek', frame: 'soon' }),
  );
  await expect
    .poll(
      async () =>
        (await received(page)).find((m) => m.data.type === 'error' && m.data.code === 'bad_message')
          ?.data.message,
    )
    .toMatch(/seek: frame must be an integer/);
  // A drill-down (an MTTR card) goes to the host instead of navigating the iframe. In a panel of
  // this size the side panels are a drawer over the heatmap.
  const frame = page.frameLocator('#app');
  await frame.getByTestId('drawer-toggle').click();
  await frame.getByTestId('mttr-card-critical').click();
  await expect
    .poll(async () => (await received(page)).find((m) => m.data.type === 'drilldown')?.data.target)
    .toMatchObject({ kind: 'tickets', url: expect.stringContaining(`${app.url}/`) });
  const drill = (await received(page)).find((m) => m.data.type === 'drilldown')!;
  expect(String(drill.data.target!.url)).toContain('view=tickets');
  expect(String(drill.data.target!.url)).not.toContain('embed=1');
  await page.waitForTimeout(300);
  const inFrame = page.frames().find((f) => f.url().startsWith(app.url))!;
  expect(new URL(inFrame.url()).searchParams.get('view')).toBeNull();

  // The token never appears in the iframe's URL.
  const frameUrl = page
    .frames()
    .find((f) => f.url().startsWith(app.url))!
    .url();
  expect(frameUrl).not.toContain(token);
});

test('a host on an origin that is not allowed gets nothing: the app refuses to be framed', async ({
  page,
}) => {
  const evil = await startHost(app.url);
  try {
    await page.goto(evil.url);
    await page.waitForTimeout(2500);
    expect(await received(page)).toEqual([]);
  } finally {
    await evil.close();
  }
});

test('pages carry frame-ancestors with the allowed origins', async ({ request }) => {
  const response = await request.get(`${app.url}/`);
  expect(response.headers()['content-security-policy']).toBe(`frame-ancestors 'self' ${host.url}`);
});
