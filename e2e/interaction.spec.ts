import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { colormapLut } from '../src/core/colormap';
import { writeTraceFile } from '../src/server/trace-file';
import {
  decodeScreenshot,
  startServer,
  tempDir,
  waitForFrames,
  type RunningServer,
} from './support';

const W = 40;
const H = 30;
// Distinct pseudo-random phases per cell, one frame: what is under the pointer is known exactly.
const phaseAt = (x: number, y: number): number =>
  ((x * 7919 + y * 104729 + x * y * 31) * 2654435761) >>> 16;
let server: RunningServer;
let rotating: RunningServer;

test.beforeAll(async () => {
  const dir = tempDir('interaction');
  const pattern = path.join(dir, 'pattern.bin');
  const frame = new Uint16Array(W * H);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) frame[y * W + x] = phaseAt(x, y);
  await writeTraceFile(
    pattern,
    { width: W, height: H, frameCount: 1, intervalUs: 16667, flags: 0, seed: 0n },
    () => frame,
  );
  // A plane wave whose every spin turns by the same step each frame.
  const wave = path.join(dir, 'rotating.bin');
  await writeTraceFile(
    wave,
    { width: W, height: H, frameCount: 120, intervalUs: 16667, flags: 0, seed: 0n },
    (k) => {
      const p = new Uint16Array(W * H);
      for (let y = 0; y < H; y++)
        for (let x = 0; x < W; x++) p[y * W + x] = (x * 300 + k * 1500) & 0xffff;
      return p;
    },
  );
  [server, rotating] = await Promise.all([
    startServer({ trace: pattern }),
    startServer({ trace: wave }),
  ]);
});
test.afterAll(async () => {
  await server?.stop();
  await rotating?.stop();
});

async function cellCentre(
  page: Page,
  x: number,
  y: number,
  window = { x0: 0, y0: 0, spanX: W, spanY: H },
) {
  const box = (await page.getByTestId('heatmap').boundingBox())!;
  return {
    x: box.x + ((x + 0.5 - window.x0) / window.spanX) * box.width,
    y: box.y + ((y + 0.5 - window.y0) / window.spanY) * box.height,
  };
}

async function pixelAt(page: Page, clientX: number, clientY: number): Promise<number[]> {
  const png = await page.screenshot({
    clip: { x: Math.floor(clientX), y: Math.floor(clientY), width: 1, height: 1 },
  });
  return (await decodeScreenshot(page, png)).at(0, 0);
}

const colourOf = (q: number): number[] => {
  const lut = colormapLut('wheel');
  const e = q >>> 8;
  return [lut[e * 4]!, lut[e * 4 + 1]!, lut[e * 4 + 2]!];
};

test('the hover readout gives the exact phase of the cell under the pointer', async ({ page }) => {
  await page.goto(`${server.url}/`);
  await waitForFrames(page, 2);
  for (const [x, y] of [
    [7, 5],
    [0, 0],
    [39, 29],
  ] as const) {
    const at = await cellCentre(page, x, y);
    await page.mouse.move(at.x, at.y);
    const q = phaseAt(x, y);
    await expect(page.getByTestId('readout-index')).toHaveText(String(y * W + x));
    await expect(page.getByTestId('readout-q')).toHaveText(String(q));
    await expect(page.getByTestId('readout-rad')).toHaveText(
      ((q * 2 * Math.PI) / 65536).toFixed(4),
    );
    await expect(page.getByTestId('readout-deg')).toHaveText(((q * 360) / 65536).toFixed(2));
  }
});

for (const renderer of ['gpu', 'cpu'] as const) {
  test(`a zoomed URL shows the right cells on the ${renderer} renderer`, async ({ page }) => {
    await page.goto(`${server.url}/?renderer=${renderer}&zoom=4,20,15`);
    await waitForFrames(page, 2);
    await expect(page.getByTestId('heatmap')).toHaveAttribute('data-render-mode', renderer);
    // Zoom 4 about (20, 15): 10 x 7.5 cells from (15, 11.25).
    const window = { x0: 15, y0: 11.25, spanX: 10, spanY: 7.5 };
    for (const [x, y] of [
      [15, 12],
      [20, 15],
      [24, 17],
    ] as const) {
      const at = await cellCentre(page, x, y, window);
      const rgb = await pixelAt(page, at.x, at.y);
      const expected = colourOf(phaseAt(x, y));
      rgb.forEach((c, i) =>
        expect(Math.abs(c - expected[i]!), `cell ${x},${y}`).toBeLessThanOrEqual(3),
      );
      await page.mouse.move(at.x, at.y);
      await expect(page.getByTestId('readout-index')).toHaveText(String(y * W + x));
    }
    expect(new URL(page.url()).searchParams.get('zoom')).toBe('4,20,15');
  });
}

test('a click pins a spin and charts its phase; wheel and keys zoom', async ({ page }) => {
  await page.goto(`${rotating.url}/`);
  await waitForFrames(page, 2);
  const at = await cellCentre(page, 3, 4);
  await page.mouse.click(at.x, at.y);
  await expect(page.getByTestId('pinned-panel')).toContainText(`Spin ${4 * W + 3}`);
  await expect(page.getByTestId('pinned-panel')).toContainText('rad at frame');
  await page.mouse.move(at.x, at.y);
  await page.mouse.wheel(0, -500);
  await expect.poll(() => new URL(page.url()).searchParams.get('zoom')).not.toBeNull();
  await page.getByTestId('reset-view').click();
  await expect.poll(() => new URL(page.url()).searchParams.get('zoom')).toBeNull();
  await page.keyboard.press('+');
  await expect.poll(() => new URL(page.url()).searchParams.get('zoom')).toMatch(/^1\.25,/);
});

test('relative mode makes a uniformly rotating lattice stand still', async ({ page }) => {
  const sample = async () => {
    const colours: number[][] = [];
    for (const x of [2, 11, 25, 33]) {
      const at = await cellCentre(page, x, 10);
      colours.push(await pixelAt(page, at.x, at.y));
    }
    return colours;
  };
  const change = (a: number[][], b: number[][]) =>
    Math.max(...a.flatMap((rgb, i) => rgb.map((c, k) => Math.abs(c - b[i]![k]!))));
  await page.goto(`${rotating.url}/?renderer=cpu`);
  await waitForFrames(page, 5);
  const absoluteA = await sample();
  await page.waitForTimeout(400);
  const absoluteB = await sample();
  expect(change(absoluteA, absoluteB)).toBeGreaterThan(20);

  await page.getByTestId('relative').check();
  await expect.poll(() => new URL(page.url()).searchParams.get('relative')).toBe('1');
  await page.waitForTimeout(200);
  const relativeA = await sample();
  await page.waitForTimeout(400);
  const relativeB = await sample();
  // Still up to one colormap entry (psi is rounded to a u16 step).
  expect(change(relativeA, relativeB)).toBeLessThanOrEqual(8);
});
