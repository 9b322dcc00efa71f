// The 3-D spin view: loaded only when opened (three.js never reaches the first screen), draws
// arrows, follows the URL, survives orbiting and closing. Runs on software WebGL here, where the
// view is slow by design: the checks wait for renders rather than assuming a frame rate.
import path from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { colormapLut } from '../src/core/colormap';
import { writeTraceFile } from '../src/server/trace-file';
import {
  decodeScreenshot,
  phaseViz,
  startServer,
  tempDir,
  waitForFrames,
  type Rgba,
} from './support';

const THREE_MARKER = '__THREE__';

/** Distinct RGB colours in a screenshot of `locator` (sampled on a grid, alpha ignored). */
async function distinctColours(page: Page, locator: Locator): Promise<number> {
  const { data } = await decodeScreenshot(page, await locator.screenshot());
  const seen = new Set<number>();
  for (let i = 0; i < data.length; i += 4 * 7)
    seen.add((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!);
  return seen.size;
}

function rendersOf(canvas: Locator): Promise<number> {
  return canvas.getAttribute('data-renders').then((v) => Number(v ?? 0));
}

async function waitForRenders(canvas: Locator, atLeast: number): Promise<number> {
  await expect.poll(() => rendersOf(canvas), { timeout: 30_000 }).toBeGreaterThanOrEqual(atLeast);
  return rendersOf(canvas);
}

test('the first screen never loads three.js; opening the 3-D view loads it and draws arrows', async ({
  page,
  request,
}) => {
  const scripts: string[] = [];
  page.on('request', (r) => {
    if (r.resourceType() === 'script' || r.url().endsWith('.js')) scripts.push(r.url());
  });
  await page.goto('/');
  await waitForFrames(page);
  await expect(page.getByTestId('heatmap')).toBeVisible();
  await expect(page.getByTestId('view-heatmap')).toHaveAttribute('aria-pressed', 'true');
  await page.waitForTimeout(1000); // anything loaded late (idle prefetch) would show up here
  const firstScreen = [...scripts];
  expect(firstScreen.length).toBeGreaterThan(0);
  for (const url of firstScreen) {
    const text = await (await request.get(url)).text();
    expect(text.includes(THREE_MARKER), `${url} holds three.js`).toBe(false);
  }

  await page.getByTestId('view-3d').click();
  const canvas = page.getByTestId('spin-view-3d');
  await expect(canvas).toBeVisible();
  await expect(page.getByTestId('heatmap')).toBeHidden();
  expect(new URL(page.url()).searchParams.get('view')).toBe('3d');
  await expect.poll(() => canvas.getAttribute('data-frames-drawn').then(Number)).toBeGreaterThan(0);

  const opened = scripts.filter((url) => !firstScreen.includes(url));
  expect(opened.length, 'opening the 3-D view fetches its chunk').toBeGreaterThan(0);
  const threeChunks: string[] = [];
  for (const url of opened) {
    if ((await (await request.get(url)).text()).includes(THREE_MARKER)) threeChunks.push(url);
  }
  console.log(
    `[spin-view] first screen ${JSON.stringify(firstScreen)}, 3-D ${JSON.stringify(opened)}`,
  );
  expect(threeChunks.length, 'three.js arrives with the 3-D view').toBeGreaterThan(0);
  expect(firstScreen.some((url) => threeChunks.includes(url))).toBe(false);

  // Every spin has an arrow, or (when draws are slow, as on software WebGL) every stride-th spin.
  const stride = Number(await canvas.getAttribute('data-stride'));
  expect(stride).toBeGreaterThanOrEqual(1);
  expect(Number(await canvas.getAttribute('data-arrows'))).toBe(
    Math.ceil(120 / stride) * Math.ceil(100 / stride),
  );
  // Arrows in many colormap colours over the background: not blank, not one flat colour.
  expect(await distinctColours(page, canvas)).toBeGreaterThan(20);
});

test('?view=3d reopens the 3-D view, which survives orbiting and closing', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/?view=3d');
  await expect(page.getByTestId('view-3d')).toHaveAttribute('aria-pressed', 'true');
  const canvas = page.getByTestId('spin-view-3d');
  await expect(canvas).toBeVisible();
  await waitForFrames(page); // frames the 3-D view drew (the heatmap underneath draws none)
  await waitForRenders(canvas, 3);

  // Orbit: drag across the canvas. The camera moves, so the picture changes.
  const before = await canvas.screenshot();
  const box = (await canvas.boundingBox())!;
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  const rendersBeforeDrag = await rendersOf(canvas);
  await page.mouse.move(cx, cy);
  await page.mouse.down();
  for (let i = 1; i <= 10; i++) await page.mouse.move(cx + i * 20, cy + i * 8);
  await page.mouse.up();
  await waitForRenders(canvas, rendersBeforeDrag + 2);
  const after = await canvas.screenshot();
  expect(after.equals(before)).toBe(false);
  expect(await distinctColours(page, canvas)).toBeGreaterThan(20);

  // The page stays responsive while the 3-D view draws (software WebGL is slow, never frozen).
  const started = Date.now();
  await page.evaluate(() => 1);
  expect(Date.now() - started).toBeLessThan(1000);

  // Close: back to the heatmap, which is drawing again; the URL forgets the view.
  const renderedBefore = (await phaseViz(page)).framesRendered;
  await page.getByTestId('view-heatmap').click();
  await expect(page.getByTestId('spin-view-3d')).toHaveCount(0);
  await expect(page.getByTestId('heatmap')).toBeVisible();
  expect(new URL(page.url()).searchParams.has('view')).toBe(false);
  await expect
    .poll(async () => (await phaseViz(page)).framesRendered)
    .toBeGreaterThan(renderedBefore + 10);

  // Open again: a fresh canvas and context, drawing again.
  await page.getByTestId('view-3d').click();
  await waitForRenders(page.getByTestId('spin-view-3d'), 2);
  expect(errors).toEqual([]);
});

