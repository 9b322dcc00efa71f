// What each view of the console costs the browser: opens the built app on a real server in
// Chromium, once per view (heatmap, 3-D, tickets), lets it settle, then reads the CPU time of
// every Chromium process (browser, renderer, GPU) over a measuring window through the DevTools
// protocol's SystemInfo.getProcessInfo. Prints one JSON object: per view the CPU in cores (CPU
// seconds per wall second, all processes together and per process type) and the page's animation
// frames per second. A hidden view that still draws shows up here as CPU the visible one does not
// need.
//
//   npm run bench:view-cpu -- [--views heatmap,3d,tickets] [--seconds 10] [--settle 3]
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { chromium, type Browser } from '@playwright/test';
import { DEFAULT_TRACE_PATH } from '../../src/server/config';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../scripts/chromium-options';
import { numberOption, optionsOrExit } from '../support/cli';
import { tempDir } from '../../src/testing/temp-dir';
import { round } from '../support/round';
import {
  demoOnlyTenantsFile,
  freePort,
  spawnServer,
  stopServer,
  waitHealthy,
} from '../support/server-process';
import { sleep } from '../support/sleep';

const VIEWS = ['heatmap', '3d', 'tickets'] as const;
type View = (typeof VIEWS)[number];

const { views, seconds, settleSeconds, chromiumPath } = optionsOrExit(
  'bench:view-cpu',
  'npm run bench:view-cpu -- [--views heatmap,3d,tickets] [--seconds S] [--settle S] [--chromium PATH]',
  () => {
    const { values } = parseArgs({
      options: {
        views: { type: 'string', default: VIEWS.join(',') },
        seconds: { type: 'string', default: '10' },
        settle: { type: 'string', default: '3' },
        chromium: { type: 'string', default: CHROMIUM_PATH },
      },
      strict: true,
    });
    const views = values.views.split(',').map((v) => {
      if (!(VIEWS as readonly string[]).includes(v)) {
        throw new Error(`--views: "${v}" is not one of ${VIEWS.join(', ')}`);
      }
      return v as View;
    });
    if (!existsSync(values.chromium)) {
      throw new Error(
        `no Chromium at ${values.chromium}; install Debian's "chromium" or pass --chromium PATH`,
      );
    }
    if (!existsSync('dist/index.html')) throw new Error('no built app in dist/: run npm run build');
    if (!existsSync(DEFAULT_TRACE_PATH)) {
      throw new Error(`no ${DEFAULT_TRACE_PATH}: run npm run trace:generate`);
    }
    return {
      views,
      seconds: numberOption('seconds', values.seconds, { min: 1, max: 120 }),
      settleSeconds: numberOption('settle', values.settle, { min: 0, max: 60 }),
      chromiumPath: values.chromium,
    };
  },
);

interface ProcessCpu {
  type: string;
  id: number;
  cpuTime: number;
}

async function processCpu(browser: Browser): Promise<ProcessCpu[]> {
  const session = await browser.newBrowserCDPSession();
  try {
    const info = (await session.send('SystemInfo.getProcessInfo')) as {
      processInfo: ProcessCpu[];
    };
    return info.processInfo;
  } finally {
    await session.detach();
  }
}

/** CPU seconds per wall second between two readings, per process type and in all. */
function coresBetween(
  before: ProcessCpu[],
  after: ProcessCpu[],
  wallS: number,
): Record<string, number> {
  const start = new Map(before.map((p) => [p.id, p.cpuTime]));
  const byType: Record<string, number> = {};
  let total = 0;
  for (const p of after) {
    // A process born during the window counts from zero.
    const used = p.cpuTime - (start.get(p.id) ?? 0);
    byType[p.type] = (byType[p.type] ?? 0) + used;
    total += used;
  }
  const out: Record<string, number> = { total: round(total / wallS, 3) };
  for (const [type, used] of Object.entries(byType)) out[type] = round(used / wallS, 3);
  return out;
}

const work = tempDir('view-cpu');
const port = await freePort();
const url = `http://127.0.0.1:${port}`;
const server = spawnServer({
  port,
  dataDir: work,
  tenantsFile: demoOnlyTenantsFile(work, DEFAULT_TRACE_PATH),
});
const results: Record<string, unknown> = {};
let browser: Browser | undefined;
try {
  await waitHealthy(url, 60_000, server);
  browser = await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS });
  for (const view of views) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${url}/?view=${view}`);
    await page.waitForFunction('window.phaseViz && window.phaseViz.framesReceived > 0', undefined, {
      timeout: 30_000,
    });
    await sleep(settleSeconds * 1000);
    // A string, not a function: tsx's name-keeping helpers do not exist in the page.
    const countFrames = (): Promise<number> =>
      page.evaluate(`new Promise((resolve) => {
        let n = 0;
        const end = performance.now() + ${seconds * 1000};
        const step = (t) => { n += 1; if (t < end) requestAnimationFrame(step); else resolve(n); };
        requestAnimationFrame(step);
      })`);
    const before = await processCpu(browser);
    const startedMs = performance.now();
    const animationFrames = await countFrames();
    const wallS = (performance.now() - startedMs) / 1000;
    const after = await processCpu(browser);
    results[view] = {
      cores: coresBetween(before, after, wallS),
      animationFramesPerSecond: round(animationFrames / wallS, 1),
      wallSeconds: round(wallS, 2),
    };
    await page.close();
  }
} finally {
  await browser?.close();
  await stopServer(server);
}
console.log(JSON.stringify({ bench: 'view-cpu', seconds, views: results }, null, 2));
