import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { orderParameter, vortexCount } from '../core/metrics';
import { openTraceFile } from './trace-file';
import { DEFAULT_TRACE, generateOptionsFault, generateTrace } from './trace-generate';

// Pinned: any change to the simulator, its defaults, the RNG or the format changes this hash.
// If a change is intended, regenerate and update it in the same commit, and say why there.
const DEFAULT_TRACE_SHA256 = 'f517fba96d46c7ca1058e435f872a3c547de863f9378535206c48d37bf76c444';

const dir = mkdtempSync(join(tmpdir(), 'trace-generate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('generateTrace', () => {
  it('writes the default 12k-spin trace byte-identically (pinned SHA-256)', async () => {
    const out = join(dir, '12k_spin_trace.bin');
    let lastProgress: [number, number] = [0, 0];
    await generateTrace({ ...DEFAULT_TRACE, out }, (done, total) => {
      lastProgress = [done, total];
    });
    expect(lastProgress).toEqual([1200, 1200]);
    const bytes = readFileSync(out);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(DEFAULT_TRACE_SHA256);

    const trace = openTraceFile(out);
    try {
      expect(trace.header).toEqual({
        width: 120,
        height: 100,
        frameCount: 1200,
        intervalUs: 16667,
        flags: 0,
        seed: DEFAULT_TRACE.seed,
      });
      // Structure, read back through the format: spirals from start to end.
      for (const k of [120, 600, 1199]) {
        const phases = trace.readFrame(k);
        expect(orderParameter(phases).r).toBeLessThan(0.95);
        expect(vortexCount(phases, 120, 100).total).toBeGreaterThan(0);
      }
    } finally {
      trace.close();
    }
  });

  it('gives another trace for another seed, with the seed in the header', async () => {
    const out = join(dir, 'small.bin');
    await generateTrace({ ...DEFAULT_TRACE, width: 16, height: 12, frames: 3, seed: 7n, out });
    const trace = openTraceFile(out);
    expect(trace.header.seed).toBe(7n);
    const first = trace.readFrame(2);
    trace.close();
    await generateTrace({ ...DEFAULT_TRACE, width: 16, height: 12, frames: 3, seed: 8n, out });
    const again = openTraceFile(out);
    expect(again.readFrame(2)).not.toEqual(first);
    again.close();
  });

  it('stores the frame interval as round(1e6 / fps) microseconds', async () => {
    const out = join(dir, 'fps.bin');
    await generateTrace({ ...DEFAULT_TRACE, width: 4, height: 4, frames: 2, fps: 30, out });
    const trace = openTraceFile(out);
    expect(trace.header.intervalUs).toBe(33333);
    trace.close();
  });

  it.each([
    { name: 'a zero width', change: { width: 0 }, fault: 'width must be an integer >= 1, got 0' },
    {
      name: 'a fractional height',
      change: { height: 1.5 },
      fault: 'height must be an integer >= 1, got 1.5',
    },
    {
      name: 'too many spins',
      change: { width: 8192, height: 4096 },
      fault: 'width x height must be at most 16777216 spins, got 8192 x 4096',
    },
    {
      name: 'zero frames',
      change: { frames: 0 },
      fault: 'frames must be an integer from 1 to 4294967295, got 0',
    },
    {
      name: 'a negative seed',
      change: { seed: -1n },
      fault: 'seed must be an integer from 0 to 2^64 - 1, got -1',
    },
    { name: 'a zero fps', change: { fps: 0 }, fault: 'fps must be a number from 1 to 1000, got 0' },
    {
      name: 'a NaN fps',
      change: { fps: Number.NaN },
      fault: 'fps must be a number from 1 to 1000, got NaN',
    },
    { name: 'an empty path', change: { out: '' }, fault: 'out must be a file path' },
  ])('rejects $name', async ({ change, fault }) => {
    const opts = { ...DEFAULT_TRACE, out: join(dir, 'never.bin'), ...change };
    expect(generateOptionsFault(opts)).toBe(fault);
    await expect(generateTrace(opts)).rejects.toThrow(`[trace] cannot generate: ${fault}`);
  });
});
