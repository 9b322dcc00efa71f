// What a web page in the operator's browser can do to a console on the operator's machine: a page
// on a name that resolves to 127.0.0.1 (DNS rebinding) is refused with 421; a page on another
// origin can neither file alerts nor change tickets nor open the stream; the built app's source
// maps are not served.
import { readdirSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, expect, test } from '@playwright/test';
import type { TicketPage } from '../src/core/api/tickets';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../scripts/chromium-options';
import { startServer, type RunningServer } from './support';

let consoleServer: RunningServer;
test.beforeAll(async () => {
  test.setTimeout(120_000);
  consoleServer = await startServer();
});
test.afterAll(async () => consoleServer?.stop());

const ticketTotal = async (): Promise<number> =>
  ((await (await fetch(`${consoleServer.url}/api/tickets`)).json()) as TicketPage).total;

test('a page on a rebound name reaches nothing: every answer is 421', async () => {
  // The attacker's name resolves to this machine, as after a DNS rebinding.
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [...CHROMIUM_ARGS, '--host-resolver-rules=MAP rebind.test 127.0.0.1'],
  });
  try {
    const page = await browser.newPage();
    const rebound = `http://rebind.test:${consoleServer.port}`;
    const app = await page.goto(`${rebound}/`);
    expect(app?.status()).toBe(421);
    await expect(page.getByTestId('heatmap')).toHaveCount(0);
    const answers = await page.evaluate(async () => {
      const statuses: number[] = [];
      for (const url of ['/api/tenants', '/api/tickets', '/healthz', '/api/openapi.json']) {
        statuses.push((await fetch(url)).status);
      }
      const posted = await fetch('/api/alertmanager', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      statuses.push(posted.status);
      return statuses;
    });
    expect(answers).toEqual([421, 421, 421, 421, 421]);
    const socket = await page.evaluate(
      () =>
        new Promise<string>((resolve) => {
          const ws = new WebSocket(`ws://${location.host}/ws`, ['phase.v1']);
          ws.onopen = () => resolve('open');
          ws.onerror = () => resolve('refused');
        }),
    );
    expect(socket).toBe('refused');
  } finally {
    await browser.close();
  }
});

test('a page on another origin can file no alert, change no ticket and open no stream', async ({
  page,
}) => {
  const before = await ticketTotal();
  const attacker = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!doctype html><title>somewhere else</title>');
  });
  await new Promise<void>((r) => attacker.listen(0, '127.0.0.1', r));
  try {
    await page.goto(`http://127.0.0.1:${(attacker.address() as AddressInfo).port}/`);
    const outcome = await page.evaluate(async (target) => {
      // Simple requests go out without a preflight; the page cannot read the answers.
      const alert = JSON.stringify({
        version: '4',
        status: 'firing',
        alerts: [
          {
            status: 'firing',
            labels: { alertname: 'Forged', severity: 'critical', tenant_id: 'demo' },
            startsAt: new Date().toISOString(),
          },
        ],
      });
      for (const [path, body] of [
        ['/api/alertmanager', alert],
        ['/api/tickets', '{"tenant":"demo","title":"forged","severity":"info","by":"eve"}'],
        ['/api/tickets/1/ack', '{"by":"eve"}'],
      ]) {
        await fetch(`${target}${path}`, {
          method: 'POST',
          mode: 'no-cors',
          headers: { 'content-type': 'text/plain' },
          body,
        }).catch(() => undefined);
      }
      return new Promise<string>((resolve) => {
        const ws = new WebSocket(`${target.replace('http', 'ws')}/ws`, ['phase.v1']);
        ws.onopen = () => resolve('open');
        ws.onerror = () => resolve('refused');
      });
    }, consoleServer.url);
    expect(outcome).toBe('refused');
    expect(await ticketTotal()).toBe(before);
    expect(consoleServer.output()).toContain('[ws] refused upgrade from origin http://127.0.0.1:');
  } finally {
    await new Promise<void>((r) => attacker.close(() => r()));
  }
});

test("the built app's source maps are not served; its scripts are", async ({ request }) => {
  const maps = readdirSync('dist/assets').filter((f) => f.endsWith('.map'));
  test.skip(maps.length === 0, 'the build made no source maps');
  for (const map of maps.slice(0, 3)) {
    expect((await request.get(`${consoleServer.url}/assets/${map}`)).status()).toBe(404);
    expect(
      (await request.get(`${consoleServer.url}/assets/${map.replace(/\.map$/, '')}`)).status(),
    ).toBe(200);
  }
});