test('a 65,536-spin lattice in the 3-D view never freezes the page', async ({ page }) => {
  const width = 256;
  const height = 256;
  const trace = path.join(tempDir('spin-view-65k'), 'vortex.bin');
  await writeTraceFile(
    trace,
    { width, height, frameCount: 60, intervalUs: 16667, flags: 0, seed: 0n },
    (frame) => {
      const phases = new Uint16Array(width * height);
      for (let y = 0; y < height; y++)
        for (let x = 0; x < width; x++)
          phases[y * width + x] =
            ((Math.atan2(y - 128, x - 128) / (2 * Math.PI)) * 65536 + frame * 700) & 0xffff;
      return phases;
    },
  );
  const server = await startServer({ trace });
  try {
    await page.goto(`${server.url}/?view=3d`);
    await waitForFrames(page);
    const canvas = page.getByTestId('spin-view-3d');
    await waitForRenders(canvas, 5);
    await page.waitForTimeout(3000); // shader compile and the first full-detail draws
    // The longest a 10 ms timer waits and the page's frame rate, while the view keeps drawing.
    const rendersBefore = await rendersOf(canvas);
    const probe = await page.evaluate(async () => {
      let maxLateMs = 0;
      const endMs = performance.now() + 5000;
      while (performance.now() < endMs) {
        const startMs = performance.now();
        await new Promise((resolve) => setTimeout(resolve, 10));
        maxLateMs = Math.max(maxLateMs, performance.now() - startMs - 10);
      }
      return { maxLateMs, fps: (window as unknown as { phaseViz: { fps: number } }).phaseViz.fps };
    });
    const stats = await canvas.evaluate((e) => ({ ...(e as HTMLElement).dataset }));
    console.log(`[spin-view] 65k: ${JSON.stringify({ ...probe, ...stats })}`);
    expect(probe.maxLateMs).toBeLessThan(500);
    expect(probe.fps).toBeGreaterThanOrEqual(10);
    expect(await rendersOf(canvas)).toBeGreaterThan(rendersBefore + 2);
  } finally {
    await server.stop();
  }
});

