// End-to-end benchmark: a real server streams a lattice of N spins (a live tenant, and a replay of
// a trace of that size generated on request into the data directory) to the real app in headless
// Chromium, which decodes in its worker and draws on the GPU path (WebGL; SwiftShader in software
// on a machine without a GPU). One JSON object: per size, the frames drawn per second, latency
// percentiles from production to decode and to the screen, the decode times in the browser, the
// encode and decode times in Node on the same lattice, the bytes saved, and the CPU the server and
// the browser used; then the largest lattice that holds the budget.
//
//   npm run bench:e2e -- [--spins 12000,65536,262144,1048576] [--source live|replay|both]
//        [--seconds S] [--warmup S] [--trace-frames F] [--data DIR] [--browser-arg ARG]...
//        [--codec-only]
//
// `--codec-only` times the codec section alone (encode and decode in Node, CPU time), without a
// server or a browser, and holds it to the encode and decode budgets: seconds a size, where the
// whole ladder takes minutes and a built app.
//
// Needs the built app (`npx vite build`). Exits 1 when a size misses its budget (below), 2 when it
// cannot run. The budget, docs/ARCHITECTURE.md section 5: >= 55 frames drawn per second (median of
// one-second windows), produced-to-drawn p95 <= 50 ms, decode p95 <= 8 ms in the browser's worker,
// encode p95 <= 8 ms.
import { availableParallelism, loadavg } from 'node:os';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS } from '../../scripts/chromium-options';
import { optionsOrExit } from '../support/cli';
import { round } from '../support/round';
import { stopServer } from '../support/server-process';
import { sleep } from '../support/sleep';
import { codecTimes, type CodecTimes } from './e2e/codec-times';
import { measureWindow, type StreamWindow } from './e2e/measure';
import { E2E_USAGE, parseE2eOptions, type StreamSourceKind } from './e2e/options';
import { installPageProbe } from './e2e/page-probe';
import { LIVE_TENANT, REPLAY_TENANT, startE2eServer } from './e2e/setup';

const BUDGET = { fpsDrawn: 55, producedToDrawnP95Ms: 50, decodeP95Ms: 8, encodeP95Ms: 8 };

const options = optionsOrExit('bench:e2e', E2E_USAGE, parseE2eOptions);

function verdict(stream: StreamWindow, codec: CodecTimes) {
  const misses: string[] = [];
  if (stream.fpsDrawn.median < BUDGET.fpsDrawn) misses.push(`${stream.fpsDrawn.median} FPS drawn`);
  const drawnP95 = stream.latencyMs.producedToDrawn.p95;
  if (!(drawnP95 <= BUDGET.producedToDrawnP95Ms))
    misses.push(`produced-to-drawn p95 ${drawnP95} ms`);
  if (!(stream.decodeMs.p95 <= BUDGET.decodeP95Ms))
    misses.push(`decode p95 ${stream.decodeMs.p95} ms`);
  if (!(codec.encodeMs.p95 <= BUDGET.encodeP95Ms))
    misses.push(`encode p95 ${codec.encodeMs.p95} ms`);
  return { holds: misses.length === 0, misses };
}

if (options.codecOnly) {
  const sizes = options.sizes.map((size) => {
    const codec = codecTimes(size);
    const misses: string[] = [];
    if (!(codec.encodeMs.p95 <= BUDGET.encodeP95Ms))
      misses.push(`encode p95 ${codec.encodeMs.p95} ms`);
    if (!(codec.decodeMs.p95 <= BUDGET.decodeP95Ms))
      misses.push(`decode p95 ${codec.decodeMs.p95} ms`);
    return { ...size, codec, holds: misses.length === 0, misses };
  });
  const machine = { cpus: availableParallelism(), loadAverage1m: round(loadavg()[0]!) };
  const budget = { encodeP95Ms: BUDGET.encodeP95Ms, decodeP95Ms: BUDGET.decodeP95Ms };
  const date = new Date().toISOString();
  console.log(
    JSON.stringify({ bench: 'e2e', codecOnly: true, date, machine, sizes, budget }, null, 2),
  );
  process.exit(sizes.every((s) => s.holds) ? 0 : 1);
}

