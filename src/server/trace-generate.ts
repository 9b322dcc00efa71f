// Generates a trace from the lattice simulator. The output depends only on the options, never
// on time or machine, so the default trace is byte-identical on every run (a test pins its hash).
// The server writes its missing traces with it at start, and `npm run trace:generate` wraps it:
// it needs Node's file system (sim stays pure) and the CLI may import the server, not the reverse.

import { MAX_SPINS } from '../core/trace';
import { DEFAULT_LATTICE_PARAMS, createLattice } from '../sim/lattice';
import { writeTraceFile } from './trace-file';

export interface GenerateOptions {
  /** Lattice columns. */
  width: number;
  /** Lattice rows. */
  height: number;
  /** Number of frames to write. */
  frames: number;
  /** Simulator seed, stored in the header; an unsigned 64-bit value. */
  seed: bigint;
  /** Playback rate, in frames per second; the header stores round(1e6 / fps) microseconds. */
  fps: number;
  /** Output path. */
  out: string;
}

export const DEFAULT_TRACE: GenerateOptions = {
  width: 120,
  height: 100,
  frames: 1200,
  seed: 20261126n,
  fps: 60,
  out: 'traces/12k_spin_trace.bin',
};

const U32_MAX = 0xffff_ffff;
export const MIN_FPS = 1;
export const MAX_FPS = 1000;

/** The first problem with `opts`, as one line naming the option, or null. */
export function generateOptionsFault(opts: GenerateOptions): string | null {
  const isPositiveU32 = (v: number): boolean => Number.isInteger(v) && v >= 1 && v <= U32_MAX;
  if (!isPositiveU32(opts.width)) return `width must be an integer >= 1, got ${opts.width}`;
  if (!isPositiveU32(opts.height)) return `height must be an integer >= 1, got ${opts.height}`;
  if (opts.width * opts.height > MAX_SPINS) {
    return `width x height must be at most ${MAX_SPINS} spins, got ${opts.width} x ${opts.height}`;
  }
  if (!isPositiveU32(opts.frames)) {
    return `frames must be an integer from 1 to ${U32_MAX}, got ${opts.frames}`;
  }
  if (opts.seed < 0n || opts.seed >= 1n << 64n) {
    return `seed must be an integer from 0 to 2^64 - 1, got ${opts.seed}`;
  }
  // Simulated time follows playback time, so the rate bounds the simulator steps per frame.
  if (!Number.isFinite(opts.fps) || opts.fps < MIN_FPS || opts.fps > MAX_FPS) {
    return `fps must be a number from ${MIN_FPS} to ${MAX_FPS}, got ${opts.fps}`;
  }
  if (opts.out.length === 0) return 'out must be a file path';
  return null;
}

/** Microseconds between frames at `fps`, as the header stores it. */
export function frameIntervalUs(fps: number): number {
  return Math.round(1e6 / fps);
}

export async function generateTrace(
  opts: GenerateOptions,
  onProgress?: (done: number, total: number) => void,
): Promise<void> {
  const fault = generateOptionsFault(opts);
  if (fault !== null) throw new RangeError(`[trace] cannot generate: ${fault}`);
  const intervalUs = frameIntervalUs(opts.fps);
  // Simulated time runs at playback speed, so rad/s in the lattice are real seconds on screen;
  // the step is cut to the default one or shorter to stay inside Heun's stability limit.
  const frameIntervalS = 1 / opts.fps;
  const stepsPerFrame = Math.max(1, Math.ceil(frameIntervalS / DEFAULT_LATTICE_PARAMS.dtS - 1e-9));
  const lattice = createLattice({
    width: opts.width,
    height: opts.height,
    seed: opts.seed,
    frameIntervalS,
    stepsPerFrame,
    dtS: frameIntervalS / stepsPerFrame,
  });
  const phases = new Uint16Array(opts.width * opts.height);
  await writeTraceFile(
    opts.out,
    {
      width: opts.width,
      height: opts.height,
      frameCount: opts.frames,
      intervalUs,
      flags: 0,
      seed: opts.seed,
    },
    (k) => {
      // Frame 0 is the initial state; writeTraceFile asks for frames in order.
      if (k > 0) lattice.advanceFrame();
      lattice.quantizeInto(phases);
      return phases;
    },
    onProgress,
  );
}
