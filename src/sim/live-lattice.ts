// The live tenants' simulator: the lattice model of lattice.ts, d(theta_i)/dt = omega_i + K * sum
// over the 4 neighbours of sin(theta_j - theta_i - alpha), in fixed point, so that a million spins
// keep pace with 60 frames/s where the recorded traces' integrator (Heun's method in doubles, with
// its sine and cosine per spin per stage: about 62 ms a frame at 1024 x 1024) cannot.
//
// - A phase is a 32-bit integer, 2^32 steps to the turn: wrapping around the circle is the
//   integer's own overflow, and the u16 frame a client gets is its top 16 bits, rounded.
// - The coupling of a pair is a table lookup: K * dt * sin(d - alpha) for the phase difference d
//   rounded to one of 4,096 steps (0.09 degrees), already in phase steps per time step. That is
//   the whole of a spin's update besides four loads and adds: no trigonometry per step.
// - Euler steps, two per frame as the traces take (dt = 1/120 s keeps dt * 8 K = 1.33 inside
//   Euler's stability limit of 2 for K = 20), each reading one buffer and writing the other.
//
// Same parameters, same seed, same initial field (its Fourier sum taken row-separably: 0.8 s
// instead of 10 s at 1024 x 1024), the same spirals: on 256 x 256 over 1,200 frames the vortex
// count stays within 2 of the Heun integrator's. The phases drift apart, as two integrators of a
// spatiotemporally chaotic system do; a live tenant is a live system, not a replay, and recorded
// traces keep the exact integrator (trace-generate.ts, pinned byte for byte).
import type { Rng } from './rng';
import { createRng } from './rng';
import {
  argument,
  axisWave,
  initialModes,
  naturalFrequencies,
  resolveLatticeParams,
  type LatticeParams,
} from './lattice';

export interface LiveLattice {
  readonly width: number;
  readonly height: number;
  /** Simulated time since creation, in seconds. */
  readonly timeS: number;
  /** Advances simulated time by dtS * stepsPerFrame. */
  advanceFrame(): void;
  /** The current phases as u16 steps, q = round(theta / (2*pi) * 65536) mod 65536. */
  quantizeInto(out: Uint16Array): void;
}

const TWO_PI = 2 * Math.PI;
const TURN_STEPS = 2 ** 32;
const TABLE_BITS = 12;
const TABLE_SHIFT = 32 - TABLE_BITS;
/** Half a table step: the difference is rounded to the nearest entry, not truncated. */
const TABLE_ROUNDING = 2 ** (TABLE_SHIFT - 1);
/** Half a u16 step in phase steps: quantization rounds to the nearest u16. */
const QUANTIZE_ROUNDING = 2 ** 15;

/** Radians to phase steps, as the int32 whose bits are the step count mod 2^32. */
function toSteps(rad: number): number {
  return Math.round((rad / TWO_PI) * TURN_STEPS) | 0;
}

/**
 * lattice.ts's initial field (same modes, same amplitudes, drawn in the same order), summed
 * row-separably: per ky, the row's sum over kx for every column, then each row of the lattice as
 * the sum over ky. (#ky) * W * H complex multiplies instead of (#modes) * W * H; equal to the
 * mode-by-mode sum to rounding.
 */
function initialSteps(width: number, height: number, scaleCells: number, rng: Rng): Int32Array {
  const n = width * height;
  const steps = new Int32Array(n);
  if (scaleCells <= 0) {
    for (let i = 0; i < n; i++) steps[i] = toSteps(TWO_PI * rng.nextFloat());
    return steps;
  }
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  const rowRe = new Float64Array(width);
  const rowIm = new Float64Array(width);
  const modes = initialModes(width, height, scaleCells, rng);
  for (let m = 0; m < modes.length;) {
    const ky = modes[m]!.ky;
    rowRe.fill(0);
    rowIm.fill(0);
    for (; m < modes.length && modes[m]!.ky === ky; m++) {
      const { kx, ampRe, ampIm } = modes[m]!;
      const ex = axisWave(kx, width);
      for (let x = 0; x < width; x++) {
        const xRe = ex[2 * x]!;
        const xIm = ex[2 * x + 1]!;
        rowRe[x] = rowRe[x]! + ampRe * xRe - ampIm * xIm;
        rowIm[x] = rowIm[x]! + ampRe * xIm + ampIm * xRe;
      }
    }
    const ey = axisWave(ky, height);
    for (let y = 0; y < height; y++) {
      const yRe = ey[2 * y]!;
      const yIm = ey[2 * y + 1]!;
      const row = y * width;
      for (let x = 0; x < width; x++) {
        re[row + x] = re[row + x]! + rowRe[x]! * yRe - rowIm[x]! * yIm;
        im[row + x] = im[row + x]! + rowRe[x]! * yIm + rowIm[x]! * yRe;
      }
    }
  }
  for (let i = 0; i < n; i++) steps[i] = toSteps(argument(re[i]!, im[i]!));
  return steps;
}

