import { execFileSync } from 'node:child_process';
import { expect, test } from '@playwright/test';
import { waitForFrames } from './support';

/** The scrape secret of the server playwright.config.ts starts (data directory .data-e2e). */
function metricsAuthorization(): string {
  const secret = execFileSync(
    process.execPath,
    ['--import', 'tsx', 'src/cli/admin.ts', '--data', '.data-e2e', 'secret', 'show', 'metrics'],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
  ).trim();
  return `Bearer ${secret}`;
}

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
  // Every tenant's figures: for the operators' Prometheus, with the scrape secret only.
  expect((await request.get('/metrics')).status()).toBe(401);
  const headers = { authorization: metricsAuthorization() };
  const first = savedCounter(await (await request.get('/metrics', { headers })).text());
  await page.waitForTimeout(1500);
  const second = savedCounter(await (await request.get('/metrics', { headers })).text());
  expect(first).toBeGreaterThan(0);
  expect(second).toBeGreaterThan(first);
});
