// Reads a trace written by a stand-alone Python writer built from the spec alone: if the reader
// and the TypeScript writer shared a misreading of the format, this is where it shows.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dequantizePhase } from '../src/core/phase';
import { openTraceFile } from '../src/server/trace-file';

const SCRIPT = join(import.meta.dirname, 'write_trace_independent.py');
const hasPython = spawnSync('python3', ['--version']).status === 0;
if (!hasPython) {
  console.warn('python3 not found: skipping the independent-writer test of the trace reader');
}

const dir = mkdtempSync(join(tmpdir(), 'trace-independent-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const W = 64;
const H = 32;
const FRAMES = 16;

// The script's pattern, theta = 2 pi (x/W + 2y/H + k/F), in exact u16 steps.
const expectedStep = (x: number, y: number, k: number): number =>
  ((65536 / W) * x + ((2 * 65536) / H) * y + (65536 / FRAMES) * k) % 65536;

describe.skipIf(!hasPython)(
  'a trace written by the independent Python writer (needs python3)',
  () => {
    const out = join(dir, 'independent.bin');
    let run: SpawnSyncReturns<string>;
    beforeAll(() => {
      run = spawnSync('python3', [SCRIPT, out, String(W), String(H), String(FRAMES)], {
        encoding: 'utf8',
      });
    });

    it('is accepted by openTraceFile with the header the script wrote', () => {
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      const trace = openTraceFile(out);
      expect(trace.header).toEqual({
        width: W,
        height: H,
        frameCount: FRAMES,
        intervalUs: 16667,
        flags: 0,
        seed: 0n,
      });
      trace.close();
    });

    it.each([
      { x: 0, y: 0, k: 0, step: 0 },
      { x: 1, y: 0, k: 0, step: 1024 },
      { x: 0, y: 1, k: 0, step: 4096 },
      { x: 63, y: 0, k: 0, step: 64512 },
      { x: 5, y: 3, k: 2, step: 5 * 1024 + 3 * 4096 + 2 * 4096 },
      { x: 10, y: 31, k: 15, step: (10 * 1024 + 31 * 4096 + 15 * 4096) % 65536 },
    ])('holds step $step at (x $x, y $y) in frame $k', ({ x, y, k, step }) => {
      expect(expectedStep(x, y, k)).toBe(step);
      const trace = openTraceFile(out);
      const phases = trace.readFrame(k);
      trace.close();
      expect(phases[y * W + x]).toBe(step);
      const thetaRad = 2 * Math.PI * (x / W + (2 * y) / H + k / FRAMES);
      expect(Math.cos(dequantizePhase(phases[y * W + x]!) - thetaRad)).toBeCloseTo(1, 12);
    });

    it('holds the exact pattern in every cell of every frame', () => {
      const trace = openTraceFile(out);
      let mismatches = 0;
      for (let k = 0; k < FRAMES; k++) {
        const phases = trace.readFrame(k);
        for (let y = 0; y < H; y++) {
          for (let x = 0; x < W; x++) if (phases[y * W + x] !== expectedStep(x, y, k)) mismatches++;
        }
      }
      trace.close();
      expect(mismatches).toBe(0);
    });

    it('is refused by the script itself for bad arguments', () => {
      const run = spawnSync('python3', [SCRIPT, join(dir, 'bad.bin'), '0', '4', '4'], {
        encoding: 'utf8',
      });
      expect(run.status).toBe(2);
      expect(run.stderr).toMatch(/W, H >= 1/);
    });
  },
);
