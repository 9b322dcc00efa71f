// The phase metrics panel on the 12k replay: R and the vortex count are the worker's per-frame
// values for the frame shown (checked against the trace itself), they change over time, and the
// panel re-renders a few times a second, never per frame.
import { expect, test, type Page } from '@playwright/test';
import { orderParameter, vortexCount } from '../src/core/metrics';
import { openTraceFile } from '../src/server/trace-file';
import { waitForFrames } from './support';

const TRACE = 'traces/12k_spin_trace.bin';

interface Reading {
  frame: number;
  r: number;
  psiRad: number;
  vortices: number;
}

/** The panel's numbers, read in one go so that they belong to the same render. */
function readPanel(page: Page): Promise<Reading | null> {
  return page.evaluate(() => {
    const value = (id: string) => document.querySelector(`[data-testid="${id}"]`);
    const r = value('phase-r');
    if (!r) return null;
    return {
      frame: Number(value('phase-frame')!.textContent),
      r: Number(r.getAttribute('data-value')),
      psiRad: Number(value('phase-psi')!.getAttribute('data-value')),
      vortices: Number(value('phase-vortices')!.getAttribute('data-value')),
    };
  });
}

test('shows an empty state until the first frame', async ({ page }) => {
  // A tenant the server does not have: its stream is refused, so no frame ever arrives.
  await page.goto('/?tenant=nobody-here');
  await expect(page.getByTestId('phase-empty')).toHaveText('Waiting for frames…');
  await expect(page.getByTestId('phase-r')).toHaveCount(0);
});

test('shows R in [0, 1] and a vortex count that match the trace and change over time', async ({
  page,
}) => {
  await page.goto('/');
  await waitForFrames(page);
  await expect(page.getByTestId('phase-r')).toBeVisible();

  // The trace's vortex count changes only in its first ~100 frames, so read until the replay
  // has passed them (it loops every 20 s).
  const readings: Reading[] = [];
  const deadline = Date.now() + 40_000;
  while (Date.now() < deadline) {
    const reading = await readPanel(page);
    if (reading) readings.push(reading);
    if (readings.length >= 10 && new Set(readings.map((r) => r.vortices)).size > 1) break;
    await page.waitForTimeout(300);
  }
  console.log(`[phase-metrics] ${readings.length} readings: ${JSON.stringify(readings.slice(-5))}`);
  expect(readings.length).toBeGreaterThanOrEqual(10);

  const trace = openTraceFile(TRACE);
  try {
    for (const reading of readings) {
      expect(reading.r).toBeGreaterThanOrEqual(0);
      expect(reading.r).toBeLessThanOrEqual(1);
      expect(reading.psiRad).toBeGreaterThanOrEqual(0);
      expect(reading.psiRad).toBeLessThan(2 * Math.PI);
      expect(Number.isInteger(reading.vortices)).toBe(true);
      // The worker's figures for a frame are the core metrics of that frame of the trace.
      const phases = trace.readFrame(reading.frame);
      const { width, height } = trace.header;
      expect(reading.r, `R of frame ${reading.frame}`).toBeCloseTo(orderParameter(phases).r, 5);
      expect(reading.vortices, `vortices of frame ${reading.frame}`).toBe(
        vortexCount(phases, width, height).total,
      );
    }
  } finally {
    trace.close();
  }
  expect(new Set(readings.map((r) => r.frame)).size).toBeGreaterThan(5);
  expect(new Set(readings.map((r) => r.r.toFixed(4))).size).toBeGreaterThan(1);
  expect(new Set(readings.map((r) => r.vortices)).size).toBeGreaterThan(1);

  // The chart draws both series and marks the current frame.
  const panel = page.getByTestId('phase-metrics');
  await expect(panel.locator('.recharts-line-curve')).toHaveCount(2);
  await expect(panel.locator('.recharts-reference-line')).toHaveCount(1);
});

test('re-renders at most four times a second while frames arrive at 60 per second', async ({
  page,
}) => {
  await page.goto('/');
  await waitForFrames(page);
  await expect(page.getByTestId('phase-r')).toBeVisible();
  const panel = page.getByTestId('phase-metrics');
  const refreshesBefore = Number(await panel.getAttribute('data-refreshes'));
  const domUpdates = await page.evaluate(async () => {
    const element = document.querySelector('[data-testid="phase-metrics"]')!;
    let batches = 0;
    const observer = new MutationObserver(() => (batches += 1));
    observer.observe(element, {
      subtree: true,
      childList: true,
      attributes: true,
      characterData: true,
    });
    await new Promise((r) => setTimeout(r, 3000));
    observer.disconnect();
    return batches;
  });
  const refreshes = Number(await panel.getAttribute('data-refreshes')) - refreshesBefore;
  console.log(`[phase-metrics] ${refreshes} refreshes, ${domUpdates} DOM updates in 3 s`);
  // Four a second, plus one for where the timer falls; 180 frames arrived meanwhile.
  expect(refreshes).toBeGreaterThanOrEqual(6);
  expect(refreshes).toBeLessThanOrEqual(13);
  // Each refresh commits the numbers; every other one also the chart, rendered deferred (its own
  // commit) and settled by recharts in another: a few commits a refresh, never one per frame.
  expect(domUpdates).toBeLessThanOrEqual(3 * refreshes + 2);
});
