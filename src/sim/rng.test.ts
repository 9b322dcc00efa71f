import { describe, expect, it } from 'vitest';
import { createRng } from './rng';

describe('createRng', () => {
  it('produces the xoshiro128** sequence seeded by splitmix64 (pinned against a Python reference)', () => {
    const rng = createRng(0n);
    expect([rng.nextU32(), rng.nextU32(), rng.nextU32(), rng.nextU32()]).toEqual([
      3737715805, 2584255861, 2876756834, 3286328325,
    ]);
  });

  it('gives the same sequence for the same seed and a different one for another seed', () => {
    const draw = (seed: bigint): number[] => {
      const rng = createRng(seed);
      return Array.from({ length: 32 }, () => rng.nextU32());
    };
    expect(draw(42n)).toEqual(draw(42n));
    expect(draw(42n)).not.toEqual(draw(43n));
  });

  it('uses all 64 bits of the seed', () => {
    const first = (seed: bigint): number => createRng(seed).nextU32();
    expect(first(1n)).not.toBe(first(1n + (1n << 63n)));
    // Seeds are taken modulo 2^64, as the trace header stores them.
    expect(first(5n)).toBe(first(5n + (1n << 64n)));
  });

  it('draws floats in [0, 1) with mean 1/2', () => {
    const rng = createRng(7n);
    let sum = 0;
    let outOfRange = 0;
    const n = 100_000;
    for (let i = 0; i < n; i++) {
      const u = rng.nextFloat();
      if (!(u >= 0 && u < 1)) outOfRange++;
      sum += u;
    }
    expect(outOfRange).toBe(0);
    expect(sum / n).toBeCloseTo(0.5, 2);
  });

  it('draws standard normal deviates (mean 0, variance 1)', () => {
    const rng = createRng(11n);
    let sum = 0;
    let sumSquares = 0;
    const n = 200_000;
    for (let i = 0; i < n; i++) {
      const g = rng.nextGaussian();
      sum += g;
      sumSquares += g * g;
    }
    expect(Math.abs(sum / n)).toBeLessThan(0.01);
    expect(Math.abs(sumSquares / n - 1)).toBeLessThan(0.02);
  });
});