/** Where the pixels of one colour lie: their bounding box's centre and their counts per row and column. */
function pixelsOf(image: Rgba, rgb: ArrayLike<number>) {
  const rows = new Array<number>(image.height).fill(0);
  const cols = new Array<number>(image.width).fill(0);
  let count = 0;
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      const [r, g, b] = image.at(x, y);
      if (r !== rgb[0] || g !== rgb[1] || b !== rgb[2]) continue;
      rows[y]! += 1;
      cols[x]! += 1;
      count += 1;
    }
  }
  const span = (counts: number[]) => {
    const first = counts.findIndex((n) => n > 0);
    const last = counts.length - 1 - [...counts].reverse().findIndex((n) => n > 0);
    return { centre: (first + last) / 2, widest: counts.indexOf(Math.max(...counts)) };
  };
  return { count, x: span(cols), y: span(rows) };
}

test('each arrow sits on its spin, points along its phase and has its colormap colour', async ({
  page,
}) => {
  // 2 x 2 spins, row 0 on top: a quarter turn apart, counter-clockwise from +x (right).
  const phasesQ = [0, 16384, 32768, 49152];
  const trace = path.join(tempDir('spin-view-arrows'), 'arrows.bin');
  await writeTraceFile(
    trace,
    { width: 2, height: 2, frameCount: 4, intervalUs: 16667, flags: 0, seed: 0n },
    () => Uint16Array.from(phasesQ),
  );
  const server = await startServer({ trace });
  try {
    await page.goto(`${server.url}/?view=3d&frame=0&colormap=wheel`);
    const canvas = page.getByTestId('spin-view-3d');
    await expect
      .poll(() => canvas.getAttribute('data-frames-drawn').then(Number))
      .toBeGreaterThan(0);
    const image = await decodeScreenshot(page, await canvas.screenshot());
    const lut = colormapLut('wheel');
    const [cx, cy] = [image.width / 2, image.height / 2];
    // Per spin: the side of the picture's centre it lies on (the lattice is centred), and the
    // direction its arrow points on screen (y down). An arrow's widest part is its head's base,
    // on the side it points to.
    const expected = [
      { left: true, top: true, dx: 1, dy: 0 },
      { left: false, top: true, dx: 0, dy: -1 },
      { left: true, top: false, dx: -1, dy: 0 },
      { left: false, top: false, dx: 0, dy: 1 },
    ];
    let arrowPixels = 0;
    phasesQ.forEach((q, i) => {
      const e = (q >> 8) * 4;
      const arrow = pixelsOf(image, lut.subarray(e, e + 3));
      const want = expected[i]!;
      expect(arrow.count, `arrow ${i}`).toBeGreaterThan(100);
      arrowPixels += arrow.count;
      expect(arrow.x.centre < cx, `arrow ${i} left`).toBe(want.left);
      expect(arrow.y.centre < cy, `arrow ${i} top`).toBe(want.top);
      if (want.dx !== 0)
        expect(Math.sign(arrow.x.widest - arrow.x.centre), `arrow ${i}`).toBe(want.dx);
      if (want.dy !== 0)
        expect(Math.sign(arrow.y.widest - arrow.y.centre), `arrow ${i}`).toBe(want.dy);
    });
    // Nearly every other pixel is the background behind the transparent canvas: the rest are
    // arrow edges blended with it where the page scales the canvas by a fraction of a pixel (the
    // exact colours of every drawn pixel are checked by npm run bench:render3d, from the GPU).
    const colours = new Map<number, number>();
    for (let i = 0; i < image.data.length; i += 4) {
      const key = (image.data[i]! << 16) | (image.data[i + 1]! << 8) | image.data[i + 2]!;
      colours.set(key, (colours.get(key) ?? 0) + 1);
    }
    const others = image.width * image.height - Math.max(...colours.values()) - arrowPixels;
    expect(others).toBeLessThan(arrowPixels * 0.1);
  } finally {
    await server.stop();
  }
});
