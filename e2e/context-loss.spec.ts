import { expect, test } from '@playwright/test';
import { phaseViz, waitForFrames } from './support';

test('WebGL context loss falls back to the CPU canvas at once and returns to the GPU on restore', async ({
  page,
}) => {
  await page.goto('/');
  await waitForFrames(page);
  await expect(page.getByTestId('heatmap')).toHaveAttribute('data-render-mode', 'gpu');
  // Keep the extension of the GPU canvas: the page replaces the canvas while the context is lost.
  await page.evaluate(() => {
    const canvas = document.querySelector('[data-testid="heatmap"]') as HTMLCanvasElement;
    const gl = canvas.getContext('webgl')!;
    const ext = gl.getExtension('WEBGL_lose_context')!;
    (window as unknown as { loseExt: WEBGL_lose_context }).loseExt = ext;
    ext.loseContext();
  });
  await expect(page.getByTestId('heatmap')).toHaveAttribute('data-render-mode', 'cpu', {
    timeout: 2000,
  });
  const lost = await phaseViz(page);
  expect(lost.renderMode).toBe('cpu');
  await expect
    .poll(async () => (await phaseViz(page)).framesRendered)
    .toBeGreaterThan(lost.framesRendered + 10);

  await page.evaluate(() =>
    (window as unknown as { loseExt: WEBGL_lose_context }).loseExt.restoreContext(),
  );
  await expect(page.getByTestId('heatmap')).toHaveAttribute('data-render-mode', 'gpu', {
    timeout: 5000,
  });
  const restored = await phaseViz(page);
  expect(restored.renderMode).toBe('gpu');
  await expect
    .poll(async () => (await phaseViz(page)).framesRendered)
    .toBeGreaterThan(restored.framesRendered + 10);
});
