// One truthful stream state, everywhere: the badge, the banner over a dimmed picture,
// window.phaseViz.streamState and the embedding host's postMessage all say the same thing when the
// server stops and comes back, when a view pauses, when a token is withdrawn and for a tenant that
// does not exist; refusals stop the retries and a sign-out takes the private picture off at once.
import http from 'node:http';
import { expect, test, type Frame, type Page } from '@playwright/test';
import {
  freshPort,
  gotoSignedIn,
  issueToken,
  phaseViz,
  startServer,
  tempDir,
  waitForFrames,
  type RunningServer,
} from './support';

interface Received {
  origin: string;
  data: { type: string; streamState?: { state: string; sinceMs: number | null } };
}

function hostPage(appUrl: string): string {
  return `<!doctype html><title>IDE host</title>
<iframe id="app" src="${appUrl}/?embed=1" style="width:480px;height:360px;border:0"></iframe>
<script>
  window.received = [];
  window.addEventListener('message', (e) => window.received.push({ origin: e.origin, data: e.data }));
</script>`;
}

const hostStates = async (page: Page): Promise<string[]> =>
  (await page.evaluate(() => (window as unknown as { received: Received[] }).received))
    .filter((m) => m.data.type === 'streamState')
    .map((m) => m.data.streamState!.state);

/** Lines of the server's log that say it refused an upgrade with this status. */
const refusals = (server: RunningServer, status: number): number =>
  server
    .output()
    .split('\n')
    .filter((l) => l.includes(`[ws] refused ${status} `)).length;

const heatmapOpacity = (where: Page | Frame): Promise<number> =>
  where.getByTestId('heatmap').evaluate((el) => Number(getComputedStyle(el).opacity));

let server: RunningServer;
let hostUrl: string;
let host: http.Server;
let dataDir: string;

test.beforeAll(async () => {
  dataDir = tempDir('stream-state');
  const hostPort = freshPort();
  const port = freshPort();
  hostUrl = `http://127.0.0.1:${hostPort}`;
  host = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(hostPage(`http://127.0.0.1:${port}`));
  });
  await new Promise<void>((r) => host.listen(hostPort, '127.0.0.1', r));
  server = await startServer({ port, dataDir, extra: ['--embed-origins', hostUrl] });
});
test.afterAll(async () => {
  await server?.stop();
  await new Promise((r) => host?.close(r));
});

test('embedded: a stopped server dims the picture, says since when and tells the host; a restart brings it back', async ({
  page,
}) => {
  await page.goto(hostUrl);
  const app = page.frameLocator('#app');
  await expect(app.getByTestId('stream-state')).toHaveAttribute('data-state', 'replay', {
    timeout: 30_000,
  });
  await expect.poll(() => hostStates(page)).toContain('replay');
  const frame = page.frames().find((f) => f.url().includes('embed=1'))!;
  await expect.poll(() => heatmapOpacity(frame)).toBe(1);

  await server.stop();
  await expect(app.getByTestId('stream-state')).toHaveAttribute('data-state', 'reconnecting', {
    timeout: 10_000,
  });
  // The state is visible in the small embedded panel, and the picture cannot pass for live.
  await expect(app.getByTestId('stream-state')).toBeInViewport();
  await expect(app.getByTestId('stream-state')).not.toHaveText(/LIVE/);
  await expect(app.getByTestId('stream-banner')).toContainText(/Not current since \d\d:\d\d:\d\d/);
  expect(await heatmapOpacity(frame)).toBeLessThan(0.5);
  // Nothing to send controls on: the replay bar's controls are disabled.
  await expect(app.getByTestId('play-pause')).toBeDisabled();
  await expect(app.getByTestId('timeline')).toBeDisabled();
  expect(
    await frame.evaluate(
      () => (window as unknown as { phaseViz: { streamState: string } }).phaseViz.streamState,
    ),
  ).toBe('reconnecting');
  await expect.poll(() => hostStates(page)).toContain('reconnecting');
  const told = (await page.evaluate(() => (window as unknown as { received: Received[] }).received))
    .filter((m) => m.data.streamState?.state === 'reconnecting')
    .at(-1)!;
  expect(told.data.streamState!.sinceMs).toBeGreaterThan(Date.now() - 60_000);

  server = await startServer({ port: server.port, dataDir, extra: ['--embed-origins', hostUrl] });
  await expect(app.getByTestId('stream-state')).toHaveAttribute('data-state', 'replay', {
    timeout: 20_000,
  });
  await expect(app.getByTestId('stream-banner')).toHaveCount(0);
  await expect.poll(() => heatmapOpacity(frame)).toBe(1);
  expect((await hostStates(page)).at(-1)).toBe('replay');
});

