import { describe, expect, it } from 'vitest';
import { spinGrid } from './spin-grid';

describe('spinGrid', () => {
  it.each([
    { name: 'one arrow per spin up to the limit', w: 120, h: 100, stride: 1, count: 12_000 },
    { name: 'exactly 65,536 spins still one each', w: 256, h: 256, stride: 1, count: 65_536 },
    {
      name: 'a 1000 x 1000 lattice thins to every 4th',
      w: 1000,
      h: 1000,
      stride: 4,
      count: 62_500,
    },
    { name: 'a single spin', w: 1, h: 1, stride: 1, count: 1 },
  ])('$name', ({ w, h, stride, count }) => {
    const grid = spinGrid(w, h);
    expect(grid.stride).toBe(stride);
    expect(grid.count).toBe(count);
    expect(grid.count).toBeLessThanOrEqual(65_536);
  });

  it('never exceeds the arrow limit when ceil() rounds up on both axes', () => {
    for (const [w, h] of [
      [257, 257],
      [65_537, 1],
      [300, 301],
      [4097, 4097],
    ] as const) {
      const grid = spinGrid(w, h, 65_536);
      expect(grid.count, `${w} x ${h}`).toBeLessThanOrEqual(65_536);
      expect(grid.cols * grid.stride).toBeGreaterThanOrEqual(w);
      expect(grid.rows * grid.stride).toBeGreaterThanOrEqual(h);
    }
  });

  it('rejects a lattice with no spins', () => {
    expect(() => spinGrid(0, 5)).toThrow(/\[spin-view\] bad lattice 0 x 5/);
  });
});
