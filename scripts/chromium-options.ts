// How the end-to-end tests and the browser benchmarks launch Chromium: Debian's build (Playwright's
// own download needs internet), headless, without the background work that would add noise.
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--ignore-gpu-blocklist',
];
