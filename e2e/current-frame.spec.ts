// One current frame: the replay bar, the phase metrics, the hover readout, the performance panel
// and window.phaseViz all name the frame on screen, read at the same moment; the phase metrics
// follow the replay cursor on the recording's time axis; the timeline shows time and the A-B
// range; a tenant switch starts the counts again; a live source shows its wall clock.
import { expect, test, type Page } from '@playwright/test';
import { gotoSignedIn, issueToken, phaseViz, waitForFrames } from './support';

/** Every frame number on the screen, read in one go (one React commit shows them all). */
function frameNumbers(page: Page) {
  return page.evaluate(() => {
    const q = (id: string) => document.querySelector(`[data-testid="${id}"]`);
    const hud = [...document.querySelectorAll('[data-testid="hud"] dt')].find(
      (dt) => dt.textContent === 'frame on screen',
    );
    return {
      bar: Number(q('frame-counter')?.getAttribute('data-frame')),
      phase: Number(q('phase-frame')?.textContent),
      readout: Number(q('readout-frame')?.textContent),
      hud: Number(hud?.nextElementSibling?.textContent),
      viz: (window as unknown as { phaseViz: { frameOnScreen: number } }).phaseViz.frameOnScreen,
    };
  });
}

async function hoverHeatmap(page: Page): Promise<void> {
  const box = (await page.getByTestId('heatmap').boundingBox())!;
  await page.mouse.move(box.x + box.width / 3, box.y + box.height / 3);
  await expect(page.getByTestId('hover-readout')).toBeVisible();
}

test('every panel, the readout and the replay bar show the one frame on screen, paused and playing', async ({
  page,
}) => {
  await page.goto('/?frame=500');
  await waitForFrames(page, 1);
  await page.getByTestId('panel-toggle-performance').click();
  await hoverHeatmap(page);
  await expect.poll(async () => (await frameNumbers(page)).bar).toBe(500);
  expect(await frameNumbers(page)).toEqual({
    bar: 500,
    phase: 500,
    readout: 500,
    hud: 500,
    viz: 500,
  });
  // 500 frames of 16,667 us from the recording's start.
  await expect(page.getByTestId('frame-counter')).toHaveText('0:08.33 / 0:19.98');

  await page.getByTestId('play-pause').click();
  await expect(page.getByTestId('stream-state')).toHaveAttribute('data-state', 'replay');
  await hoverHeatmap(page);
  const seen = new Set<number>();
  for (let i = 0; i < 12; i++) {
    const n = await frameNumbers(page);
    // The numbers of one moment are one number, whatever the panel.
    expect(new Set([n.bar, n.phase, n.readout, n.hud]).size, JSON.stringify(n)).toBe(1);
    seen.add(n.bar);
    await page.waitForTimeout(200);
  }
  expect(seen.size).toBeGreaterThan(3);
});

test('the phase metrics follow the replay cursor on the recording time axis, not the wall clock', async ({
  page,
}) => {
  await page.goto('/?frame=300');
  await waitForFrames(page, 1);
  await expect(page.getByTestId('phase-frame')).toHaveText('300');
  const ticks = page.getByTestId('phase-metrics').locator('.recharts-xAxis-tick-labels text');
  await expect(ticks.first()).toHaveText(/^0:0\d\.\d\d$/);
  // Paused, nothing moves however long one waits.
  const before = await ticks.allTextContents();
  await page.waitForTimeout(1500);
  expect(await ticks.allTextContents()).toEqual(before);

  await page.getByTestId('timeline').fill('900');
  await expect(page.getByTestId('phase-frame')).toHaveText('900');
  // Around 900 frames (15.0 s) in.
  await expect(ticks.last()).toHaveText(/^0:1[45]\.\d\d$/);
  await expect(page.getByTestId('frame-counter')).toHaveText('0:15.00 / 0:19.98');
});

test('the A-B range is highlighted on the slider', async ({ page }) => {
  await page.goto('/?frame=100');
  await waitForFrames(page, 1);
  await page.getByTestId('set-a').click();
  await page.getByTestId('timeline').fill('700');
  await expect(page.getByTestId('frame-counter')).toHaveAttribute('data-frame', '700');
  await page.getByTestId('set-b').click();
  const ab = page.getByTestId('timeline-ab');
  await expect(ab).toBeVisible();
  const slider = (await page.getByTestId('timeline').boundingBox())!;
  const range = (await ab.boundingBox())!;
  // From 100/1199 to 700/1199 of the track, within a thumb's width.
  expect(Math.abs(range.x - (slider.x + (slider.width * 100) / 1199))).toBeLessThan(16);
  expect(Math.abs(range.width - (slider.width * 600) / 1199)).toBeLessThan(16);
});

test('a tenant switch starts the counts again, and a live source shows its wall clock', async ({
  page,
}) => {
  const token = issueToken('.data-e2e', 'small,live');
  await gotoSignedIn(page, '/', token);
  await waitForFrames(page, 120);
  const demo = await phaseViz(page);
  await page.getByTestId('tenant-switcher').selectOption('small');
  await expect.poll(async () => (await phaseViz(page)).tenant, { timeout: 15_000 }).toBe('small');
  const small = await phaseViz(page);
  expect(small.framesReceived).toBeLessThan(demo.framesReceived);
  expect(small.framesRendered).toBeLessThan(demo.framesRendered);

  await page.getByTestId('tenant-switcher').selectOption('live');
  await expect.poll(async () => (await phaseViz(page)).tenant, { timeout: 20_000 }).toBe('live');
  await waitForFrames(page, 5);
  await expect(page.getByTestId('frame-clock')).toHaveText(/^\d\d:\d\d:\d\d · frame \d+$/);
});
