import { expect, test } from '@playwright/test';
import { waitForFrames } from './support';

function savedCounter(metricsText: string): number {
  const line = metricsText
    .split('\n')
    .find((l) => l.startsWith('delta_bytes_saved_total{tenant_id="demo"}'));
  return line ? Number(line.split(' ').pop()) : NaN;
}

test('the bandwidth panel shows a growing, monotonic saved-bytes figure', async ({ page }) => {
  await page.goto('/');
  await waitForFrames(page);
  const saved = page.getByTestId('bytes-saved');
  await expect(saved).toBeVisible();
  const readings: number[] = [];
  for (let i = 0; i < 8; i++) {
    readings.push(Number(await saved.getAttribute('data-value')));
    await page.waitForTimeout(500);
  }
  console.log(`[bandwidth] saved-bytes readings ${JSON.stringify(readings)}`);
  for (let i = 1; i < readings.length; i++)
    expect(readings[i]!).toBeGreaterThanOrEqual(readings[i - 1]!);
  expect(readings[readings.length - 1]!).toBeGreaterThan(readings[0]!);
  const ratio = Number((await page.getByTestId('savings-ratio').textContent())?.replace('%', ''));
  expect(ratio).toBeGreaterThanOrEqual(80);
  await expect(page.getByTestId('dollars-per-day')).toHaveText(/^\$\d+\.\d\d$/);
});

test('/metrics shows delta_bytes_saved_total above zero and rising between two scrapes', async ({
  page,
  request,
}) => {
  await page.goto('/');
  await waitForFrames(page);
  const first = savedCounter(await (await request.get('/metrics')).text());
  await page.waitForTimeout(1500);
  const second = savedCounter(await (await request.get('/metrics')).text());
  expect(first).toBeGreaterThan(0);
  expect(second).toBeGreaterThan(first);
});
