// A frozen picture must not pass for a calm lattice: when frames stop arriving while some are
// due, the stream state turns stale and a banner says so, and both go once frames flow again. The stall is made between
// the page and the real server by a loopback proxy that stops reading from the server for a while
// (a stuck network: the connection stays open, nothing arrives).
import net from 'node:net';
import { expect, test } from '@playwright/test';
import { waitForFrames } from './support';

interface StallingProxy {
  url: string;
  stall(): void;
  resume(): void;
  close(): Promise<void>;
}

async function startStallingProxy(targetUrl: string): Promise<StallingProxy> {
  const target = new URL(targetUrl);
  const upstreams = new Set<net.Socket>();
  let stalled = false;
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port), target.hostname);
    upstreams.add(upstream);
    if (stalled) upstream.pause();
    client.pipe(upstream);
    upstream.pipe(client);
    const end = () => {
      upstreams.delete(upstream);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stall() {
      stalled = true;
      for (const upstream of upstreams) upstream.pause();
    },
    resume() {
      stalled = false;
      for (const upstream of upstreams) upstream.resume();
    },
    async close() {
      for (const upstream of upstreams) upstream.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

test('a stalled stream is flagged within seconds, and the flag goes when frames return', async ({
  page,
  baseURL,
}) => {
  const proxy = await startStallingProxy(baseURL!);
  try {
    await page.goto(`${proxy.url}/`);
    await waitForFrames(page, 10);
    const notice = page.getByTestId('stream-banner');
    await expect(notice).toHaveCount(0);

    proxy.stall();
    await expect(notice).toContainText('the stream has stalled', { timeout: 5000 });
    await expect(notice).toContainText(/No new frame for \d+\.\d s/);
    // The connection itself is still open: only the frames stopped.
    await expect(page.getByTestId('stream-state')).toHaveAttribute('data-state', 'stale');
    await expect(notice).toContainText('the connection is open');

    proxy.resume();
    await expect(notice).toHaveCount(0, { timeout: 15_000 });
  } finally {
    await proxy.close();
  }
});

test('a paused replay is not a stall', async ({ page }) => {
  await page.goto('/');
  await waitForFrames(page, 10);
  await page.getByTestId('play-pause').click();
  await expect(page.getByTestId('play-pause')).toHaveText('Play');
  await page.waitForTimeout(2500);
  await expect(page.getByTestId('stream-banner')).toHaveCount(0);
  await expect(page.getByTestId('stream-state')).toHaveAttribute('data-state', 'paused');
});
