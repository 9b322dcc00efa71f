// `npm run trace:generate -- [options]`: writes a spin trace from the lattice simulator.
// Exit codes: 0 done, 1 the write failed, 2 bad command line.

import { parseArgs } from 'node:util';
import { createProgress } from '../server/progress';
import {
  DEFAULT_TRACE,
  MAX_FPS,
  MIN_FPS,
  generateOptionsFault,
  generateTrace,
  type GenerateOptions,
} from '../server/trace-generate';

const USAGE = `Usage: npm run trace:generate -- [options]

Writes a spin-phase trace (format: traces/FORMAT.md) from the lattice simulator. The same
options always give a byte-identical file.

Options:
  --width N     lattice columns (default ${DEFAULT_TRACE.width})
  --height N    lattice rows (default ${DEFAULT_TRACE.height}); width x height <= 16777216
  --frames N    number of frames (default ${DEFAULT_TRACE.frames})
  --seed N      simulator seed, 0 to 2^64 - 1 (default ${DEFAULT_TRACE.seed})
  --fps N       playback rate in frames per second, ${MIN_FPS} to ${MAX_FPS} (default ${DEFAULT_TRACE.fps})
  --out PATH    output file (default ${DEFAULT_TRACE.out})
  --help        show this text`;

class UsageError extends Error {}

function parseInteger(name: string, text: string): number {
  if (!/^\d+$/.test(text)) throw new UsageError(`${name} must be a whole number, got "${text}"`);
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new UsageError(`${name} is too large: ${text}`);
  return value;
}

function parseSeed(text: string): bigint {
  if (!/^\d+$/.test(text)) throw new UsageError(`seed must be a whole number, got "${text}"`);
  return BigInt(text);
}

function parseFps(text: string): number {
  if (!/^\d+(\.\d+)?$/.test(text))
    throw new UsageError(`fps must be a decimal number, got "${text}"`);
  return Number(text);
}

function parseCommandLine(argv: string[]): GenerateOptions | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        width: { type: 'string' },
        height: { type: 'string' },
        frames: { type: 'string' },
        seed: { type: 'string' },
        fps: { type: 'string' },
        out: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    // parseArgs explains some faults over several lines; the contract is one line.
    const message = error instanceof Error ? error.message : String(error);
    throw new UsageError(message.replace(/\s*\n\s*/g, ' '));
  }
  const { values } = parsed;
  if (values.help === true) return 'help';
  const opts: GenerateOptions = {
    width: values.width === undefined ? DEFAULT_TRACE.width : parseInteger('width', values.width),
    height:
      values.height === undefined ? DEFAULT_TRACE.height : parseInteger('height', values.height),
    frames:
      values.frames === undefined ? DEFAULT_TRACE.frames : parseInteger('frames', values.frames),
    seed: values.seed === undefined ? DEFAULT_TRACE.seed : parseSeed(values.seed),
    fps: values.fps === undefined ? DEFAULT_TRACE.fps : parseFps(values.fps),
    out: values.out ?? DEFAULT_TRACE.out,
  };
  const fault = generateOptionsFault(opts);
  if (fault !== null) throw new UsageError(fault);
  return opts;
}

async function main(): Promise<void> {
  let opts: GenerateOptions | 'help';
  try {
    opts = parseCommandLine(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`trace:generate: ${error.message} (see --help)`);
    process.exit(2);
  }
  if (opts === 'help') {
    console.log(USAGE);
    return;
  }
  const spins = opts.width * opts.height;
  const progress = createProgress(`${opts.out} (${opts.width}x${opts.height})`, opts.frames);
  const startedMs = performance.now();
  try {
    await generateTrace(opts, (done) => progress.update(done));
  } catch (error) {
    progress.stop();
    console.error(`trace:generate: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
  progress.stop();
  const seconds = (performance.now() - startedMs) / 1000;
  console.log(
    `wrote ${opts.out}: ${opts.width}x${opts.height} = ${spins} spins, ${opts.frames} frames at ${opts.fps} frames/s, seed ${opts.seed} (${seconds.toFixed(1)} s)`,
  );
}

await main();
