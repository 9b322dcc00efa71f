// The panels at 1440 x 900 and their tools: MTTR, latency and bandwidth show without scrolling;
// any panel collapses, moves, fills the window and exports its data as CSV, the arrangement kept
// by the browser; the heatmap exports a PNG at lattice resolution, and "copy link" reopens exactly
// the view on screen.
import { readFileSync } from 'node:fs';
import { expect, test, type Download, type Page } from '@playwright/test';
import { colormapLut } from '../src/core/colormap';
import { openTraceFile } from '../src/server/trace-file';
import { decodeScreenshot, phaseViz, waitForFrames } from './support';

test.use({ viewport: { width: 1440, height: 900 } });

const order = (page: Page): Promise<string[]> =>
  page
    .getByTestId('side-panels')
    .locator('[data-panel]')
    .evaluateAll((els) => els.map((el) => el.getAttribute('data-panel')!));

async function downloaded(page: Page, click: () => Promise<void>): Promise<Download> {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  return download;
}

test('MTTR, latency and bandwidth show at 1440 x 900 without scrolling', async ({ page }) => {
  await page.goto('/');
  await waitForFrames(page);
  for (const id of ['mttr-panel', 'latency-panel', 'bandwidth-panel']) {
    const box = (await page.getByTestId(id).boundingBox())!;
    expect(box.y, id).toBeGreaterThanOrEqual(0);
    expect(box.y + box.height, `${id} bottom`).toBeLessThanOrEqual(900);
  }
  await expect(page.getByTestId('latency-p95')).toBeInViewport();
  await expect(page.getByTestId('dollars-per-day')).toBeInViewport();
  expect(await page.getByTestId('side-panels').evaluate((el) => el.scrollTop)).toBe(0);
  expect(await page.evaluate(() => document.documentElement.scrollHeight)).toBeLessThanOrEqual(900);
});

test('panels collapse and move, and the browser keeps the arrangement; a broken one is replaced', async ({
  page,
}) => {
  await page.goto('/');
  await waitForFrames(page);
  expect((await order(page)).slice(0, 3)).toEqual(['mttr', 'latency', 'bandwidth']);
  await page.getByRole('button', { name: 'Move Tenant latency up' }).click();
  await page.getByTestId('panel-toggle-bandwidth').click();
  await expect(page.getByTestId('bandwidth-panel')).toHaveAttribute('data-collapsed', 'true');
  await expect(page.getByTestId('dollars-per-day')).toHaveCount(0);
  expect((await order(page)).slice(0, 3)).toEqual(['latency', 'mttr', 'bandwidth']);

  await page.reload();
  await waitForFrames(page);
  expect((await order(page)).slice(0, 3)).toEqual(['latency', 'mttr', 'bandwidth']);
  await expect(page.getByTestId('bandwidth-panel')).toHaveAttribute('data-collapsed', 'true');
  await expect(page.getByTestId('panel-toggle-bandwidth')).toHaveAttribute(
    'aria-expanded',
    'false',
  );

  // Whatever a browser stored that this version cannot read, the default arrangement comes back.
  await page.evaluate(() => localStorage.setItem('phase-console.panels.v1', '{"order": 7'));
  await page.reload();
  await waitForFrames(page);
  expect((await order(page)).slice(0, 3)).toEqual(['mttr', 'latency', 'bandwidth']);
  await expect(page.getByTestId('bandwidth-panel')).toHaveAttribute('data-collapsed', 'false');
});

test('any panel fills the window and comes back with Escape', async ({ page }) => {
  await page.goto('/');
  await waitForFrames(page);
  const panel = page.getByTestId('latency-panel');
  const chartBefore = (await page.getByTestId('latency-chart').boundingBox())!;
  await page.getByTestId('panel-fullscreen-latency').click();
  const box = (await panel.boundingBox())!;
  expect(box.width).toBeGreaterThan(1400);
  expect(box.height).toBeGreaterThan(850);
  const chartAfter = (await page.getByTestId('latency-chart').boundingBox())!;
  expect(chartAfter.height).toBeGreaterThan(3 * chartBefore.height);
  await page.keyboard.press('Escape');
  expect((await panel.boundingBox())!.width).toBeLessThan(400);
});

