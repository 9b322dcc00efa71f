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
//
// Why these features: in a Kuramoto-Sakaguchi lattice the phase acceleration of spin i is
// K * sum_j cos(theta_j - theta_i - alpha) * (omega_j - omega_i) = a * F1 + b * F2 with
// a = K cos(alpha), b = K sin(alpha), so the second difference, whose residual would otherwise be
// that acceleration, is corrected by a two-coefficient linear model the encoder fits per frame.
//
// docs/CODEC.md defines F1 and F2 edge by edge: each lattice edge (i, right of i) and (i, below i),
// wrapping around, adds COS[k] * d to F1 of i and subtracts it from F1 of j (cos is even, the
// motion difference odd), and adds SIN[k] * d to F2 of both. Every term is an integer of at most
// 2^29 in magnitude, so sums of four are exact in any order. The passes below therefore gather
// each spin's features as they go instead of scattering into per-spin arrays: a spin computes its
// right and lower edges, takes its left edge from the spin before it and its upper edge from the
// row before, and uses the sums at once. One pass over the lattice, no feature arrays, and the
// same integers the definition gives.

/** Scratch of the order-2 predictor, allocated once per lattice size. */
export interface CouplingScratch {
  /** Motion of the previous step, wrap16(prev1 - prev2), per spin. */
  readonly motion: Int16Array;
  /** Per column: the COS and SIN terms of the edge from the row above, for the next row. */
  readonly upCos: Int32Array;
  readonly upSin: Int32Array;
  /** The fit's sample: each sampled spin's features and second difference. */
  readonly sampleF1: Float64Array;
  readonly sampleF2: Float64Array;
  readonly sampleE: Float64Array;
}

/**
 * Spins the encoder fits the coupling on. Up to this many the fit takes every spin; above, evenly
 * spaced rows of about this many spins: two coefficients of a model the whole lattice shares are
 * pinned down long before that, and the fit's cost stops growing with the lattice.
 */
export const FIT_SAMPLE_SPINS = 65_536;

function fitRowStride(width: number, height: number): number {
  return Math.max(1, Math.ceil((width * height) / FIT_SAMPLE_SPINS));
}

export function createCouplingScratch(width: number, height: number): CouplingScratch {
  const n = width * height;
  const sampled = width * Math.ceil(height / fitRowStride(width, height));
  return {
    motion: new Int16Array(n),
    upCos: new Int32Array(width),
    upSin: new Int32Array(width),
    sampleF1: new Float64Array(sampled),
    sampleF2: new Float64Array(sampled),
    sampleE: new Float64Array(sampled),
  };
}

/** motion = wrap16(prev1 - prev2): an Int16Array store wraps as wrap16 does. */
function computeMotion(prev1: Uint16Array, prev2: Uint16Array, motion: Int16Array): void {
  const n = motion.length;
  for (let i = 0; i < n; i++) motion[i] = prev1[i]! - prev2[i]!;
}

/** The table step of the phase difference from spin i to spin j: k of docs/CODEC.md 4.3. */
function step(prev1: Uint16Array, i: number, j: number): number {
  return ((prev1[j]! - prev1[i]! + 128) & 0xffff) >>> 8;
}

/** wrap16 of the motion difference m_j - m_i. */
function motionDelta(motion: Int16Array, i: number, j: number): number {
  return ((motion[j]! - motion[i]!) << 16) >> 16;
}

/**
 * The one pass of an order-2 delta, for both directions: with `planes` read (decode) it writes
 * each spin of `frame`; otherwise (encode) it reads `frame` and writes the residual planes. Needs
 * the motion in `scratch`. One function, so encoder and decoder cannot drift apart; written out
 * by hand, without callbacks, because it is the codec's hottest loop (a callback per spin cost a
 * third more, and twice that once V8 saw both directions' callbacks).
 */
function coupledPass(
  decode: boolean,
  frame: Uint16Array,
  prev1: Uint16Array,
  prev2: Uint16Array,
  width: number,
  height: number,
  a: number,
  b: number,
  scratch: CouplingScratch,
  planes: Uint8Array,
): void {
  const { motion, upCos, upSin } = scratch;
  const n = width * height;
  // The upper edges of row 0 are the edges from the last row down to it (the lattice wraps).
  const last = (height - 1) * width;
  for (let x = 0; x < width; x++) {
    const k = step(prev1, last + x, x);
    const d = motionDelta(motion, last + x, x);
    upCos[x] = COUPLING_COS[k]! * d;
    upSin[x] = COUPLING_SIN[k]! * d;
  }
  for (let y = 0; y < height; y++) {
    const row = y * width;
    const downRow = y === height - 1 ? 0 : row + width;
    // The left edge of x = 0 is the right edge of the row's last spin.
    let k = step(prev1, row + width - 1, row);
    let d = motionDelta(motion, row + width - 1, row);
    let leftCos = COUPLING_COS[k]! * d;
    let leftSin = COUPLING_SIN[k]! * d;
    let qi = prev1[row]!;
    let mi = motion[row]!;
    for (let x = 0; x < width; x++) {
      const i = row + x;
      const right = x === width - 1 ? row : i + 1;
      const qRight = prev1[right]!;
      const mRight = motion[right]!;
      k = ((qRight - qi + 128) & 0xffff) >>> 8;
      d = ((mRight - mi) << 16) >> 16;
      const rightCos = COUPLING_COS[k]! * d;
      const rightSin = COUPLING_SIN[k]! * d;
      const down = downRow + x;
      k = ((prev1[down]! - qi + 128) & 0xffff) >>> 8;
      d = ((motion[down]! - mi) << 16) >> 16;
      const downCos = COUPLING_COS[k]! * d;
      const downSin = COUPLING_SIN[k]! * d;
      const f1 = rightCos + downCos - leftCos - upCos[x]!;
      const f2 = rightSin + downSin + leftSin + upSin[x]!;
      upCos[x] = downCos;
      upSin[x] = downSin;
      leftCos = rightCos;
      leftSin = rightSin;
      const prediction =
        2 * qi - prev2[i]! + Math.floor((a * f1 + b * f2 + CORRECTION_HALF) * CORRECTION_SCALE);
      if (decode) {
        const z = planes[i]! | (planes[n + i]! << 8);
        frame[i] = (prediction + ((z >>> 1) ^ -(z & 1))) & 0xffff;
      } else {
        const e = ((frame[i]! - prediction) << 16) >> 16;
        const z = (e << 1) ^ (e >> 31);
        planes[i] = z;
        planes[n + i] = z >>> 8;
      }
      qi = qRight;
      mi = mRight;
    }
  }
}

