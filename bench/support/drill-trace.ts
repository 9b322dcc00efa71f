// The trace a drill or fuzzer replays: the one given, the 12k demo trace, or a pattern it writes.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_TRACE_PATH } from '../../src/server/config';
import { writeTraceFile } from '../../src/server/trace-file';

/** A replayable pattern with motion that differs per spin, so deltas are not trivial. */
export async function writeDrillTrace(file: string, width: number, height: number): Promise<void> {
  const frames = 240;
  await writeTraceFile(
    file,
    { width, height, frameCount: frames, intervalUs: 16667, flags: 0, seed: 0n },
    (k) => {
      const phases = new Uint16Array(width * height);
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          const drift = (((x * 7 + y * 13) % 29) + 1) * k * 37;
          phases[y * width + x] = (x * 97 + y * 131 + drift) & 0xffff;
        }
      }
      return phases;
    },
  );
}

/**
 * The trace a drill replays: `trace` when given; else the 12k demo trace when it exists and no
 * lattice was asked for; else a pattern trace of `lattice` (default 120 x 100) written in `dir`.
 */
export async function drillTrace(
  dir: string,
  trace: string | undefined,
  lattice: { width: number; height: number } | undefined,
): Promise<string> {
  if (trace) return trace;
  if (!lattice && existsSync(DEFAULT_TRACE_PATH)) return DEFAULT_TRACE_PATH;
  const { width, height } = lattice ?? { width: 120, height: 100 };
  const file = path.join(dir, `pattern-${width}x${height}.bin`);
  await writeDrillTrace(file, width, height);
  return file;
}

/** Parses --lattice WxH. */
export function parseLattice(
  value: string | undefined,
): { width: number; height: number } | undefined {
  if (value === undefined) return undefined;
  const m = /^(\d{1,4})x(\d{1,4})$/.exec(value);
  if (!m || Number(m[1]) < 1 || Number(m[2]) < 1) {
    throw new Error(`[bench] --lattice must be WxH like 64x48, got "${value}"`);
  }
  return { width: Number(m[1]), height: Number(m[2]) };
}
