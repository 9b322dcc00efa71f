// Phase metrics over a quantized frame: the Kuramoto order parameter and the vortex count.
// Both run on every frame of a live stream, so they work on the u16 steps directly.

import { PHASE_STEPS } from './phase';

export interface OrderParameter {
  /** |mean of e^(i theta)|, 1 for a uniform lattice, near 0 for incoherent phases. */
  r: number;
  /** Argument of the mean, in [0, 2*pi) radians. */
  psiRad: number;
}

export interface VortexCount {
  /** positive + negative: the number of topological defects. */
  total: number;
  /** Plaquettes whose phase winds by +2*pi going x+, then y+, then x-, then y-. */
  positive: number;
  /** Plaquettes that wind by -2*pi on the same path. */
  negative: number;
}

const TWO_PI = 2 * Math.PI;
const QUARTER_TURN_STEPS = PHASE_STEPS / 4;

// One cosine per u16 step (512 KiB); sin(q) = cos(q - quarter turn). Built on first use so that
// code which never computes metrics does not pay for it.
let cosTable: Float64Array | null = null;

function cosineTable(): Float64Array {
  if (cosTable !== null) return cosTable;
  const t = new Float64Array(PHASE_STEPS);
  for (let q = 0; q < PHASE_STEPS; q++) t[q] = Math.cos((q * TWO_PI) / PHASE_STEPS);
  cosTable = t;
  return t;
}

export function orderParameter(phases: Uint16Array): OrderParameter {
  const n = phases.length;
  if (n === 0) return { r: 0, psiRad: 0 };
  const cos = cosineTable();
  let sumCos = 0;
  let sumSin = 0;
  for (let i = 0; i < n; i++) {
    const q = phases[i]!;
    sumCos += cos[q]!;
    sumSin += cos[(q - QUARTER_TURN_STEPS) & 0xffff]!;
  }
  const meanCos = sumCos / n;
  const meanSin = sumSin / n;
  let psiRad = Math.atan2(meanSin, meanCos);
  if (psiRad < 0) psiRad += TWO_PI;
  // A tiny negative angle plus 2*pi can round up to exactly 2*pi, outside the half-open range.
  if (psiRad >= TWO_PI) psiRad = 0;
  return { r: Math.hypot(meanCos, meanSin), psiRad };
}

/**
 * Counts phase singularities: each 2x2 plaquette (periodic at the edges) whose wrapped phase
 * differences sum to a nonzero multiple of 2*pi. In u16 steps the sum is exactly a multiple of
 * 65536, so the winding is an integer division with no floating-point rounding.
 * On a periodic lattice the windings sum to zero, so positive always equals negative.
 */
export function vortexCount(phases: Uint16Array, width: number, height: number): VortexCount {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`vortexCount: bad dimensions ${width} x ${height}`);
  }
  if (phases.length !== width * height) {
    throw new RangeError(
      `vortexCount: ${phases.length} phases for a ${width} x ${height} lattice (${width * height})`,
    );
  }
  let positive = 0;
  let negative = 0;
  const wrap = (steps: number): number => ((steps + 32768) & 0xffff) - 32768;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    const nextRow = (y + 1 === height ? 0 : y + 1) * width;
    // Walking right, each plaquette's right-hand corners are the next one's left-hand corners:
    // two loads a plaquette instead of four.
    let a = phases[row]!;
    let d = phases[nextRow]!;
    for (let x = 0; x < width; x++) {
      const nextX = x + 1 === width ? 0 : x + 1;
      const b = phases[row + nextX]!;
      const c = phases[nextRow + nextX]!;
      const sumSteps = wrap(b - a) + wrap(c - b) + wrap(d - c) + wrap(a - d);
      a = b;
      d = c;
      // Almost every plaquette winds by 0.
      if (sumSteps === 0) continue;
      // sumSteps is a multiple of 65536 in [-131072, 131068]: windings -2, -1 or +1.
      const winding = sumSteps / PHASE_STEPS;
      if (winding > 0) positive += winding;
      else negative -= winding;
    }
  }
  return { total: positive + negative, positive, negative };
}

/**
 * Order parameter R of the (2*radius+1)^2 neighbourhood of cell (x, y), periodic at the edges:
 * 1 where neighbours agree, near 0 at a vortex core or across a front.
 */
export function localOrderParameter(
  phases: Uint16Array,
  width: number,
  height: number,
  x: number,
  y: number,
  radius = 1,
): number {
  const cos = cosineTable();
  let sumCos = 0;
  let sumSin = 0;
  let n = 0;
  for (let dy = -radius; dy <= radius; dy++) {
    const row = (((y + dy) % height) + height) % height;
    for (let dx = -radius; dx <= radius; dx++) {
      const col = (((x + dx) % width) + width) % width;
      const q = phases[row * width + col]!;
      sumCos += cos[q]!;
      sumSin += cos[(q - QUARTER_TURN_STEPS) & 0xffff]!;
      n += 1;
    }
  }
  return Math.hypot(sumCos / n, sumSin / n);
}
