// Worker-decode benchmark: what the browser's stream worker spends on a frame, from the message's
// arrival to the checked frame (msgpack, validation, decode, CRC), in a dedicated worker of
// headless Chromium, on a live lattice's stream as a following client receives it. The console's
// own figure (window.phaseViz.decodeMsP95) is a wall-clock p95 in a page that also draws: on a
// shared machine it moves with the load. This one times batches of frames and reports the fastest
// and the median batch, which compare builds fairly when alternated in the same minutes.
//
//   npm run bench:worker-decode -- [--spins 12000,262144,1048576] [--passes P]
//        [--buffers reused,new] [--browser-arg ARG]... [--chromium PATH]
//
// --buffers: `reused` decodes into the buffers the page hands back, as the console does; `new`
// into a new array a frame, as before; both (alternating, per size) compare them in one run.
//
// Prints one JSON object. Exits 1 when a frame failed its checks, 2 when it cannot run.
import { parseArgs } from 'node:util';
import {
  BROWSER_BENCH_ARGS,
  BROWSER_BENCH_USAGE,
  browserBenchOptions,
  startBrowserBench,
} from '../support/browser-bench';
import { numberOption, optionsOrExit } from '../support/cli';
import { latticeOf } from './e2e/lattice-size';
import { BUFFER_MODES, type BufferMode } from './worker-decode/buffer-mode';
import type { WorkerDecodeResult } from './worker-decode/page';

function bufferModes(value: string): BufferMode[] {
  const modes = value.split(',').map((part) => part.trim());
  for (const mode of modes) {
    if (!(BUFFER_MODES as readonly string[]).includes(mode)) {
      throw new Error(`--buffers: "${mode}" is not one of ${BUFFER_MODES.join(', ')}`);
    }
  }
  return [...new Set(modes)] as BufferMode[];
}

function fail(message: string): never {
  console.error(`[bench:worker-decode] ${message}`);
  process.exit(2);
}

const { sizes, passes, modes, options } = optionsOrExit(
  'bench:worker-decode',
  `npm run bench:worker-decode -- [--spins N,N,...] [--passes P] [--buffers reused,new] ${BROWSER_BENCH_USAGE}`,
  () => {
    const { values } = parseArgs({
      options: {
        spins: { type: 'string', default: '12000,262144,1048576' },
        passes: { type: 'string', default: '3' },
        buffers: { type: 'string', default: 'reused' },
        ...BROWSER_BENCH_ARGS,
      },
      strict: true,
    });
    return {
      sizes: values.spins.split(',').map((part) => latticeOf(part.trim())),
      passes: numberOption('passes', values.passes, { min: 1, max: 100 }),
      modes: bufferModes(values.buffers),
      options: browserBenchOptions(values),
    };
  },
);

const bench = await startBrowserBench(options).catch((error: unknown) =>
  fail(error instanceof Error ? error.message : String(error)),
);
try {
  const results: WorkerDecodeResult[] = [];
  for (const size of sizes) {
    // About 30 million spins decoded a pass, 24 to 240 frames; batches of 20, fewer when small.
    const frames = Math.max(24, Math.min(240, Math.ceil(3e7 / size.spins)));
    const batch = Math.max(1, Math.min(20, Math.floor(frames / 6)));
    for (const buffers of modes) {
      const query = new URLSearchParams({
        width: String(size.width),
        height: String(size.height),
        frames: String(frames),
        passes: String(passes),
        batch: String(batch),
        buffers,
      });
      const outcome = await bench
        .run<WorkerDecodeResult>(
          'bench/benchmarks/worker-decode/index.html',
          query,
          'workerDecode',
          600_000,
        )
        .catch((error: unknown) =>
          fail(`spins=${size.spins}: ${error instanceof Error ? error.message : String(error)}`),
        );
      results.push(outcome.result);
      console.error(
        `[bench:worker-decode] ${size.spins} spins, ${buffers} buffers: ` +
          `${outcome.result.msPerFrame.p50} ms a frame (median batch), ` +
          `fastest batch ${outcome.result.msPerFrame.min} ms`,
      );
    }
  }
  console.log(
    JSON.stringify(
      {
        bench: 'worker-decode',
        date: new Date().toISOString(),
        passes,
        sizes: results,
        note: 'ms a frame, arrival to checked frame (StreamDecoder.accept), mean of each batch of consecutive frames; the first pass warms the JIT and is not counted; buffers: reused = decoded into buffers handed back as the page does, new = a new array a frame',
      },
      null,
      2,
    ),
  );
  if (results.some((r) => r.faults > 0)) process.exitCode = 1;
} finally {
  await bench.close();
}
