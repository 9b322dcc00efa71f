import { describe, expect, it } from 'vitest';
import { localOrderParameter, orderParameter, vortexCount } from './metrics';
import { quantizePhase } from './phase';

function lattice(
  width: number,
  height: number,
  thetaAt: (x: number, y: number) => number,
): Uint16Array {
  const out = new Uint16Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) out[y * width + x] = quantizePhase(thetaAt(x, y));
  }
  return out;
}

// A +1 vortex at (ax, ay) and a -1 vortex at (bx, by), both between lattice sites so that no
// site sits on a singularity. On a periodic lattice the windings must sum to zero, so a lone
// vortex cannot exist; a pair far apart is the nearest thing.
function vortexPair(
  width: number,
  height: number,
  a: [number, number],
  b: [number, number],
): Uint16Array {
  return lattice(
    width,
    height,
    (x, y) => Math.atan2(y - a[1], x - a[0]) - Math.atan2(y - b[1], x - b[0]),
  );
}

describe('orderParameter', () => {
  it.each([
    { name: 'a uniform lattice at zero', phases: new Uint16Array(100), r: 1, psiRad: 0 },
    {
      name: 'a uniform lattice at a quarter turn',
      phases: new Uint16Array(100).fill(16384),
      r: 1,
      psiRad: Math.PI / 2,
    },
    {
      name: 'a uniform lattice at three quarters',
      phases: new Uint16Array(7).fill(49152),
      r: 1,
      psiRad: (3 * Math.PI) / 2,
    },
    {
      name: 'two opposite phases',
      phases: Uint16Array.from([0, 32768, 0, 32768]),
      r: 0,
      psiRad: undefined,
    },
    {
      name: 'four evenly spread phases',
      phases: Uint16Array.from([0, 16384, 32768, 49152]),
      r: 0,
      psiRad: undefined,
    },
    {
      name: 'half at 0, half at a quarter turn',
      phases: Uint16Array.from([0, 16384]),
      r: Math.SQRT1_2,
      psiRad: Math.PI / 4,
    },
    { name: 'an empty frame', phases: new Uint16Array(0), r: 0, psiRad: 0 },
  ])('gives R = $r for $name', ({ phases, r, psiRad }) => {
    const result = orderParameter(phases);
    expect(result.r).toBeCloseTo(r, 12);
    if (psiRad !== undefined) expect(result.psiRad).toBeCloseTo(psiRad, 12);
    expect(result.psiRad >= 0 && result.psiRad < 2 * Math.PI).toBe(true);
  });

  it('matches a direct computation on a plane wave of 65k spins', () => {
    const phases = lattice(256, 256, (x, y) => 0.3 * Math.sin(x / 20) + 0.01 * y + 1);
    let c = 0;
    let s = 0;
    for (const q of phases) {
      c += Math.cos((q * 2 * Math.PI) / 65536);
      s += Math.sin((q * 2 * Math.PI) / 65536);
    }
    const result = orderParameter(phases);
    expect(result.r).toBeCloseTo(Math.hypot(c, s) / phases.length, 12);
    expect(result.psiRad).toBeCloseTo(Math.atan2(s, c), 12);
  });
});

describe('vortexCount', () => {
  it.each([
    {
      name: 'a uniform lattice',
      phases: new Uint16Array(12 * 9).fill(1234),
      width: 12,
      height: 9,
      positive: 0,
      negative: 0,
    },
    // One full turn across the width is smooth everywhere, even at the periodic seam.
    {
      name: 'a plane wave wrapping once',
      phases: lattice(16, 8, (x) => (2 * Math.PI * x) / 16),
      width: 16,
      height: 8,
      positive: 0,
      negative: 0,
    },
    {
      name: 'a vortex pair',
      phases: vortexPair(32, 24, [8.5, 12.5], [24.5, 12.5]),
      width: 32,
      height: 24,
      positive: 1,
      negative: 1,
    },
    // arg(sin(2 pi x'/W) + i sin(2 pi y'/H)) is periodic and smooth, with four zeros: +1 at
    // (0, 0) and (W/2, H/2) where it looks like atan2(y', x'), -1 at the other two.
    {
      name: 'a periodic field with four defects on a non-square lattice',
      phases: lattice(30, 20, (x, y) =>
        Math.atan2(
          Math.sin((2 * Math.PI * (y - 4.5)) / 20),
          Math.sin((2 * Math.PI * (x - 6.5)) / 30),
        ),
      ),
      width: 30,
      height: 20,
      positive: 2,
      negative: 2,
    },
    {
      name: 'a 1 x 1 lattice',
      phases: new Uint16Array([5]),
      width: 1,
      height: 1,
      positive: 0,
      negative: 0,
    },
  ])(
    'finds $positive positive and $negative negative vortices in $name',
    ({ phases, width, height, positive, negative }) => {
      expect(vortexCount(phases, width, height)).toEqual({
        total: positive + negative,
        positive,
        negative,
      });
    },
  );

  it('finds equal numbers of each sign on random phases, as periodic boundaries require', () => {
    let state = 12345;
    const phases = Uint16Array.from({ length: 50 * 40 }, () => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return state >>> 16;
    });
    const result = vortexCount(phases, 50, 40);
    expect(result.positive).toBe(result.negative);
    // White noise is full of defects: about a third of the plaquettes.
    expect(result.total).toBeGreaterThan(400);
  });

  it.each([
    { name: 'a length that does not match', phases: new Uint16Array(10), width: 3, height: 3 },
    { name: 'a zero width', phases: new Uint16Array(0), width: 0, height: 3 },
    { name: 'a fractional height', phases: new Uint16Array(6), width: 4, height: 1.5 },
  ])('rejects $name', ({ phases, width, height }) => {
    expect(() => vortexCount(phases, width, height)).toThrow(RangeError);
  });
});

describe('localOrderParameter', () => {
  it('is 1 where the neighbourhood agrees and small across a half-turn checkerboard', () => {
    const uniform = new Uint16Array(25).fill(1234);
    expect(localOrderParameter(uniform, 5, 5, 2, 2)).toBeCloseTo(1, 12);
    const checker = new Uint16Array(36);
    for (let y = 0; y < 6; y++)
      for (let x = 0; x < 6; x++) checker[y * 6 + x] = (x + y) % 2 ? 32768 : 0;
    // 5 of one phase and 4 of the opposite in a 3x3 block: R = 1/9.
    expect(localOrderParameter(checker, 6, 6, 0, 0)).toBeCloseTo(1 / 9, 12);
  });
});