const browser = await chromium.launch({
  executablePath: options.chromium,
  args: [...CHROMIUM_ARGS, ...options.browserArgs],
});
let webglRenderer = 'unknown';
const sizes = [];
try {
  for (const size of options.sizes) {
    console.error(`[bench:e2e] ${size.width} x ${size.height}: codec times in Node`);
    const codec = codecTimes(size);
    const server = await startE2eServer(options.dataDir, size, options.traceFrames);
    const streams: Partial<Record<StreamSourceKind, StreamWindow & ReturnType<typeof verdict>>> =
      {};
    try {
      for (const source of options.sources) {
        const tenant = source === 'live' ? LIVE_TENANT : REPLAY_TENANT;
        const page = await browser.newPage({ viewport: { width: 1280, height: 1100 } });
        const errors: string[] = [];
        page.on('pageerror', (error) => errors.push(error.message));
        // tsx compiles with esbuild's keepNames, which wraps named functions in __name(): give
        // the page that helper before the probe's source arrives in it.
        await page.addInitScript({ content: 'globalThis.__name ??= (target) => target;' });
        await page.addInitScript(installPageProbe);
        await page.goto(`${server.url}/?tenant=${tenant}&renderer=gpu`);
        await page.waitForFunction(() => (window.phaseViz?.framesRendered ?? 0) > 0, null, {
          timeout: 180_000,
        });
        if (webglRenderer === 'unknown') {
          webglRenderer = await page.evaluate(() => {
            const gl = document.createElement('canvas').getContext('webgl');
            const info = gl?.getExtension('WEBGL_debug_renderer_info');
            return gl
              ? String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER))
              : 'none';
          });
        }
        await sleep(options.warmupSeconds * 1000);
        console.error(
          `[bench:e2e] ${size.width} x ${size.height} ${source}: measuring ${options.seconds} s`,
        );
        const measured = await measureWindow({
          page,
          url: server.url,
          tenant,
          seconds: options.seconds,
          serverPid: server.child.pid!,
          metricsAuthorization: server.metricsAuthorization,
        });
        await page.close();
        if (errors.length > 0) throw new Error(`page errors: ${errors.join('; ')}`);
        streams[source] = { ...measured, ...verdict(measured, codec) };
        console.error(
          `[bench:e2e] ${size.width} x ${size.height} ${source}: ${measured.fpsDrawn.median} FPS drawn, ` +
            `produced-to-drawn p95 ${measured.latencyMs.producedToDrawn.p95} ms`,
        );
      }
    } finally {
      await stopServer(server.child);
    }
    sizes.push({ ...size, codec, streams });
  }
} finally {
  await browser.close();
}

const holding = sizes.filter((s) => Object.values(s.streams).every((w) => w.holds));
const result = {
  bench: 'e2e',
  date: new Date().toISOString(),
  machine: { cpus: availableParallelism(), loadAverage1m: round(loadavg()[0]!) },
  webglRenderer,
  secondsPerStream: options.seconds,
  warmupSeconds: options.warmupSeconds,
  sizes,
  largestLatticeHoldingBudget: holding.length > 0 ? Math.max(...holding.map((s) => s.spins)) : 0,
  budget: {
    ...BUDGET,
    rule: 'per stream: median frames drawn per second, produced-to-drawn p95 (worker latency, ping/pong corrected, plus decode to the next animation frame after the upload), decode p95 in the browser worker, encode p95 in Node',
  },
};
console.log(JSON.stringify(result, null, 2));
if (sizes.some((s) => Object.values(s.streams).some((w) => !w.holds))) process.exitCode = 1;
