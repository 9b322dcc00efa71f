import { describe, expect, it } from 'vitest';
import {
  MATRIX_FLOATS,
  adaptArrowBudget,
  cellCentre,
  colourArrows,
  layoutMatrices,
  rotateMatrices,
  spinGrid,
} from './spin-instances';

/** Applies a column-major 4x4 matrix to the point (x, y, 0). */
function apply(m: Float32Array, offset: number, x: number, y: number): [number, number] {
  return [
    m[offset]! * x + m[offset + 4]! * y + m[offset + 12]!,
    m[offset + 1]! * x + m[offset + 5]! * y + m[offset + 13]!,
  ];
}

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

describe('instance matrices', () => {
  const W = 3;
  const H = 2;
  const grid = spinGrid(W, H);

  it('puts each arrow at its cell, row 0 on top, centred on the origin', () => {
    const m = new Float32Array(grid.count * MATRIX_FLOATS);
    layoutMatrices(m, grid);
    expect(apply(m, 0, 0, 0)).toEqual([-1, 0.5]);
    expect(apply(m, (1 * W + 2) * MATRIX_FLOATS, 0, 0)).toEqual([1, -0.5]);
    expect(cellCentre(1, 0, W, H)).toEqual([0, 0.5]);
  });

  it.each([
    { name: 'phase 0 points along +x', q: 0, tip: [1, 0] },
    { name: 'a quarter turn points along +y', q: 16384, tip: [0, 1] },
    { name: 'half a turn points along -x', q: 32768, tip: [-1, 0] },
    { name: 'three quarters point along -y', q: 49152, tip: [0, -1] },
  ])('$name and keeps the translation', ({ q, tip }) => {
    const m = new Float32Array(grid.count * MATRIX_FLOATS);
    layoutMatrices(m, grid);
    const phases = new Uint16Array(W * H).fill(q);
    rotateMatrices(m, phases, grid);
    const o = 4 * MATRIX_FLOATS; // cell (1, 1), centred at (0, -0.5)
    const [x, y] = apply(m, o, 1, 0);
    expect(x).toBeCloseTo(tip[0]!, 5);
    expect(y).toBeCloseTo(-0.5 + tip[1]!, 5);
    expect(m[o + 10]).toBe(1);
    expect(m[o + 15]).toBe(1);
  });

  it('scales and samples every stride-th spin of a thinned lattice', () => {
    const big = spinGrid(6, 4, 6); // stride 2: 3 x 2 arrows
    expect(big.stride).toBe(2);
    const m = new Float32Array(big.count * MATRIX_FLOATS);
    layoutMatrices(m, big);
    const phases = new Uint16Array(24);
    phases[2 * 6 + 4] = 16384; // spin (4, 2) is arrow (2, 1)
    rotateMatrices(m, phases, big);
    const o = (1 * 3 + 2) * MATRIX_FLOATS;
    const [x, y] = apply(m, o, 1, 0);
    const [cx, cy] = cellCentre(4, 2, 6, 4);
    expect(x).toBeCloseTo(cx, 5);
    expect(y).toBeCloseTo(cy + 2, 5);
  });

  it('rejects arrays too short for the grid', () => {
    expect(() => layoutMatrices(new Float32Array(10), grid)).toThrow(/matrix array of 10/);
    const m = new Float32Array(grid.count * MATRIX_FLOATS);
    expect(() => rotateMatrices(m, new Uint16Array(2), grid)).toThrow(/phase array of 2/);
  });
});

describe('colourArrows', () => {
  it('takes the colormap entry phase >> 8 for each arrow', () => {
    const lut = new Uint8Array(256 * 4);
    for (let e = 0; e < 256; e++) lut.set([e, 255 - e, (e * 7) & 0xff, 255], e * 4);
    const grid = spinGrid(4, 1);
    const phases = Uint16Array.from([0, 255, 256, 65535]);
    const rgb = new Uint8Array(grid.count * 3);
    colourArrows(rgb, phases, lut, grid);
    expect([...rgb]).toEqual([0, 255, 0, 0, 255, 0, 1, 254, 7, 255, 0, (255 * 7) & 0xff]);
  });
});

describe('adaptArrowBudget', () => {
  const OPTIONS = { targetMs: 100, minArrows: 1024, maxArrows: 65_536 };
  it.each([
    {
      name: 'keeps the whole lattice while draws are cheap',
      budget: 65_536,
      arrows: 65_536,
      costMs: 8,
      expected: 65_536,
    },
    {
      name: 'keeps the budget between a quarter and twice the target',
      budget: 65_536,
      arrows: 12_000,
      costMs: 170,
      expected: 65_536,
    },
    {
      name: 'scales a slow lattice down to the target cost',
      budget: 65_536,
      arrows: 65_536,
      costMs: 1250,
      expected: 5242,
    },
    {
      name: 'never goes below the minimum',
      budget: 65_536,
      arrows: 4096,
      costMs: 10_000,
      expected: 1024,
    },
    {
      name: 'doubles back up once draws are cheap again',
      budget: 4096,
      arrows: 4096,
      costMs: 20,
      expected: 8192,
    },
    {
      name: 'never grows past the maximum',
      budget: 40_000,
      arrows: 40_000,
      costMs: 1,
      expected: 65_536,
    },
    {
      name: 'ignores a cost that is not a number',
      budget: 8192,
      arrows: 8192,
      costMs: Number.NaN,
      expected: 8192,
    },
  ])('$name', ({ budget, arrows, costMs, expected }) => {
    expect(adaptArrowBudget(budget, arrows, costMs, OPTIONS)).toBe(expected);
  });

  it('settles: after scaling down, the cost it predicts neither shrinks nor grows the budget', () => {
    const perArrowMs = 1250 / 65_536;
    let budget = 65_536;
    for (let round = 0; round < 10; round++) {
      const arrows = spinGrid(256, 256, budget).count;
      budget = adaptArrowBudget(budget, arrows, arrows * perArrowMs, OPTIONS);
    }
    const arrows = spinGrid(256, 256, budget).count;
    expect(arrows * perArrowMs).toBeLessThanOrEqual(200);
    expect(arrows * perArrowMs).toBeGreaterThanOrEqual(25);
  });
});