test('every panel exports its data as CSV', async ({ page }) => {
  await page.goto('/');
  await waitForFrames(page, 60);
  await expect(page.getByTestId('latency-p95')).toBeVisible({ timeout: 20_000 });
  const expected: Record<string, string> = {
    latency: 'time,p95_ms,samples,window_p95_ms,slo_ms',
    bandwidth: 'time,sent_bytes_per_s,saved_bytes_per_s,raw_u16_bytes_per_s',
    mttr: 'severity,window,resolved,median_s,mean_s,p90_s,auto,person,open_now',
    'phase-metrics': 'frame,recording_s,produced_at,order_r,psi_rad,vortices',
    display: 'setting,value',
    performance: 'figure,value',
  };
  for (const [id, header] of Object.entries(expected)) {
    const file = await downloaded(page, () => page.getByTestId(`panel-csv-${id}`).click());
    expect(file.suggestedFilename()).toMatch(new RegExp(`^phase-console-demo-${id}-.*\\.csv$`));
    const lines = readFileSync(await file.path(), 'utf8')
      .trim()
      .split('\r\n');
    expect(lines[0], id).toBe(header);
    expect(lines.length, `${id} rows`).toBeGreaterThan(1);
  }
});

test('the heatmap exports the frame on screen as a PNG, one pixel a spin', async ({ page }) => {
  await page.goto('/?frame=250&colormap=twilight');
  await waitForFrames(page, 1);
  await expect.poll(async () => (await phaseViz(page)).frameOnScreen).toBe(250);
  const file = await downloaded(page, () => page.getByTestId('export-png').click());
  expect(file.suggestedFilename()).toMatch(/^phase-console-demo-frame-250-.*\.png$/);
  const image = await decodeScreenshot(page, readFileSync(await file.path()));
  expect([image.width, image.height]).toEqual([120, 100]);
  const trace = openTraceFile('traces/12k_spin_trace.bin');
  const phases = trace.readFrame(250);
  trace.close();
  const lut = colormapLut('twilight');
  for (const [x, y] of [
    [0, 0],
    [37, 61],
    [119, 99],
    [80, 12],
  ] as const) {
    const entry = phases[y * 120 + x]! >>> 8;
    expect(image.at(x, y), `cell ${x},${y}`).toEqual([
      lut[entry * 4]!,
      lut[entry * 4 + 1]!,
      lut[entry * 4 + 2]!,
    ]);
  }
});

test('"copy link" gives the exact view: the frame on screen, the colormap, the zoom', async ({
  page,
  context,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto('/?colormap=ember&zoom=2,40,30');
  await waitForFrames(page);
  await page.getByTestId('play-pause').click();
  await expect(page.getByTestId('stream-state')).toHaveAttribute('data-state', 'paused');
  const frame = (await phaseViz(page)).frameOnScreen;
  await page.getByTestId('copy-link').click();
  await expect(page.getByTestId('stage-told')).toHaveText('Link copied');
  const url = new URL(await page.evaluate(() => navigator.clipboard.readText()));
  expect(url.searchParams.get('frame')).toBe(String(frame));
  expect(url.searchParams.get('colormap')).toBe('ember');
  expect(url.searchParams.get('zoom')).toBe('2,40,30');

  const other = await context.newPage();
  await other.goto(url.toString());
  await waitForFrames(other, 1);
  await expect.poll(async () => (await phaseViz(other)).frameOnScreen).toBe(frame);
  await expect(other.getByTestId('stream-state')).toHaveAttribute('data-state', 'paused');
  await expect(other.getByTestId('colormap')).toHaveValue('ember');
});