test('a recording is REPLAY, a paused live tenant PAUSED (not stale), and Go live is LIVE again', async ({
  page,
}) => {
  await page.goto(`${server.url}/`);
  await waitForFrames(page);
  await expect(page.getByTestId('stream-state')).toHaveAttribute('data-state', 'replay');
  await expect(page.getByTestId('stream-state')).toHaveText('REPLAY 1×');

  const token = issueToken(dataDir, 'live');
  await gotoSignedIn(page, `${server.url}/?tenant=live`, token);
  await waitForFrames(page);
  await expect(page.getByTestId('stream-state')).toHaveAttribute('data-state', 'live');
  await expect(page.getByTestId('stream-state')).toHaveText('LIVE');
  await page.getByTestId('play-pause').click();
  await expect(page.getByTestId('stream-state')).toHaveAttribute('data-state', 'paused');
  await page.waitForTimeout(2500);
  await expect(page.getByTestId('stream-state')).toHaveAttribute('data-state', 'paused');
  await expect(page.getByTestId('stream-banner')).toHaveCount(0);
  await page.getByRole('button', { name: 'Go live' }).click();
  await expect(page.getByTestId('stream-state')).toHaveAttribute('data-state', 'live');
  expect((await phaseViz(page)).streamState).toBe('live');
});

test('signing out on a private tenant clears its picture at once and stops retrying', async ({
  page,
}) => {
  const token = issueToken(dataDir, 'small');
  await gotoSignedIn(page, `${server.url}/?tenant=small`, token);
  await waitForFrames(page);
  await expect(page.getByTestId('heatmap')).toBeVisible();
  const before = refusals(server, 404);

  await page.getByTestId('sign-out').click();
  // No frame of it is left to draw, and the canvas that showed it is gone.
  await expect(page.getByTestId('heatmap')).toBeHidden({ timeout: 1000 });
  expect((await phaseViz(page)).spins).toBe(0);
  // A private tenant the caller may not read answers like one that does not exist
  // (docs/SECURITY.md): the state says so, and how to get it back.
  await expect(page.getByTestId('stream-state')).toHaveAttribute('data-state', 'not-found');
  await expect(page.getByTestId('stream-banner')).toContainText(
    'The server has no tenant “small” among those you may see: pick another tenant, or sign in with a token that grants it.',
  );
  // Refused once, and not asked again.
  const after = refusals(server, 404);
  expect(after).toBe(before + 1);
  await page.waitForTimeout(3000);
  expect(refusals(server, 404)).toBe(after);
  await expect(page.getByTestId('stream-state')).toHaveAttribute('data-state', 'not-found');

  // A token that does not grant it: refused the same way.
  await page.getByTestId('sign-in').click();
  await page.getByTestId('token-input').fill(issueToken(dataDir, 'live'));
  await page.getByTestId('token-input').press('Enter');
  await expect(page.getByTestId('stream-banner')).toContainText(
    'The server has no tenant “small” among those you may see',
    { timeout: 10_000 },
  );
});

test('an unknown tenant is NOT FOUND, once, with what to do', async ({ page }) => {
  const before = refusals(server, 404);
  await page.goto(`${server.url}/?tenant=no-such-tenant`);
  await expect(page.getByTestId('stream-state')).toHaveAttribute('data-state', 'not-found', {
    timeout: 15_000,
  });
  await expect(page.getByTestId('stream-banner')).toContainText(
    'The server has no tenant “no-such-tenant” among those you may see: pick another tenant, or sign in with a token that grants it.',
  );
  const after = refusals(server, 404);
  expect(after).toBe(before + 1);
  await page.waitForTimeout(3000);
  expect(refusals(server, 404)).toBe(after);

  // Picking another tenant recovers without a reload.
  await page.getByTestId('tenant-switcher').selectOption('demo');
  await expect(page.getByTestId('stream-state')).toHaveAttribute('data-state', 'replay', {
    timeout: 15_000,
  });
});
