import { expect, test, type Page } from '@playwright/test';
import { colormapLut } from '../src/core/colormap';
import { openTraceFile } from '../src/server/trace-file';
import { phaseViz, readCellColours, waitForFrames, type PhaseViz } from './support';

const TRACE = 'traces/12k_spin_trace.bin';

async function frameIndex(page: Page): Promise<number> {
  return (await phaseViz(page)).frameIndex;
}

async function expectFrameOnScreen(page: Page, frame: number): Promise<void> {
  const trace = openTraceFile(TRACE);
  const phases = trace.readFrame(frame);
  const { width, height } = trace.header;
  trace.close();
  const lut = colormapLut('wheel');
  const cells: [number, number][] = [];
  for (let y = 1; y < height; y += 9) for (let x = 2; x < width; x += 11) cells.push([x, y]);
  const colours = await readCellColours(page, { width, height }, cells);
  let mismatches = 0;
  colours.forEach((rgb, i) => {
    const [x, y] = cells[i]!;
    const entry = phases[y * width + x]! >>> 8;
    const expected = [lut[entry * 4]!, lut[entry * 4 + 1]!, lut[entry * 4 + 2]!];
    if (rgb.some((c, k) => Math.abs(c - expected[k]!) > 3)) mismatches += 1;
  });
  expect(mismatches, `cells not matching frame ${frame}`).toBe(0);
}

test('a URL with a frame opens paused on that frame, and the heatmap shows exactly its pixels', async ({
  page,
}) => {
  await page.goto('/?frame=250');
  await waitForFrames(page, 1);
  await expect.poll(() => frameIndex(page)).toBe(250);
  await expect(page.getByTestId('play-pause')).toHaveText('Play');
  await page.waitForTimeout(300);
  expect(await frameIndex(page)).toBe(250);
  await expectFrameOnScreen(page, 250);
});

test('scrubbing, stepping, speed and A-B loop behave', async ({ page }) => {
  await page.goto('/');
  await waitForFrames(page);
  await page.getByTestId('play-pause').click();
  await expect(page.getByTestId('play-pause')).toHaveText('Play');

  await page.getByTestId('timeline').fill('600');
  await expect.poll(() => frameIndex(page)).toBe(600);
  await expectFrameOnScreen(page, 600);

  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('ArrowRight');
  await expect.poll(() => frameIndex(page)).toBe(601);
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  await expect.poll(() => frameIndex(page)).toBe(599);

  await page.getByTestId('speed').selectOption('4');
  await page.getByTestId('play-pause').click();
  // Frames per second of page time, each reading timed in the page: a busy test runner's own
  // delays do not count.
  const reading = () =>
    page.evaluate(() => ({
      frame: (window as unknown as { phaseViz: PhaseViz }).phaseViz.frameIndex,
      atMs: performance.now(),
    }));
  const first = await reading();
  await page.waitForTimeout(1000);
  const last = await reading();
  const framesPerSecond = (last.frame - first.frame) / ((last.atMs - first.atMs) / 1000);
  expect(framesPerSecond).toBeGreaterThan(180); // 4 x 60 = 240
  expect(framesPerSecond).toBeLessThan(300);

  await page.getByTestId('speed').selectOption('1');
  await page.getByTestId('play-pause').click();
  await page.getByTestId('timeline').fill('100');
  await expect.poll(() => frameIndex(page)).toBe(100);
  await page.getByTestId('set-a').click();
  await page.getByTestId('timeline').fill('130');
  await expect.poll(() => frameIndex(page)).toBe(130);
  await page.getByTestId('set-b').click();
  await expect(page.getByTestId('ab-range')).toContainText('100–130');
  await page.getByTestId('play-pause').click();
  // Read the frame index on every animation frame for 1.5 s (about three passes through the
  // 31-frame loop): sampling every 100 ms could alias with the loop's period.
  const seen = await page.evaluate(
    () =>
      new Promise<number[]>((resolve) => {
        const indices: number[] = [];
        const endMs = performance.now() + 1500;
        const sample = (nowMs: number) => {
          indices.push((window as unknown as { phaseViz: PhaseViz }).phaseViz.frameIndex);
          if (nowMs < endMs) requestAnimationFrame(sample);
          else resolve(indices);
        };
        requestAnimationFrame(sample);
      }),
  );
  expect(Math.min(...seen)).toBeGreaterThanOrEqual(100);
  expect(Math.max(...seen)).toBeLessThanOrEqual(130);
  expect(new Set(seen).size).toBeGreaterThan(15);
  // It loops: at least once the index jumps back from the end of the range to its start.
  const wraps = seen.filter((k, i) => i > 0 && k < seen[i - 1]! - 15).length;
  expect(wraps).toBeGreaterThanOrEqual(1);
});

test('a copied URL reopens the same view', async ({ page, context }) => {
  await page.goto('/?colormap=twilight');
  await waitForFrames(page);
  await page.getByTestId('play-pause').click();
  await page.getByTestId('timeline').fill('321');
  await page.getByTestId('speed').selectOption('2');
  await expect.poll(() => new URL(page.url()).searchParams.get('frame')).toBe('321');
  await expect.poll(() => new URL(page.url()).searchParams.get('speed')).toBe('2');
  const url = page.url();
  expect(new URL(url).searchParams.get('colormap')).toBe('twilight');

  await page.close();
  const other = await context.newPage();
  await other.goto(url);
  await waitForFrames(other, 1);
  await expect.poll(() => frameIndex(other)).toBe(321);
  await expect(other.getByTestId('speed')).toHaveValue('2');
  await expect(other.getByTestId('play-pause')).toHaveText('Play');
});

test('a frame past the end opens on the last frame, with a notice that says so', async ({
  page,
}) => {
  // It used to be a seek the server ignored; the page now knows the recording's length.
  await page.goto('/?frame=999999');
  await waitForFrames(page, 1);
  await expect(page.getByTestId('notices')).toContainText(
    'frame=999999 is past the end of the recording (frames 0 to 1199); opened on the last frame, 1199',
  );
  await expect.poll(() => frameIndex(page)).toBe(1199);
  await expect(page.getByTestId('play-pause')).toHaveText('Play');
  expect((await phaseViz(page)).connected).toBe(true);
});
