// Keyboard and legibility: Space presses the focused button instead of toggling play, every tab
// stop has a name (no chart internals), the heatmap takes focus and its arrow keys move a cell
// cursor that is outlined and read out, no text is below 12 px, and the H overlay leaves the
// stream state and the GPU badge in sight.
import { expect, test, type Page } from '@playwright/test';
import { waitForFrames } from './support';

test.use({ viewport: { width: 1440, height: 900 } });

test('Space on a focused button presses that button; elsewhere it plays and pauses', async ({
  page,
}) => {
  await page.goto('/');
  await waitForFrames(page);
  await page.getByTestId('panel-toggle-mttr').focus();
  await page.keyboard.press('Space');
  await expect(page.getByTestId('mttr-panel')).toHaveAttribute('data-collapsed', 'true');
  await page.waitForTimeout(300);
  await expect(page.getByTestId('stream-state')).toHaveAttribute('data-state', 'replay');

  await page.getByTestId('play-pause').focus();
  await page.keyboard.press('Space');
  await expect(page.getByTestId('stream-state')).toHaveAttribute('data-state', 'paused');
  await page.keyboard.press('Space');
  await expect(page.getByTestId('stream-state')).toHaveAttribute('data-state', 'replay');

  await page.locator('body').click({ position: { x: 700, y: 20 } });
  await page.keyboard.press('Space');
  await expect(page.getByTestId('stream-state')).toHaveAttribute('data-state', 'paused');
});

interface Stop {
  name: string;
  tag: string;
  inChart: boolean;
}

/** The accessible name a screen reader would announce, as far as the page's markup gives one. */
async function focusedStop(page: Page): Promise<Stop> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement;
    const labelled = el.getAttribute('aria-labelledby');
    const byLabel = (el as HTMLInputElement).labels?.[0]?.textContent;
    const name =
      el.getAttribute('aria-label') ??
      (labelled ? document.getElementById(labelled)?.textContent : null) ??
      byLabel ??
      el.getAttribute('title') ??
      el.textContent ??
      '';
    return {
      name: name.trim(),
      tag: el.tagName.toLowerCase(),
      inChart: el.closest('.recharts-wrapper') !== null,
    };
  });
}

test('every tab stop is named and none is inside a chart', async ({ page }) => {
  await page.goto('/');
  await waitForFrames(page);
  await expect(page.getByTestId('latency-chart')).toBeVisible({ timeout: 20_000 });
  await page.locator('body').click({ position: { x: 700, y: 20 } });
  const stops: Stop[] = [];
  for (let i = 0; i < 60; i++) {
    await page.keyboard.press('Tab');
    const stop = await focusedStop(page);
    if (stop.tag === 'body') break;
    stops.push(stop);
  }
  console.log(`[keyboard] ${stops.length} tab stops`);
  expect(stops.length).toBeGreaterThan(20);
  expect(stops.filter((s) => s.inChart)).toEqual([]);
  expect(stops.filter((s) => s.name === '')).toEqual([]);
  expect(stops.map((s) => s.tag)).toContain('canvas');
});

test('the focused heatmap moves a cell cursor with the arrows, reads it out and pins it with Enter', async ({
  page,
}) => {
  await page.goto('/?frame=250');
  await waitForFrames(page, 1);
  await page.getByTestId('heatmap').focus();
  const cursor = page.getByTestId('cell-cursor');
  await expect(cursor).toHaveAttribute('data-x', '60');
  await expect(cursor).toHaveAttribute('data-y', '50');
  for (const key of ['ArrowRight', 'ArrowRight', 'ArrowRight', 'ArrowDown', 'ArrowDown'])
    await page.keyboard.press(key);
  await expect(cursor).toHaveAttribute('data-x', '63');
  await expect(cursor).toHaveAttribute('data-y', '52');
  // The outline sits on that cell of the canvas.
  const canvas = (await page.getByTestId('heatmap').boundingBox())!;
  const box = (await cursor.boundingBox())!;
  expect(Math.abs(box.x - (canvas.x + (63 / 120) * canvas.width))).toBeLessThan(2);
  expect(Math.abs(box.y - (canvas.y + (52 / 100) * canvas.height))).toBeLessThan(2);
  await expect(page.getByTestId('readout-index')).toHaveText(String(52 * 120 + 63));
  // The arrows moved the cursor, not the replay.
  await expect(page.getByTestId('phase-frame')).toHaveText('250');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('pinned-panel')).toContainText(`Spin ${52 * 120 + 63}`);
});

/** Visible elements with their own text (HTML or SVG) smaller than 12 px. */
function smallText(page: Page) {
  return page.evaluate(() => {
    const small: string[] = [];
    for (const el of document.querySelectorAll<HTMLElement | SVGElement>('body *')) {
      const ownText = [...el.childNodes].some(
        (n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim() !== '',
      );
      if (!ownText) continue;
      const box = el.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) continue;
      const size = parseFloat(getComputedStyle(el).fontSize);
      if (size < 12) small.push(`${el.tagName} ${size}px "${el.textContent!.trim().slice(0, 30)}"`);
    }
    return small;
  });
}

test('no text is below 12 px, and the H overlay leaves the stream state and GPU badge in sight', async ({
  page,
}) => {
  await page.goto('/');
  await waitForFrames(page);
  await expect(page.getByTestId('latency-chart')).toBeVisible({ timeout: 20_000 });
  await page.getByTestId('panel-toggle-performance').click();
  await page.keyboard.press('h');
  await expect(page.getByTestId('hud-floating')).toBeVisible();
  expect(await smallText(page)).toEqual([]);

  const overlay = (await page.getByTestId('hud-floating').boundingBox())!;
  for (const id of ['stream-state', 'render-badge']) {
    const badge = (await page.getByTestId(id).boundingBox())!;
    const apart =
      badge.x + badge.width <= overlay.x ||
      overlay.x + overlay.width <= badge.x ||
      badge.y + badge.height <= overlay.y ||
      overlay.y + overlay.height <= badge.y;
    expect(apart, `${id} under the H overlay`).toBe(true);
  }
});
