// The three predictors of the frame codec (docs/CODEC.md, "Predictors"). Each turns a frame into
// residual byte planes and back; the encoder and the decoder call the same prediction code, so they
// agree to the last bit. Phases are u16 steps on a circle: every difference wraps to a signed 16-bit
// value, so a spin crossing 65535 -> 0 costs nothing.
//
// Residual planes: the residual e of spin i is zigzagged to z in [0, 65535] (small magnitudes of
// either sign become small numbers), then split into planes[i] = low byte and planes[n + i] = high
// byte. The high plane is nearly all zeros, which the entropy coder turns into a few runs.

/** Steps per lattice revolution of the coupling tables: 256 entries, 1.4 degrees apart. */
const TABLE_STEPS = 256;
/** Fixed-point scale of the coupling tables (Q14). */
const TABLE_ONE = 16384;

/**
 * round(16384 * cos) and round(16384 * sin) of 2*pi*k/256. Every entry lies well away from a
 * rounding boundary (checked by a test), so every engine's Math.cos builds the same integers.
 */
export const COUPLING_COS = new Int32Array(TABLE_STEPS);
export const COUPLING_SIN = new Int32Array(TABLE_STEPS);
for (let k = 0; k < TABLE_STEPS; k++) {
  COUPLING_COS[k] = Math.round(TABLE_ONE * Math.cos((2 * Math.PI * k) / TABLE_STEPS));
  COUPLING_SIN[k] = Math.round(TABLE_ONE * Math.sin((2 * Math.PI * k) / TABLE_STEPS));
}

/**
 * Largest magnitude of a coupling coefficient. With |feature| <= 4 * 16384 * 32768 = 2^31, each
 * product stays under 2^51 and the sum under 2^52: exact in a double, so no engine rounds it.
 */
export const COEFFICIENT_LIMIT = 2 ** 20;
/** The correction is (A*F1 + B*F2) / 2^32, rounded half up. */
const CORRECTION_SCALE = 2 ** -32;
const CORRECTION_HALF = 2 ** 31;

function writePlanes(planes: Uint8Array, n: number, i: number, residual: number): void {
  const e = (residual << 16) >> 16;
  const z = (e << 1) ^ (e >> 31);
  planes[i] = z;
  planes[n + i] = z >>> 8;
}

function readResidual(planes: Uint8Array, n: number, i: number): number {
  const z = planes[i]! | (planes[n + i]! << 8);
  return (z >>> 1) ^ -(z & 1);
}

// ---- Keyframe: planar spatial prediction --------------------------------------------------------

/** Residual planes of a keyframe: each spin predicted from its left, upper and upper-left spins. */
export function keyToPlanes(
  frame: Uint16Array,
  width: number,
  height: number,
  planes: Uint8Array,
): void {
  const n = width * height;
  let left = 0;
  for (let x = 0; x < width; x++) {
    const q = frame[x]!;
    writePlanes(planes, n, x, q - left);
    left = q;
  }
  for (let y = 1; y < height; y++) {
    const row = y * width;
    writePlanes(planes, n, row, frame[row]! - frame[row - width]!);
    for (let i = row + 1; i < row + width; i++) {
      const pred = frame[i - 1]! + frame[i - width]! - frame[i - width - 1]!;
      writePlanes(planes, n, i, frame[i]! - pred);
    }
  }
}

export function keyFromPlanes(
  planes: Uint8Array,
  width: number,
  height: number,
  out: Uint16Array,
): void {
  const n = width * height;
  let left = 0;
  for (let x = 0; x < width; x++) {
    left = (left + readResidual(planes, n, x)) & 0xffff;
    out[x] = left;
  }
  for (let y = 1; y < height; y++) {
    const row = y * width;
    out[row] = (out[row - width]! + readResidual(planes, n, row)) & 0xffff;
    for (let i = row + 1; i < row + width; i++) {
      const pred = out[i - 1]! + out[i - width]! - out[i - width - 1]!;
      out[i] = (pred + readResidual(planes, n, i)) & 0xffff;
    }
  }
}

// ---- Order-1 delta: the frame's motion predicted from the motion of its already-sent neighbours --