/**
 * F1 and F2 of every spin of row y, from all four of its edges; needs the motion in `scratch`.
 * Used for the rows the fit samples, where the rows around are not visited.
 */
function rowFeatures(
  prev1: Uint16Array,
  width: number,
  height: number,
  y: number,
  motion: Int16Array,
  f1: Float64Array,
  f2: Float64Array,
  offset: number,
): void {
  const row = y * width;
  const upRow = (y === 0 ? height - 1 : y - 1) * width;
  const downRow = (y === height - 1 ? 0 : y + 1) * width;
  for (let x = 0; x < width; x++) {
    const i = row + x;
    const right = x === width - 1 ? row : i + 1;
    const left = x === 0 ? row + width - 1 : i - 1;
    const down = downRow + x;
    const up = upRow + x;
    // Edges from i (to its right and lower spins) add COS to F1 of i, edges into i (from its left
    // and upper spins) subtract it; all four add SIN to F2.
    let k = step(prev1, i, right);
    let d = motionDelta(motion, i, right);
    let sumCos = COUPLING_COS[k]! * d;
    let sumSin = COUPLING_SIN[k]! * d;
    k = step(prev1, i, down);
    d = motionDelta(motion, i, down);
    sumCos += COUPLING_COS[k]! * d;
    sumSin += COUPLING_SIN[k]! * d;
    k = step(prev1, left, i);
    d = motionDelta(motion, left, i);
    sumCos -= COUPLING_COS[k]! * d;
    sumSin += COUPLING_SIN[k]! * d;
    k = step(prev1, up, i);
    d = motionDelta(motion, up, i);
    sumCos -= COUPLING_COS[k]! * d;
    sumSin += COUPLING_SIN[k]! * d;
    f1[offset + x] = sumCos;
    f2[offset + x] = sumSin;
  }
}

/**
 * Least-squares coefficients (A, B) of the coupling correction for `frame`, as the integers the
 * payload carries, from every spin or, on lattices over FIT_SAMPLE_SPINS, from evenly spaced rows.
 * One reweighted pass (weights 1 / (1 + |residual|)) keeps vortex cores, where the linear model
 * fails, from pulling the fit away from the bulk. Leaves the motion in `scratch` for the planes.
 */
export function fitCoupling(
  frame: Uint16Array,
  prev1: Uint16Array,
  prev2: Uint16Array,
  width: number,
  height: number,
  scratch: CouplingScratch,
): { a: number; b: number } {
  const { motion, sampleF1: f1, sampleF2: f2, sampleE: eOf } = scratch;
  computeMotion(prev1, prev2, motion);
  const stride = fitRowStride(width, height);
  let count = 0;
  for (let y = 0; y < height; y += stride) {
    rowFeatures(prev1, width, height, y, motion, f1, f2, count);
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const i = row + x;
      eOf[count + x] = ((frame[i]! - 2 * prev1[i]! + prev2[i]!) << 16) >> 16;
    }
    count += width;
  }
  let a = 0;
  let b = 0;
  for (let pass = 0; pass < 2; pass++) {
    let s11 = 0;
    let s12 = 0;
    let s22 = 0;
    let s1e = 0;
    let s2e = 0;
    for (let i = 0; i < count; i++) {
      const e = eOf[i]!;
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

/** Residual planes of an order-2 delta; needs fitCoupling's motion in `scratch`. */
export function order2ToPlanes(
  frame: Uint16Array,
  prev1: Uint16Array,
  prev2: Uint16Array,
  width: number,
  height: number,
  a: number,
  b: number,
  scratch: CouplingScratch,
  planes: Uint8Array,
): void {
  coupledPass(false, frame, prev1, prev2, width, height, a, b, scratch, planes);
}

export function order2FromPlanes(
  planes: Uint8Array,
  prev1: Uint16Array,
  prev2: Uint16Array,
  width: number,
  height: number,
  a: number,
  b: number,
  scratch: CouplingScratch,
  out: Uint16Array,
): void {
  computeMotion(prev1, prev2, scratch.motion);
  coupledPass(true, out, prev1, prev2, width, height, a, b, scratch, planes);
}
