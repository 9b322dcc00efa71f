// Makes sure a Chromium for the end-to-end tests is present: Playwright's own download cannot
// run on machines without internet, so the tests drive Debian's Chromium.
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

function install() {
  console.log(
    '[ensure-chromium] Chromium missing at ' +
      chromiumPath +
      '; installing Debian package "chromium"',
  );
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}

if (!existsSync(chromiumPath)) {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isRoot && !process.env.CHROMIUM_PATH) {
    install();
  } else {
    console.error(
      `[ensure-chromium] no Chromium at ${chromiumPath}. Install it with:\n` +
        '  sudo apt-get update && sudo apt-get install -y chromium\n' +
        'or set CHROMIUM_PATH to a Chromium or Chrome binary.',
    );
    process.exit(1);
  }
  if (!existsSync(chromiumPath)) {
    console.error(`[ensure-chromium] installation finished but ${chromiumPath} is still missing`);
    process.exit(1);
  }
}
console.log(`[ensure-chromium] using ${chromiumPath}`);
