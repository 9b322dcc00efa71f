import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './scripts/chromium-options';

// End-to-end tests drive Debian's Chromium (Playwright's own browser download needs internet)
// against the real server, started here on its own port and data directory.
const port = Number(process.env.E2E_PORT ?? 8199);

export default defineConfig({
  testDir: 'e2e',
  // One worker: the machine has two cores and the FPS budget needs one of them for the browser.
  workers: 1,
  fullyParallel: false,
  timeout: 120_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    viewport: { width: 1280, height: 800 },
    launchOptions: {
      executablePath: CHROMIUM_PATH,
      args: CHROMIUM_ARGS,
    },
  },
  webServer: {
    command: `npx tsx src/server/main.ts --port ${port} --data .data-e2e`,
    url: `http://127.0.0.1:${port}/healthz`,
    timeout: 180_000,
    reuseExistingServer: false,
    stdout: 'pipe',
    stderr: 'pipe',
  },
});