/** Coupling per time step, in phase steps, for each of the 4,096 rounded phase differences. */
function couplingTable(p: LatticeParams): Int32Array {
  const table = new Int32Array(2 ** TABLE_BITS);
  for (let k = 0; k < table.length; k++) {
    const d = (TWO_PI * k) / table.length;
    table[k] = Math.round(((p.couplingK * p.dtS) / TWO_PI) * TURN_STEPS * Math.sin(d - p.alphaRad));
  }
  return table;
}

/** The table entry for the difference from phase `si` to `sj`. */
function pair(table: Int32Array, sj: number, si: number): number {
  return table[(sj - si + TABLE_ROUNDING) >>> TABLE_SHIFT]!;
}

/**
 * One Euler step from `src` into `dst`. The edge columns, whose neighbours wrap, are done apart,
 * so the inner loop has no branch: it is the whole cost of a live frame's simulation.
 */
function eulerStep(
  src: Int32Array,
  dst: Int32Array,
  drift: Int32Array,
  table: Int32Array,
  width: number,
  height: number,
): void {
  const edge = (i: number, left: number, right: number, up: number, down: number): void => {
    const si = src[i]!;
    const coupling =
      pair(table, src[left]!, si) +
      pair(table, src[right]!, si) +
      pair(table, src[up]!, si) +
      pair(table, src[down]!, si);
    dst[i] = (si + drift[i]! + coupling) | 0;
  };
  for (let y = 0; y < height; y++) {
    const row = y * width;
    const up = (y === 0 ? height - 1 : y - 1) * width;
    const down = (y === height - 1 ? 0 : y + 1) * width;
    const last = row + width - 1;
    edge(row, last, width > 1 ? row + 1 : row, up, down);
    for (let x = 1; x < width - 1; x++) {
      const i = row + x;
      const si = src[i]!;
      const coupling =
        table[(src[i - 1]! - si + TABLE_ROUNDING) >>> TABLE_SHIFT]! +
        table[(src[i + 1]! - si + TABLE_ROUNDING) >>> TABLE_SHIFT]! +
        table[(src[up + x]! - si + TABLE_ROUNDING) >>> TABLE_SHIFT]! +
        table[(src[down + x]! - si + TABLE_ROUNDING) >>> TABLE_SHIFT]!;
      dst[i] = (si + drift[i]! + coupling) | 0;
    }
    if (width > 1) edge(last, last - 1, row, up + width - 1, down + width - 1);
  }
}

export function createLiveLattice(params: Partial<LatticeParams> = {}): LiveLattice {
  const p = resolveLatticeParams(params);
  const { width, height, dtS, stepsPerFrame } = p;
  const rng = createRng(p.seed);
  const omega = naturalFrequencies(p, rng);
  const drift = new Int32Array(omega.length);
  for (let i = 0; i < omega.length; i++) drift[i] = toSteps(omega[i]! * dtS);
  let current: Int32Array = initialSteps(width, height, p.initialScaleCells, rng);
  let next: Int32Array = new Int32Array(current.length);
  const table = couplingTable(p);
  let stepCount = 0;
  return {
    width,
    height,
    get timeS() {
      return stepCount * dtS;
    },
    advanceFrame() {
      for (let s = 0; s < stepsPerFrame; s++) {
        eulerStep(current, next, drift, table, width, height);
        [current, next] = [next, current];
        stepCount++;
      }
    },
    quantizeInto(out) {
      if (out.length !== current.length) {
        throw new RangeError(`[sim] quantizeInto: ${current.length} spins but ${out.length}`);
      }
      for (let i = 0; i < current.length; i++) {
        out[i] = (current[i]! + QUANTIZE_ROUNDING) >>> 16;
      }
    },
  };
}
