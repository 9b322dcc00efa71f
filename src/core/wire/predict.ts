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
  /** The fit's motion, wrap16(prev1 - prev2), on the rows it reads (every row up to 65,536 spins). */
  readonly motion: Int16Array;
  /** Per column: the correction term the edge from the row above brings its lower spin. */
  readonly upTerm: Float64Array;
  /** Per table step k: A*COS[k] + B*SIN[k] and -A*COS[k] + B*SIN[k] of the frame's A, B. */
  readonly outWeight: Float64Array;
  readonly inWeight: Float64Array;
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
  const sampled = width * Math.ceil(height / fitRowStride(width, height));
  return {
    motion: new Int16Array(width * height),
    upTerm: new Float64Array(width),
    outWeight: new Float64Array(TABLE_STEPS),
    inWeight: new Float64Array(TABLE_STEPS),
    sampleF1: new Float64Array(sampled),
    sampleF2: new Float64Array(sampled),
    sampleE: new Float64Array(sampled),
  };
}

/** The table step of the phase difference from spin i to spin j: k of docs/CODEC.md 4.3. */
function step(prev1: Uint16Array, i: number, j: number): number {
  return ((prev1[j]! - prev1[i]! + 128) & 0xffff) >>> 8;
}

/** motion = wrap16(prev1 - prev2) on rows [firstRow, endRow): an Int16Array store wraps. */
function computeMotionRows(
  prev1: Uint16Array,
  prev2: Uint16Array,
  width: number,
  firstRow: number,
  endRow: number,
  motion: Int16Array,
): void {
  for (let i = firstRow * width, end = endRow * width; i < end; i++)
    motion[i] = prev1[i]! - prev2[i]!;
}

/**
 * wrap16(m_j - m_i) with m = prev1 - prev2: wrapping once at the end gives what wrapping each
 * motion first gives (all of it is arithmetic mod 65536), so no motion array is needed.
 */
function motionDelta(prev1: Uint16Array, prev2: Uint16Array, i: number, j: number): number {
  return ((prev1[j]! - prev2[j]! - prev1[i]! + prev2[i]!) << 16) >> 16;
}

/** wrap16 of the motion difference m_j - m_i, from the fit's motion array. */
function fitMotionDelta(motion: Int16Array, i: number, j: number): number {
  return ((motion[j]! - motion[i]!) << 16) >> 16;
}

/**
 * A * F1_i + B * F2_i summed edge by edge instead of feature by feature: an edge (i, j) of step k
 * and motion difference d brings i d * (A*COS[k] + B*SIN[k]) and j d * (-A*COS[k] + B*SIN[k]).
 * Every product and partial sum is an integer below 2^52 in magnitude (|A|, |B| <= 2^20, table
 * entries <= 2^14, |d| <= 2^15, four edges), exact in a double whatever the order, so the sum is
 * the one docs/CODEC.md 4.3 defines; and a spin costs two table reads and two multiplies an edge
 * instead of four integer products and two conversions.
 */
function fillEdgeWeights(a: number, b: number, scratch: CouplingScratch): void {
  const { outWeight, inWeight } = scratch;
  for (let k = 0; k < TABLE_STEPS; k++) {
    outWeight[k] = a * COUPLING_COS[k]! + b * COUPLING_SIN[k]!;
    inWeight[k] = -a * COUPLING_COS[k]! + b * COUPLING_SIN[k]!;
  }
}

/**
 * The one pass of an order-2 delta, for both directions: with `planes` read (decode) it writes
 * each spin of `frame`; otherwise (encode) it reads `frame` and writes the residual planes. One
 * function, so encoder and decoder cannot drift apart; written out by hand, without callbacks,
 * because it is the codec's hottest loop (a callback per spin cost a third more, and twice that
 * once V8 saw both directions' callbacks). The motion m = prev1 - prev2 is taken from the two
 * frames as the sweep goes: a separate motion array cost a pass over the lattice to fill and as
 * many loads to read.
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
  const { upTerm, outWeight, inWeight } = scratch;
  fillEdgeWeights(a, b, scratch);
  const n = width * height;
  // The upper edges of row 0 are the edges from the last row down to it (the lattice wraps).
  const last = (height - 1) * width;
  for (let x = 0; x < width; x++) {
    upTerm[x] = motionDelta(prev1, prev2, last + x, x) * inWeight[step(prev1, last + x, x)]!;
  }
  for (let y = 0; y < height; y++) {
    const row = y * width;
    const rowEnd = row + width - 1;
    const downOffset = (y === height - 1 ? 0 : row + width) - row;
    // The left edge of x = 0 is the right edge of the row's last spin.
    let leftTerm = motionDelta(prev1, prev2, rowEnd, row) * inWeight[step(prev1, rowEnd, row)]!;
    let qi = prev1[row]!;
    let mi = qi - prev2[row]!;
    for (let i = row; i <= rowEnd; i++) {
      // The right neighbour, wrapping to the row's first spin at its end.
      const right = i === rowEnd ? row : i + 1;
      const qRight = prev1[right]!;
      const mRight = qRight - prev2[right]!;
      let d = ((mRight - mi) << 16) >> 16;
      let k = ((qRight - qi + 128) & 0xffff) >>> 8;
      const rightOut = d * outWeight[k]!;
      const rightIn = d * inWeight[k]!;
      const down = i + downOffset;
      const qDown = prev1[down]!;
      d = ((qDown - prev2[down]! - mi) << 16) >> 16;
      k = ((qDown - qi + 128) & 0xffff) >>> 8;
      const x = i - row;
      const sum = rightOut + d * outWeight[k]! + leftTerm + upTerm[x]!;
      upTerm[x] = d * inWeight[k]!;
      leftTerm = rightIn;
      // 2 * P1 - P2 = P1 + m, mod 65536 like everything else here.
      const prediction = qi + mi + Math.floor((sum + CORRECTION_HALF) * CORRECTION_SCALE);
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
 * F1 and F2 of every spin of row y, from all four of its edges; needs the motion of rows y - 1 to
 * y + 1.
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
    let d = fitMotionDelta(motion, i, right);
    let sumCos = COUPLING_COS[k]! * d;
    let sumSin = COUPLING_SIN[k]! * d;
    k = step(prev1, i, down);
    d = fitMotionDelta(motion, i, down);
    sumCos += COUPLING_COS[k]! * d;
    sumSin += COUPLING_SIN[k]! * d;
    k = step(prev1, left, i);
    d = fitMotionDelta(motion, left, i);
    sumCos -= COUPLING_COS[k]! * d;
    sumSin += COUPLING_SIN[k]! * d;
    k = step(prev1, up, i);
    d = fitMotionDelta(motion, up, i);
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
 * fails, from pulling the fit away from the bulk.
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
  const stride = fitRowStride(width, height);
  if (stride === 1) computeMotionRows(prev1, prev2, width, 0, height, motion);
  else {
    // Only the sampled rows and their neighbours: the rest of the lattice is not read.
    for (let y = 0; y < height; y += stride) {
      computeMotionRows(prev1, prev2, width, Math.max(0, y - 1), Math.min(height, y + 2), motion);
    }
    computeMotionRows(prev1, prev2, width, height - 1, height, motion);
  }
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

/** Residual planes of an order-2 delta with fitCoupling's A and B. */
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
  coupledPass(true, out, prev1, prev2, width, height, a, b, scratch, planes);
}