/**
 * Residual planes of an order-1 delta. The motion v = cur - prev of each spin is predicted by the
 * mean motion of its left and upper spins in the same frame, so a lattice that turns as a whole
 * costs nothing and a front costs only where it is. `motion` is scratch of length n.
 */
export function order1ToPlanes(
  frame: Uint16Array,
  prev: Uint16Array,
  width: number,
  height: number,
  motion: Int32Array,
  planes: Uint8Array,
): void {
  const n = width * height;
  for (let i = 0; i < n; i++) motion[i] = ((frame[i]! - prev[i]!) << 16) >> 16;
  let left = 0;
  for (let x = 0; x < width; x++) {
    writePlanes(planes, n, x, motion[x]! - left);
    left = motion[x]!;
  }
  for (let y = 1; y < height; y++) {
    const row = y * width;
    writePlanes(planes, n, row, motion[row]! - motion[row - width]!);
    for (let i = row + 1; i < row + width; i++) {
      writePlanes(planes, n, i, motion[i]! - ((motion[i - 1]! + motion[i - width]!) >> 1));
    }
  }
}

export function order1FromPlanes(
  planes: Uint8Array,
  prev: Uint16Array,
  width: number,
  height: number,
  motion: Int32Array,
  out: Uint16Array,
): void {
  const n = width * height;
  const wrap = (v: number): number => (v << 16) >> 16;
  let left = 0;
  for (let x = 0; x < width; x++) {
    left = wrap(left + readResidual(planes, n, x));
    motion[x] = left;
  }
  for (let y = 1; y < height; y++) {
    const row = y * width;
    motion[row] = wrap(motion[row - width]! + readResidual(planes, n, row));
    for (let i = row + 1; i < row + width; i++) {
      const pred = (motion[i - 1]! + motion[i - width]!) >> 1;
      motion[i] = wrap(pred + readResidual(planes, n, i));
    }
  }
  for (let i = 0; i < n; i++) out[i] = (prev[i]! + motion[i]!) & 0xffff;
}

// ---- Order-2 delta: second difference corrected by the lattice coupling --------------------------

/** Scratch of the order-2 predictor, allocated once per lattice size. */
export interface CouplingScratch {
  /** Motion of the previous step, prev1 - prev2 (wrapped), per spin. */
  readonly motion: Int32Array;
  /** sum over the 4 neighbours j of cos(prev1_j - prev1_i) * (motion_j - motion_i), in Q14. */
  readonly f1: Float64Array;
  /** The same with sin. */
  readonly f2: Float64Array;
}

export function createCouplingScratch(spinCount: number): CouplingScratch {
  return {
    motion: new Int32Array(spinCount),
    f1: new Float64Array(spinCount),
    f2: new Float64Array(spinCount),
  };
}

/**
 * Why these features: in a Kuramoto-Sakaguchi lattice the phase acceleration of spin i is
 * K * sum_j cos(theta_j - theta_i - alpha) * (omega_j - omega_i) = a * F1 + b * F2 with
 * a = K cos(alpha), b = K sin(alpha), so the second difference, whose residual would otherwise be
 * that acceleration, is corrected by a two-coefficient linear model the encoder fits per frame.
 * Each lattice edge (i, right of i) and (i, below i), wrapping around, is visited once: cos is even
 * and the motion difference odd, so the edge adds to F1 of i what it subtracts from F1 of j.
 */
export function couplingFeatures(
  prev1: Uint16Array,
  prev2: Uint16Array,
  width: number,
  height: number,
  scratch: CouplingScratch,
): void {
  const { motion, f1, f2 } = scratch;
  const n = width * height;
  for (let i = 0; i < n; i++) motion[i] = ((prev1[i]! - prev2[i]!) << 16) >> 16;
  f1.fill(0);
  f2.fill(0);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    const downRow = y === height - 1 ? 0 : row + width;
    for (let x = 0; x < width; x++) {
      const i = row + x;
      const qi = prev1[i]!;
      const mi = motion[i]!;
      // Right neighbour.
      let j = x === width - 1 ? row : i + 1;
      let k = ((prev1[j]! - qi + 128) & 0xffff) >>> 8;
      let dm = ((motion[j]! - mi) << 16) >> 16;
      let c = COUPLING_COS[k]! * dm;
      let s = COUPLING_SIN[k]! * dm;
      f1[i] = f1[i]! + c;
      f2[i] = f2[i]! + s;
      f1[j] = f1[j]! - c;
      f2[j] = f2[j]! + s;
      // Lower neighbour.
      j = downRow + x;
      k = ((prev1[j]! - qi + 128) & 0xffff) >>> 8;
      dm = ((motion[j]! - mi) << 16) >> 16;
      c = COUPLING_COS[k]! * dm;
      s = COUPLING_SIN[k]! * dm;
      f1[i] = f1[i]! + c;
      f2[i] = f2[i]! + s;
      f1[j] = f1[j]! - c;
      f2[j] = f2[j]! + s;
    }
  }
}

