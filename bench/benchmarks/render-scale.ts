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
import { CHROMIUM_PATH } from '../../scripts/chromium-options';
import { startBrowserBench } from '../support/browser-bench';
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

const bench = await startBrowserBench({
  chromium: values.chromium,
  unlimited: values.unlimited,
  browserArgs: values['browser-arg'],
}).catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));

try {
  const results: RenderScaleResult[] = [];
  let webglRenderer = 'unknown';
  for (const spins of sizes) {
    const query = new URLSearchParams({
      spins: String(spins),
      renderer: values.renderer,
      seconds: String(seconds),
    });
    const outcome = await bench
      .run<RenderScaleResult>(
        'bench/benchmarks/render-scale/index.html',
        query,
        'renderScale',
        (seconds + 60) * 1000,
      )
      .catch((error: unknown) =>
        fail(`spins=${spins}: ${error instanceof Error ? error.message : String(error)}`),
      );
    webglRenderer = outcome.webglRenderer;
    results.push(outcome.result);
    console.error(
      `[bench:render] ${outcome.result.spins} spins: ${outcome.result.fpsMedian} FPS median, ` +
        `frame p95 ${outcome.result.frameTimeP95Ms} ms`,
    );
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
  await bench.close();
}
