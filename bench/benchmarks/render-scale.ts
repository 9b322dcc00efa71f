// Render-scale benchmark (docs/ARCHITECTURE.md section 5: 1,000,000 spins drawn at >= 55 FPS in GPU mode).
// Serves bench/benchmarks/render-scale/ with Vite, opens it in Chromium once per lattice size, and prints one
// JSON object: per size the frame rate (median of one-second windows), frame-time p50/p95 and the
// p95 CPU cost of a draw call, plus the WebGL renderer that did the work (SwiftShader is software).
// Every animation frame draws a different frame, so the phase texture is uploaded each time.
//
//   npm run bench:render -- [--spins 12000,250000,1000000] [--renderer gpu|cpu] [--seconds 5]
//                           [--unlimited] [--browser-arg ARG]...
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { chromium } from '@playwright/test';
import { createServer } from 'vite';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../scripts/chromium-options';
import { numberOption, optionsOrExit } from '../support/cli';
import type { RenderScaleResult } from './render-scale/page';

const FPS_BUDGET = 55;
const SPINS_BUDGET = 1_000_000;

function fail(message: string): never {
  console.error(`[bench:render] ${message}`);
  process.exit(2);
}

const { values, sizes, seconds } = optionsOrExit(
  'bench:render',
  'npm run bench:render -- [--spins N,N,...] [--renderer gpu|cpu] [--seconds S] [--unlimited] ' +
    '[--browser-arg ARG]... [--chromium PATH]',
  () => {
    const { values } = parseArgs({
      options: {
        spins: { type: 'string', default: '12000,250000,1000000' },
        renderer: { type: 'string', default: 'gpu' },
        seconds: { type: 'string', default: '5' },
        unlimited: { type: 'boolean', default: false },
        'browser-arg': { type: 'string', multiple: true, default: [] },
        chromium: { type: 'string', default: CHROMIUM_PATH },
      },
      strict: true,
    });
    const sizes = values.spins
      .split(',')
      .map((part) => numberOption('spins', part, { min: 1, max: 16_777_216 }));
    const seconds = numberOption('seconds', values.seconds, { min: 1, max: 120 });
    if (values.renderer !== 'gpu' && values.renderer !== 'cpu') {
      throw new Error(`--renderer: "${values.renderer}" is not gpu or cpu`);
    }
    if (!existsSync(values.chromium)) {
      throw new Error(
        `no Chromium at ${values.chromium}; install Debian's "chromium" or pass --chromium PATH`,
      );
    }
    return { values, sizes, seconds };
  },
);

const vite = await createServer({
  root: process.cwd(),
  logLevel: 'error',
  server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: false },
});
await vite.listen();
const baseUrl = vite.resolvedUrls?.local[0];
if (!baseUrl) fail('the Vite server did not report its address');

const browser = await chromium.launch({
  executablePath: values.chromium,
  args: [
    ...CHROMIUM_ARGS,
    ...(values.unlimited ? ['--disable-frame-rate-limit', '--disable-gpu-vsync'] : []),
    ...values['browser-arg'],
  ],
});

try {
  const results: RenderScaleResult[] = [];
  let webglRenderer = 'unknown';
  for (const spins of sizes) {
    const page = await browser.newPage({ viewport: { width: 1000, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    const query = new URLSearchParams({
      spins: String(spins),
      renderer: values.renderer,
      seconds: String(seconds),
    });
    await page.goto(new URL(`bench/benchmarks/render-scale/index.html?${query}`, baseUrl).href);
    // Done or failed: anything but the initial { done: false }.
    await page.waitForFunction(
      () =>
        window.renderScale !== undefined &&
        !('done' in window.renderScale && !window.renderScale.done),
      null,
      { timeout: (seconds + 60) * 1000 },
    );
    const outcome = await page.evaluate(() => window.renderScale);
    if (!outcome || 'error' in outcome) fail(`spins=${spins}: ${outcome?.error ?? 'no result'}`);
    if (!outcome.done) fail(`spins=${spins}: the page never finished`);
    if (errors.length > 0) fail(`spins=${spins}: page errors: ${errors.join('; ')}`);
    webglRenderer = await page.evaluate(() => {
      const gl = document.createElement('canvas').getContext('webgl');
      if (!gl) return 'none';
      const info = gl.getExtension('WEBGL_debug_renderer_info');
      return String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
    });
    results.push(outcome.result);
    console.error(
      `[bench:render] ${outcome.result.spins} spins: ${outcome.result.fpsMedian} FPS median, ` +
        `frame p95 ${outcome.result.frameTimeP95Ms} ms`,
    );
    await page.close();
  }
  const holding = results.filter((r) => r.fpsMedian >= FPS_BUDGET).map((r) => r.spins);
  const atBudget = results.find((r) => r.spins >= SPINS_BUDGET);
  console.log(
    JSON.stringify(
      {
        bench: 'render-scale',
        renderer: values.renderer,
        webglRenderer,
        frameRateLimit: !values.unlimited,
        secondsPerSize: seconds,
        sizes: results,
        highestSpinsAtBudgetFps: holding.length > 0 ? Math.max(...holding) : 0,
        budget: {
          spins: SPINS_BUDGET,
          fps: FPS_BUDGET,
          met: atBudget ? atBudget.fpsMedian >= FPS_BUDGET : null,
        },
      },
      null,
      2,
    ),
  );
} finally {
  await browser.close();
  await vite.close();
}
