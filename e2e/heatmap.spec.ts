import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { colormapLut } from '../src/core/colormap';
import { writeTraceFile } from '../src/server/trace-file';
import {
  phaseViz,
  readCellColours,
  startServer,
  tempDir,
  waitForFrames,
  type RunningServer,
} from './support';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Half the display's 60 Hz: what the page holds with one of the machine's two cores taken. */
const LOADED_MACHINE_FPS = 30;

test.describe('12k replay', () => {
  // Behaviour, not the speed budget: the GPU renderer keeps drawing new frames at close to the
  // display's rate. The budget itself (>= 55 FPS median on this 2-core machine with software
  // WebGL) is a benchmark's, `npm run bench:e2e -- --spins 12000`, run on a quiet machine: with
  // other work on the cores (`npm run test:busy` pins a busy loop to one of the two) the same
  // page draws 44-55 frames a second, and a test must hold there. The bound below still fails a
  // renderer that falls back to the CPU or stalls (the old 3-D view drew 8 a second).
  test('draws new frames near the display rate (FPS) with the GPU renderer', async ({ page }) => {
    await page.goto('/');
    const first = await waitForFrames(page);
    expect(first.spins).toBe(12_000);
    await expect(page.getByTestId('heatmap')).toHaveAttribute('data-render-mode', 'gpu');
    expect(first.renderMode).toBe('gpu');

    await page.waitForTimeout(3000); // warm-up: shader compile, JIT, first layouts
    const before = await phaseViz(page);
    const samples: number[] = [];
    const frameTimes: number[] = [];
    for (let i = 0; i < 10; i++) {
      await page.waitForTimeout(1000);
      const viz = await phaseViz(page);
      samples.push(viz.fps);
      frameTimes.push(viz.frameTimeP95Ms);
    }
    const after = await phaseViz(page);
    const renderedPerSecond = (after.framesRendered - before.framesRendered) / 10;
    const result = {
      fpsMedian: median(samples),
      fpsWindows: samples,
      frameTimeP95MsMedian: median(frameTimes),
      renderedPerSecond,
      framesDropped: after.framesDropped,
      decodeMsP95: after.decodeMsP95,
      producedToDecodedMsP95: after.producedToDecodedMsP95,
      producedToPixelsMsP95: after.producedToPixelsMsP95,
      renderMode: after.renderMode,
    };
    console.log(`[fps] ${JSON.stringify(result)}`);
    test.info().annotations.push({ type: 'fps', description: JSON.stringify(result) });
    expect(after.renderMode).toBe('gpu');
    expect(result.fpsMedian).toBeGreaterThanOrEqual(LOADED_MACHINE_FPS);
    // The heatmap is really being redrawn with new frames, not only the page ticking.
    expect(renderedPerSecond).toBeGreaterThanOrEqual(LOADED_MACHINE_FPS);
  });

  test("follows a frame's way from production to the decoder and on to the screen", async ({
    page,
  }) => {
    await page.goto('/');
    await waitForFrames(page);
    // Both latencies need the clock offset, known after the first pongs (within a second).
    await expect
      .poll(async () => (await phaseViz(page)).producedToPixelsMsP95, { timeout: 30_000 })
      .not.toBeNull();
    await page.waitForTimeout(3000); // a window of frames measured with the offset known
    const viz = await phaseViz(page);
    console.log(
      `[latency] ${JSON.stringify({ producedToDecodedMsP95: viz.producedToDecodedMsP95, producedToPixelsMsP95: viz.producedToPixelsMsP95, frameTimeP95Ms: viz.frameTimeP95Ms })}`,
    );
    expect(viz.producedToDecodedMsP95).not.toBeNull();
    // On screen after it was produced: the next animation frame starts after the one that drew
    // it. (The two p95s are over different windows, frames received and frames drawn, so on a
    // busy machine that drops frames they need not be ordered; the unit tests time single
    // frames.)
    expect(viz.producedToPixelsMsP95!).toBeGreaterThan(0);
    expect(Number.isFinite(viz.producedToPixelsMsP95)).toBe(true);
    await page.getByTestId('panel-toggle-performance').click();
    const hud = page.getByTestId('hud');
    await expect(hud).toContainText('produced → pixels p95');
    await expect(hud).toContainText('produced → decoded p95');
  });

  test('draws on the CPU canvas when the GPU threshold is above the spin count', async ({
    page,
  }) => {
    await page.goto('/?gpuThreshold=20000');
    await waitForFrames(page);
    await expect(page.getByTestId('heatmap')).toHaveAttribute('data-render-mode', 'cpu');
    await expect(page.getByTestId('render-badge')).toHaveText('CPU');
    const before = await phaseViz(page);
    // It keeps drawing new frames there (as fast as a loaded machine lets it).
    await expect
      .poll(async () => (await phaseViz(page)).framesRendered, { timeout: 15_000 })
      .toBeGreaterThan(before.framesRendered + 20);
    expect((await phaseViz(page)).renderMode).toBe('cpu');
  });

  test('shows a notice for bad URL parameters and keeps streaming on defaults', async ({
    page,
  }) => {
    await page.goto('/?gpuThreshold=lots&colormap=jet&wat=1');
    const notices = page.getByTestId('notices');
    await expect(notices).toContainText('gpuThreshold="lots" is not valid');
    await expect(notices).toContainText('colormap="jet" is not valid');
    await expect(notices).toContainText('unknown parameter "wat" ignored');
    const viz = await waitForFrames(page);
    expect(viz.renderMode).toBe('gpu');
  });
});

