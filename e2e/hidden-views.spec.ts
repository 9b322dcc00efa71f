// Only the visible view draws: the heatmap kept under the 3-D and tickets views issues no WebGL
// draw or upload there, the tickets view draws nothing at all, and coming back shows the current
// frame at once. WebGL calls are counted per canvas (by data-testid) in the page itself.
import { expect, test, type Page } from '@playwright/test';
import { phaseViz, waitForFrames } from './support';

type GlCalls = Record<string, number>;

/** Wraps the WebGL draw and texture-upload calls to count them per canvas, before the app loads. */
async function countGlCalls(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const calls: Record<string, number> = {};
    (window as unknown as { glCalls: Record<string, number> }).glCalls = calls;
    const names = [
      'drawArrays',
      'drawElements',
      'drawArraysInstanced',
      'drawElementsInstanced',
      'texImage2D',
      'texSubImage2D',
    ];
    for (const proto of [WebGLRenderingContext.prototype, WebGL2RenderingContext.prototype]) {
      const methods = proto as unknown as Record<string, (...args: unknown[]) => unknown>;
      for (const name of names) {
        const original = methods[name];
        if (typeof original !== 'function') continue;
        methods[name] = function (this: WebGLRenderingContext, ...args: unknown[]) {
          const canvas = this.canvas as HTMLCanvasElement;
          const id = canvas.dataset?.testid ?? 'other';
          calls[id] = (calls[id] ?? 0) + 1;
          return original.apply(this, args);
        };
      }
    }
  });
}

function glCalls(page: Page): Promise<GlCalls> {
  return page.evaluate(() => ({ ...(window as unknown as { glCalls: GlCalls }).glCalls }));
}

async function heatmapCalls(page: Page): Promise<number> {
  return (await glCalls(page)).heatmap ?? 0;
}

test('the heatmap draws nothing under the 3-D view and redraws at once on the way back', async ({
  page,
}) => {
  await countGlCalls(page);
  await page.goto('/');
  await waitForFrames(page);
  await expect(page.getByTestId('heatmap')).toHaveAttribute('data-render-mode', 'gpu');
  expect(await heatmapCalls(page)).toBeGreaterThan(0);
  // Paused, no new frame arrives: whatever draws later is a redraw of the frame on screen.
  await page.getByTestId('play-pause').click();
  await expect(page.getByTestId('play-pause')).toHaveText('Play');

  await page.getByTestId('view-3d').click();
  const canvas = page.getByTestId('spin-view-3d');
  await expect.poll(() => canvas.getAttribute('data-renders').then(Number)).toBeGreaterThan(0);
  const underneath = await heatmapCalls(page);
  await page.getByTestId('play-pause').click(); // frames flow again, to the 3-D view only
  await expect(page.getByTestId('play-pause')).toHaveText('Pause');
  await expect
    .poll(() => canvas.getAttribute('data-frames-drawn').then(Number), { timeout: 30_000 })
    .toBeGreaterThan(3);
  expect(await heatmapCalls(page)).toBe(underneath);
  expect((await glCalls(page))['spin-view-3d']).toBeGreaterThan(0);

  await page.getByTestId('play-pause').click();
  await expect(page.getByTestId('play-pause')).toHaveText('Play');
  const paused = await heatmapCalls(page);
  await page.getByTestId('view-heatmap').click();
  await expect(page.getByTestId('heatmap')).toBeVisible();
  await expect.poll(() => heatmapCalls(page)).toBeGreaterThan(paused);
});

test('the tickets view draws nothing, and frames passed over there are not dropped', async ({
  page,
}) => {
  await countGlCalls(page);
  await page.goto('/?view=tickets');
  await expect(page.getByTestId('tickets-view')).toBeVisible();
  await expect.poll(async () => (await phaseViz(page)).framesReceived).toBeGreaterThan(10);
  const before = await phaseViz(page);
  const callsBefore = await glCalls(page);
  await expect
    .poll(async () => (await phaseViz(page)).framesReceived)
    .toBeGreaterThan(before.framesReceived + 60);
  const after = await phaseViz(page);
  expect(await glCalls(page)).toEqual(callsBefore);
  expect(after.framesRendered).toBe(before.framesRendered);
  expect(after.framesDropped).toBe(before.framesDropped);
  // The animation loop keeps running (the HUD's FPS), it only has nothing to draw.
  expect(after.fps).toBeGreaterThan(0);

  await page.getByTestId('tickets-close').click();
  await expect(page.getByTestId('heatmap')).toBeVisible();
  await expect.poll(async () => (await phaseViz(page)).framesRendered).toBeGreaterThan(5);
  expect(await heatmapCalls(page)).toBeGreaterThan(callsBefore.heatmap ?? 0);
});
