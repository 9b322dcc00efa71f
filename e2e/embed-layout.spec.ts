// Embedded in a small IDE panel, the heatmap takes most of it: the panels wait in a drawer, the
// replay bar stays on one line, and the stream state stays in sight.
import { expect, test } from '@playwright/test';
import { waitForFrames } from './support';

for (const size of [
  { width: 480, height: 360 },
  { width: 800, height: 500 },
]) {
  test(`at ${size.width} x ${size.height} the heatmap takes most of the panel`, async ({
    page,
  }) => {
    await page.setViewportSize(size);
    await page.goto('/?embed=1');
    await waitForFrames(page);
    const heatmap = (await page.getByTestId('heatmap').boundingBox())!;
    // The lattice is 6:5; the panel is wider, so its height is what the heatmap can fill.
    expect(heatmap.height).toBeGreaterThanOrEqual(0.8 * size.height);
    expect(heatmap.width * heatmap.height).toBeGreaterThanOrEqual(0.55 * size.width * size.height);

    // One line of replay controls, inside the panel.
    const bar = (await page.getByTestId('replay-bar').boundingBox())!;
    expect(bar.height).toBeLessThan(32);
    expect(bar.y + bar.height).toBeLessThanOrEqual(size.height);
    expect(bar.x + bar.width).toBeLessThanOrEqual(size.width);
    await expect(page.getByTestId('play-pause')).toBeInViewport();

    // The stream state is in sight; the panels wait in the drawer.
    await expect(page.getByTestId('stream-state')).toBeInViewport();
    await expect(page.getByTestId('stream-state')).toHaveAttribute('data-state', 'replay');
    await expect(page.getByTestId('side-panels')).toBeHidden();
    await page.getByTestId('drawer-toggle').click();
    await expect(page.getByTestId('side-panels')).toBeVisible();
    await expect(page.getByTestId('mttr-panel')).toBeInViewport();
    await expect(page.getByTestId('drawer-toggle')).toHaveAttribute('aria-expanded', 'true');
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('side-panels')).toBeHidden();
  });
}

test('embedded as wide as a page, the panels are a side column again', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto('/?embed=1');
  await waitForFrames(page);
  await expect(page.getByTestId('side-panels')).toBeVisible();
  await expect(page.getByTestId('drawer-toggle')).toBeHidden();
});