test.describe('pixels', () => {
  const width = 40;
  const height = 30;
  // A distinct, pseudo-random phase per cell: any flip, transpose, smoothing or offset shows.
  const phaseAt = (x: number, y: number): number =>
    ((x * 7919 + y * 104729 + x * y * 31) * 2654435761) >>> 16;
  let server: RunningServer;

  test.beforeAll(async () => {
    const trace = path.join(tempDir('pixels'), 'pattern.bin');
    const frame = new Uint16Array(width * height);
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) frame[y * width + x] = phaseAt(x, y);
    await writeTraceFile(
      trace,
      { width, height, frameCount: 1, intervalUs: 16667, flags: 0, seed: 0n },
      () => frame,
    );
    server = await startServer({ trace });
  });
  test.afterAll(async () => server?.stop());

  test('both renderers draw the known frame in the colormap colours', async ({ page }) => {
    const lut = colormapLut('wheel');
    const cells: [number, number][] = [];
    for (let y = 0; y < height; y += 3) for (let x = 0; x < width; x += 3) cells.push([x, y]);
    cells.push([width - 1, height - 1], [width - 1, 0], [0, height - 1]);
    const expected = cells.map(([x, y]) => {
      const entry = phaseAt(x, y) >>> 8;
      return [lut[entry * 4]!, lut[entry * 4 + 1]!, lut[entry * 4 + 2]!];
    });

    const colours: Record<string, [number, number, number][]> = {};
    for (const mode of ['gpu', 'cpu'] as const) {
      await page.goto(`${server.url}/?renderer=${mode}`);
      await waitForFrames(page, 3);
      await expect(page.getByTestId('heatmap')).toHaveAttribute('data-render-mode', mode);
      colours[mode] = await readCellColours(page, { width, height }, cells);
      colours[mode]!.forEach((rgb, i) => {
        for (let c = 0; c < 3; c++) {
          expect(
            Math.abs(rgb[c]! - expected[i]![c]!),
            `${mode} cell ${cells[i]} channel ${c}`,
          ).toBeLessThanOrEqual(3);
        }
      });
    }
    colours.gpu!.forEach((rgb, i) => {
      for (let c = 0; c < 3; c++)
        expect(Math.abs(rgb[c]! - colours.cpu![i]![c]!)).toBeLessThanOrEqual(3);
    });
  });
});

test('plays a trace written by an independent writer from the format spec', async ({ page }) => {
  const trace = path.join(tempDir('independent'), 'independent.bin');
  execFileSync('python3', ['scripts/write_trace_independent.py', trace, '64', '48', '30']);
  const server = await startServer({ trace });
  try {
    await page.goto(`${server.url}/?renderer=cpu`);
    const viz = await waitForFrames(page, 10);
    expect(viz.width).toBe(64);
    expect(viz.height).toBe(48);
    expect(viz.frameIndex).toBeGreaterThanOrEqual(0);
    expect(viz.frameIndex).toBeLessThan(30);
  } finally {
    await server.stop();
  }
});

test('survives a server restart and resumes streaming', async ({ page }) => {
  const server = await startServer();
  const port = server.port;
  let restarted: RunningServer | undefined;
  try {
    await page.goto(`${server.url}/`);
    await waitForFrames(page);
    await server.stop();
    await expect(page.getByTestId('stream-state')).toHaveAttribute('data-state', 'reconnecting', {
      timeout: 10_000,
    });
    await expect.poll(async () => (await phaseViz(page)).connected).toBe(false);
    const beforeRestart = (await phaseViz(page)).framesReceived;
    restarted = await startServer({ port });
    await expect(page.getByTestId('stream-state')).toHaveAttribute('data-state', 'replay', {
      timeout: 20_000,
    });
    await expect
      .poll(async () => (await phaseViz(page)).framesReceived, { timeout: 20_000 })
      .toBeGreaterThan(beforeRestart + 30);
    expect((await phaseViz(page)).renderMode).toBe('gpu');
  } finally {
    await restarted?.stop();
    await server.stop();
  }
});