/**
 * Least-squares coefficients (A, B) of the coupling correction for `frame`, as the integers the
 * payload carries. Needs couplingFeatures(prev1, prev2) in `scratch`. One reweighted pass
 * (weights 1 / (1 + |residual|)) keeps vortex cores, where the linear model fails, from pulling
 * the fit away from the bulk.
 */
export function fitCoupling(
  frame: Uint16Array,
  prev1: Uint16Array,
  prev2: Uint16Array,
  scratch: CouplingScratch,
): { a: number; b: number } {
  const { f1, f2 } = scratch;
  const n = frame.length;
  let a = 0;
  let b = 0;
  for (let pass = 0; pass < 2; pass++) {
    let s11 = 0;
    let s12 = 0;
    let s22 = 0;
    let s1e = 0;
    let s2e = 0;
    for (let i = 0; i < n; i++) {
      const e = ((frame[i]! - 2 * prev1[i]! + prev2[i]!) << 16) >> 16;
      const x1 = f1[i]!;
      const x2 = f2[i]!;
      const w = pass === 0 ? 1 : 1 / (1 + Math.abs(e - a * x1 - b * x2));
      s11 += w * x1 * x1;
      s12 += w * x1 * x2;
      s22 += w * x2 * x2;
      s1e += w * x1 * e;
      s2e += w * x2 * e;
    }
    const det = s11 * s22 - s12 * s12;
    // A lattice at rest or moving as a whole has no coupling signal: plain second difference.
    if (!(det > 1e-9 * s11 * s22) || !Number.isFinite(det)) return { a: 0, b: 0 };
    a = (s1e * s22 - s2e * s12) / det;
    b = (s2e * s11 - s1e * s12) / det;
  }
  return { a: toCoefficient(a), b: toCoefficient(b) };
}

function toCoefficient(perFeatureUnit: number): number {
  const q = Math.round(perFeatureUnit / CORRECTION_SCALE);
  return Math.max(-COEFFICIENT_LIMIT, Math.min(COEFFICIENT_LIMIT, q));
}

/** Residual planes of an order-2 delta; needs couplingFeatures(prev1, prev2) in `scratch`. */
export function order2ToPlanes(
  frame: Uint16Array,
  prev1: Uint16Array,
  prev2: Uint16Array,
  a: number,
  b: number,
  scratch: CouplingScratch,
  planes: Uint8Array,
): void {
  const { f1, f2 } = scratch;
  const n = frame.length;
  for (let i = 0; i < n; i++) {
    const correction = Math.floor((a * f1[i]! + b * f2[i]! + CORRECTION_HALF) * CORRECTION_SCALE);
    writePlanes(planes, n, i, frame[i]! - (2 * prev1[i]! - prev2[i]! + correction));
  }
}

export function order2FromPlanes(
  planes: Uint8Array,
  prev1: Uint16Array,
  prev2: Uint16Array,
  a: number,
  b: number,
  scratch: CouplingScratch,
  out: Uint16Array,
): void {
  const { f1, f2 } = scratch;
  const n = out.length;
  for (let i = 0; i < n; i++) {
    const correction = Math.floor((a * f1[i]! + b * f2[i]! + CORRECTION_HALF) * CORRECTION_SCALE);
    out[i] = (2 * prev1[i]! - prev2[i]! + correction + readResidual(planes, n, i)) & 0xffff;
  }
}
