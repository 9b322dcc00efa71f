// Render-scale benchmark (docs/ARCHITECTURE.md section 5: 1,000,000 spins drawn at >= 55 FPS in GPU mode).
// Serves bench/benchmarks/render-scale/ with Vite, opens it in Chromium once per lattice size, and prints one
// JSON object: per size the frame rate (median of one-second windows), frame-time p50/p95 and the
// p95 CPU cost of a draw call, plus the WebGL renderer that did the work (SwiftShader is software).
// Every animation frame draws a different frame, so the phase texture is uploaded each time.
//
//   npm run bench:render -- [--spins 12000,250000,1000000] [--renderer gpu|cpu] [--seconds 5]
//                           [--unlimited] [--browser-arg ARG]...
import { parseArgs } from 'node:util';
import {
  BROWSER_BENCH_ARGS,
  BROWSER_BENCH_USAGE,
  browserBenchOptions,
  startBrowserBench,
} from '../support/browser-bench';
import { numberOption, optionsOrExit } from '../support/cli';
import type { RenderScaleResult } from './render-scale/page';

const FPS_BUDGET = 55;
const SPINS_BUDGET = 1_000_000;

function fail(message: string): never {
  console.error(`[bench:render] ${message}`);
  process.exit(2);
}

const { renderer, sizes, options } = optionsOrExit(
  'bench:render',
  `npm run bench:render -- [--spins N,N,...] [--renderer gpu|cpu] ${BROWSER_BENCH_USAGE}`,
  () => {
    const { values } = parseArgs({
      options: {
        spins: { type: 'string', default: '12000,250000,1000000' },
        renderer: { type: 'string', default: 'gpu' },
        ...BROWSER_BENCH_ARGS,
      },
      strict: true,
    });
    const sizes = values.spins
      .split(',')
      .map((part) => numberOption('spins', part, { min: 1, max: 16_777_216 }));
    if (values.renderer !== 'gpu' && values.renderer !== 'cpu') {
      throw new Error(`--renderer: "${values.renderer}" is not gpu or cpu`);
    }
    return { renderer: values.renderer, sizes, options: browserBenchOptions(values) };
  },
);
const { seconds } = options;

const bench = await startBrowserBench(options).catch((error: unknown) =>
  fail(error instanceof Error ? error.message : String(error)),
);

try {
  const results: RenderScaleResult[] = [];
  let webglRenderer = 'unknown';
  for (const spins of sizes) {
    const query = new URLSearchParams({
      spins: String(spins),
      renderer,
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
        renderer,
        webglRenderer,
        frameRateLimit: !options.unlimited,
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
