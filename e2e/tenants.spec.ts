import { expect, test } from '@playwright/test';
import { issueToken, phaseViz, waitForFrames } from './support';

// The e2e server (playwright.config.ts) keeps its state in .data-e2e, seeded with the demo
// tenants: demo (public, 12k replay), small (private, 3k replay), live (private, 65,536 spins).

test('switching tenants changes the heatmap size and render mode, the panels and the URL; a reload restores it', async ({
  page,
}) => {
  const token = issueToken('.data-e2e', 'small,live');
  await page.goto('/');
  await waitForFrames(page);
  expect(await phaseViz(page)).toMatchObject({ tenant: 'demo', spins: 12_000, renderMode: 'gpu' });
  await expect(page.getByTestId('latency-p95')).toBeVisible({ timeout: 15_000 });
  const demoSaved = Number(await page.getByTestId('bytes-saved').getAttribute('data-value'));

  // Anonymous: the private tenants are not offered.
  await expect(page.getByTestId('tenant-switcher').locator('option')).toHaveText([/Demo/i]);
  await page.getByTestId('sign-in').click();
  await page.getByTestId('token-input').fill(token);
  await page.getByTestId('token-input').press('Enter');
  await expect(page.getByTestId('tenant-switcher').locator('option')).toHaveCount(3, {
    timeout: 10_000,
  });

  await page.getByTestId('tenant-switcher').selectOption('small');
  await expect.poll(async () => (await phaseViz(page)).tenant, { timeout: 15_000 }).toBe('small');
  await expect.poll(async () => (await phaseViz(page)).framesRendered).toBeGreaterThan(5);
  const small = await phaseViz(page);
  expect(small.spins).toBe(3000);
  expect(small.renderMode).toBe('cpu');
  await expect(page.getByTestId('heatmap')).toHaveAttribute('data-render-mode', 'cpu');
  await expect(page.getByTestId('stream-info')).toContainText('small');
  expect(new URL(page.url()).searchParams.get('tenant')).toBe('small');
  // The bandwidth panel now counts the small tenant's bytes, not the demo's.
  await expect
    .poll(async () => Number(await page.getByTestId('bytes-saved').getAttribute('data-value')))
    .not.toBe(demoSaved);
  expect(new URL(page.url()).searchParams.has('token')).toBe(false);

  await page.reload();
  await waitForFrames(page);
  expect(await phaseViz(page)).toMatchObject({ tenant: 'small', spins: 3000, renderMode: 'cpu' });

  await page.getByTestId('tenant-switcher').selectOption('live');
  await expect.poll(async () => (await phaseViz(page)).tenant, { timeout: 20_000 }).toBe('live');
  await expect
    .poll(async () => (await phaseViz(page)).framesRendered, { timeout: 20_000 })
    .toBeGreaterThan(5);
  expect(await phaseViz(page)).toMatchObject({ spins: 65_536, renderMode: 'gpu' });
  await expect(page.getByTestId('stream-state')).toHaveText('LIVE');
});

test('a private tenant without a token says why instead of showing nothing', async ({ page }) => {
  await page.goto('/?tenant=small');
  await expect(page.getByTestId('tenant-hidden')).toContainText('sign in with a token');
});
