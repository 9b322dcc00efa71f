// A 2-D Kuramoto-Sakaguchi lattice with periodic boundaries:
//   d(theta_i)/dt = omega_i + K * sum over the 4 neighbours j of sin(theta_j - theta_i - alpha)
// integrated with Heun's method. Deterministic: the same parameters give the same phases bit for
// bit on every run and machine under Node (V8's Math.sin, cos, atan2 and log are fixed software
// ports of fdlibm, and the step itself uses only +, -, * and table lookups in a fixed order).

import { quantizeInto as quantizePhases } from '../core/phase';
import { MAX_SPINS } from '../core/trace';
import { createRng, type Rng } from './rng';

export interface LatticeParams {
  /** Lattice columns. */
  width: number;
  /** Lattice rows. */
  height: number;
  /** Seeds the natural frequencies and the initial phases. */
  seed: bigint;
  /** Coupling strength K, in rad/s per neighbour. */
  couplingK: number;
  /** Phase lag alpha of the Sakaguchi coupling, in radians. */
  alphaRad: number;
  /** Mean natural frequency, in rad/s. */
  omegaMeanRadPerS: number;
  /** Standard deviation of the natural frequencies, in rad/s. */
  omegaSpreadRadPerS: number;
  /** Integration step, in simulated seconds. */
  dtS: number;
  /** Integration steps per frame; a frame advances simulated time by dtS * stepsPerFrame. */
  stepsPerFrame: number;
  /** Wall-clock interval at which frames are meant to be shown, in seconds. */
  frameIntervalS: number;
  /**
   * Shortest wavelength, in cells, of the smooth random field the initial phases are drawn from;
   * about one vortex pair starts per square of this size. 0 gives independent random phases.
   */
  initialScaleCells: number;
}

// Tuned on 120 x 100 over 1,200 frames at 60 frames/s (simulated time runs at wall-clock speed):
// - alpha = 0.5 rad makes the core of every vortex turn faster than the bulk, so each vortex
//   becomes a spiral that emits travelling fronts with a wavelength of about 9 cells. Below
//   about 0.3 the waves are too weak to form spirals; above about 0.8 the lattice turns into
//   fine-grained turbulence that looks like noise.
// - K = 20 rad/s forms the spirals within about 2 s and keeps dt * 8 K (the stiffest linear
//   mode) at 1.3, inside Heun's stability limit of 2 with 2 steps per frame.
// - The lag alone turns a uniform lattice at -4 K sin(alpha) = -38.4 rad/s; omegaMean offsets
//   that so the lattice turns forward at a net +3 rad/s (faster near spiral cores): a typical
//   spin moves about 0.1 rad between frames, well under pi/4, so motion reads as smooth.
// - A spread of 2 rad/s lets spirals with faster cores slowly invade their neighbours, so the
//   pattern keeps changing over the whole trace instead of freezing into a fixed mosaic.
// - initialScaleCells = 35 starts a dozen or so vortices on 120 x 100: spirals large enough to
//   show their arms, and enough of them to compete.
const DEFAULT_COUPLING_K = 20;
const DEFAULT_ALPHA_RAD = 0.5;
const DEFAULT_NET_ROTATION_RAD_PER_S = 3;

export const DEFAULT_LATTICE_PARAMS: LatticeParams = {
  width: 120,
  height: 100,
  seed: 20261126n,
  couplingK: DEFAULT_COUPLING_K,
  alphaRad: DEFAULT_ALPHA_RAD,
  omegaMeanRadPerS:
    4 * DEFAULT_COUPLING_K * Math.sin(DEFAULT_ALPHA_RAD) + DEFAULT_NET_ROTATION_RAD_PER_S,
  omegaSpreadRadPerS: 2,
  dtS: 1 / 120,
  stepsPerFrame: 2,
  frameIntervalS: 1 / 60,
  initialScaleCells: 35,
};

export interface Lattice {
  readonly width: number;
  readonly height: number;
  /** Current phases in [0, 2*pi) radians, row-major (i = y * width + x). Do not write to it. */
  readonly phases: Float64Array;
  /** Simulated time since creation, in seconds. */
  readonly timeS: number;
  /** Advances simulated time by dtS * stepsPerFrame. */
  advanceFrame(): void;
  /** Quantizes the current phases into `out` (length width * height), as the trace stores them. */
  quantizeInto(out: Uint16Array): void;
}

const TWO_PI = 2 * Math.PI;

// Initial phases are the argument of a random periodic complex field made of the Fourier modes
// whose wavelength is at least scaleCells; its zeros are the initial vortices. Starting from white
// noise instead would nucleate thousands of vortices that freeze into a fine-grained glass of tiny
// spirals; a smooth start leaves room for a few large spirals to grow.

/** One Fourier mode of the initial field: wave numbers and a complex Gaussian amplitude. */
export interface InitialMode {
  kx: number;
  ky: number;
  ampRe: number;
  ampIm: number;
}

/**
 * The modes of the initial field, their amplitudes drawn from `rng` in a fixed order (ky outer, kx
 * inner): every simulator that starts from a seed starts from the same field.
 */
export function initialModes(
  width: number,
  height: number,
  scaleCells: number,
  rng: Rng,
): InitialMode[] {
  const maxKx = Math.floor(width / scaleCells);
  const maxKy = Math.floor(height / scaleCells);
  const modes: InitialMode[] = [];
  for (let ky = -maxKy; ky <= maxKy; ky++) {
    for (let kx = -maxKx; kx <= maxKx; kx++) {
      // An elliptical cutoff keeps the field isotropic on a non-square lattice.
      const kxRel = maxKx === 0 ? 0 : kx / (width / scaleCells);
      const kyRel = maxKy === 0 ? 0 : ky / (height / scaleCells);
      if (kxRel * kxRel + kyRel * kyRel > 1) continue;
      modes.push({ kx, ky, ampRe: rng.nextGaussian(), ampIm: rng.nextGaussian() });
    }
  }
  return modes;
}

/** e^(2 pi i k x / size) for x in [0, size), interleaved re, im. */
export function axisWave(k: number, size: number): Float64Array {
  const t = new Float64Array(2 * size);
  for (let x = 0; x < size; x++) {
    t[2 * x] = Math.cos((TWO_PI * k * x) / size);
    t[2 * x + 1] = Math.sin((TWO_PI * k * x) / size);
  }
  return t;
}

/** The argument of (re, im) in [0, 2*pi). */
export function argument(re: number, im: number): number {
  const a = Math.atan2(im, re);
  return a < 0 ? a + TWO_PI : a;
}

function smoothRandomPhases(
  theta: Float64Array,
  width: number,
  height: number,
  scaleCells: number,
  rng: Rng,
): void {
  if (scaleCells <= 0) {
    for (let i = 0; i < theta.length; i++) theta[i] = TWO_PI * rng.nextFloat();
    return;
  }
  const re = new Float64Array(theta.length);
  const im = new Float64Array(theta.length);
  // Mode by mode, each one complex multiply per cell: the order of the sums is part of what the
  // pinned trace hash pins.
  for (const { kx, ky, ampRe, ampIm } of initialModes(width, height, scaleCells, rng)) {
    const ey = axisWave(ky, height);
    const ex = axisWave(kx, width);
    for (let y = 0; y < height; y++) {
      const yRe = ey[2 * y]!;
      const yIm = ey[2 * y + 1]!;
      const cRe = ampRe * yRe - ampIm * yIm;
      const cIm = ampRe * yIm + ampIm * yRe;
      const row = y * width;
      for (let x = 0; x < width; x++) {
        const xRe = ex[2 * x]!;
        const xIm = ex[2 * x + 1]!;
        re[row + x] = re[row + x]! + cRe * xRe - cIm * xIm;
        im[row + x] = im[row + x]! + cRe * xIm + cIm * xRe;
      }
    }
  }
  for (let i = 0; i < theta.length; i++) theta[i] = argument(re[i]!, im[i]!);
}

function wrapAngle(t: number): number {
  const wrapped = t - TWO_PI * Math.floor(t / TWO_PI);
  // Rounding can land a tiny negative angle on exactly 2*pi.
  return wrapped >= TWO_PI ? 0 : wrapped;
}

const SINCOS_STEPS = 4096;
const SINCOS_MASK = SINCOS_STEPS - 1;
const SINCOS_RAD_PER_STEP = TWO_PI / SINCOS_STEPS;
const SINCOS_STEPS_PER_RAD = SINCOS_STEPS / TWO_PI;
const SIN_GRID = new Float64Array(SINCOS_STEPS);
const COS_GRID = new Float64Array(SINCOS_STEPS);
for (let j = 0; j < SINCOS_STEPS; j++) {
  SIN_GRID[j] = Math.sin(j * SINCOS_RAD_PER_STEP);
  COS_GRID[j] = Math.cos(j * SINCOS_RAD_PER_STEP);
}

function checkParams(p: LatticeParams): void {
  const fail = (what: string): never => {
    throw new RangeError(`[sim] lattice: ${what}`);
  };
  if (!Number.isInteger(p.width) || p.width < 1)
    fail(`width must be an integer >= 1, got ${p.width}`);
  if (!Number.isInteger(p.height) || p.height < 1)
    fail(`height must be an integer >= 1, got ${p.height}`);
  if (p.width * p.height > MAX_SPINS) fail(`width * height must be <= ${MAX_SPINS}`);
  if (!Number.isInteger(p.stepsPerFrame) || p.stepsPerFrame < 1) {
    fail(`stepsPerFrame must be an integer >= 1, got ${p.stepsPerFrame}`);
  }
  for (const [name, value] of [
    ['couplingK', p.couplingK],
    ['alphaRad', p.alphaRad],
    ['omegaMeanRadPerS', p.omegaMeanRadPerS],
    ['omegaSpreadRadPerS', p.omegaSpreadRadPerS],
    ['dtS', p.dtS],
    ['frameIntervalS', p.frameIntervalS],
    ['initialScaleCells', p.initialScaleCells],
  ] as const) {
    if (!Number.isFinite(value)) fail(`${name} must be finite, got ${value}`);
  }
  if (p.dtS <= 0) fail(`dtS must be > 0, got ${p.dtS}`);
  if (p.initialScaleCells < 0) fail(`initialScaleCells must be >= 0, got ${p.initialScaleCells}`);
  if (p.omegaSpreadRadPerS < 0)
    fail(`omegaSpreadRadPerS must be >= 0, got ${p.omegaSpreadRadPerS}`);
}

interface LatticeState {
  readonly width: number;
  readonly height: number;
  readonly couplingK: number;
  readonly cosAlpha: number;
  readonly sinAlpha: number;
  readonly halfDtS: number;
  readonly omega: Float64Array;
  /** Phases in radians; in [0, 2*pi) between steps. */
  readonly theta: Float64Array;
  /** sin and cos of theta, kept in step with it between steps. */
  readonly sinTheta: Float64Array;
  readonly cosTheta: Float64Array;
  /** sin and cos of the predicted phases, written by the predictor pass. */
  readonly sinPredicted: Float64Array;
  readonly cosPredicted: Float64Array;
}

// One pass of a Heun step. Each pass streams every array once, since at 256 x 256 the arrays
// outgrow the L2 cache and memory traffic dominates:
//   predictor: r1 = f(theta); theta <- theta + dt/2 r1;              sin, cos of theta + dt r1
//   corrector: r2 = f(predicted); theta <- theta + dt/2 r2, wrapped;  sin, cos of the new theta
// which is theta + dt/2 (r1 + r2). Neighbours read only the sin/cos arrays, so theta is updated
// in place. A module-level function with its inputs in locals runs about 25 % faster in V8 than
// a closure over the same arrays.
function heunPass(state: LatticeState, predictor: boolean): void {
  const { width, height, couplingK, cosAlpha, sinAlpha, halfDtS, omega, theta } = state;
  const srcSin = predictor ? state.sinTheta : state.sinPredicted;
  const srcCos = predictor ? state.cosTheta : state.cosPredicted;
  const dstSin = predictor ? state.sinPredicted : state.sinTheta;
  const dstCos = predictor ? state.cosPredicted : state.cosTheta;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    const up = (y === 0 ? height - 1 : y - 1) * width;
    const down = (y === height - 1 ? 0 : y + 1) * width;
    for (let x = 0; x < width; x++) {
      const i = row + x;
      const left = x === 0 ? row + width - 1 : i - 1;
      const right = x === width - 1 ? row : i + 1;
      const sumSin = srcSin[left]! + srcSin[right]! + srcSin[up + x]! + srcSin[down + x]!;
      const sumCos = srcCos[left]! + srcCos[right]! + srcCos[up + x]! + srcCos[down + x]!;
      const s = srcSin[i]!;
      const c = srcCos[i]!;
      // sin(tj - ti - a) = sin(tj) cos(ti + a) - cos(tj) sin(ti + a): one sine and one cosine
      // per spin, shared by its four neighbours, instead of four sines per spin.
      const cosShifted = c * cosAlpha - s * sinAlpha;
      const sinShifted = s * cosAlpha + c * sinAlpha;
      const rate = omega[i]! + couplingK * (sumSin * cosShifted - sumCos * sinShifted);
      const halfStep = theta[i]! + halfDtS * rate;
      let t: number;
      if (predictor) {
        theta[i] = halfStep;
        t = halfStep + halfDtS * rate;
      } else {
        t = halfStep >= TWO_PI ? halfStep - TWO_PI : halfStep < 0 ? halfStep + TWO_PI : halfStep;
        if (t < 0 || t >= TWO_PI) t = wrapAngle(t);
        theta[i] = t;
      }
      // sin and cos of t = a + b with a on a 4096-step grid (tables) and b within 1.5 grid steps
      // (|0 truncates toward zero, so negative t round one step off), by the angle-sum identity
      // and Taylor series in b: error about 1e-16, no branch, a fraction of the cost of
      // Math.sin plus Math.cos. |0 is safe because theta is wrapped every step, so |t| is small.
      const k = (t * SINCOS_STEPS_PER_RAD + 0.5) | 0;
      const b = t - k * SINCOS_RAD_PER_STEP;
      const b2 = b * b;
      const sinB = b * (1 - b2 * (1 / 6 - b2 / 120));
      const cosB = 1 - b2 * (0.5 - b2 * (1 / 24 - b2 / 720));
      const j = k & SINCOS_MASK;
      const sinA = SIN_GRID[j]!;
      const cosA = COS_GRID[j]!;
      dstSin[i] = sinA * cosB + cosA * sinB;
      dstCos[i] = cosA * cosB - sinA * sinB;
    }
  }
}

/** `params` over the defaults, checked: throws RangeError("[sim] lattice: ...") for a bad one. */
export function resolveLatticeParams(params: Partial<LatticeParams>): LatticeParams {
  const p: LatticeParams = { ...DEFAULT_LATTICE_PARAMS };
  // Copy only the given fields: an explicit undefined must not erase a default.
  for (const key of Object.keys(params) as (keyof LatticeParams)[]) {
    const value = params[key];
    if (value !== undefined) Object.assign(p, { [key]: value });
  }
  checkParams(p);
  return p;
}

/**
 * The natural frequencies, the first draws from the seed's generator. Throws when a step could
 * turn a spin by pi or more: such a step is meaningless, and the simulators' sine and cosine
 * shortcuts rely on phases moving less than that.
 */
export function naturalFrequencies(p: LatticeParams, rng: Rng): Float64Array {
  const n = p.width * p.height;
  const omega = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    omega[i] = p.omegaMeanRadPerS + p.omegaSpreadRadPerS * rng.nextGaussian();
  }
  let maxRateRadPerS = 0;
  for (let i = 0; i < n; i++) maxRateRadPerS = Math.max(maxRateRadPerS, Math.abs(omega[i]!));
  maxRateRadPerS += 4 * Math.abs(p.couplingK);
  if (p.dtS * maxRateRadPerS >= Math.PI) {
    throw new RangeError(
      `[sim] lattice: dtS = ${p.dtS} s is too long for rates up to ${maxRateRadPerS.toFixed(1)} rad/s ` +
        '(a step could turn a spin by pi or more)',
    );
  }
  return omega;
}

export function createLattice(params: Partial<LatticeParams> = {}): Lattice {
  const p = resolveLatticeParams(params);
  const { width, height, dtS, stepsPerFrame } = p;
  const n = width * height;

  const rng = createRng(p.seed);
  const omega = naturalFrequencies(p, rng);
  const theta = new Float64Array(n);
  smoothRandomPhases(theta, width, height, p.initialScaleCells, rng);
  const sinTheta = new Float64Array(n);
  const cosTheta = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    sinTheta[i] = Math.sin(theta[i]!);
    cosTheta[i] = Math.cos(theta[i]!);
  }
  const state: LatticeState = {
    width,
    height,
    couplingK: p.couplingK,
    cosAlpha: Math.cos(p.alphaRad),
    sinAlpha: Math.sin(p.alphaRad),
    halfDtS: dtS / 2,
    omega,
    theta,
    sinTheta,
    cosTheta,
    sinPredicted: new Float64Array(n),
    cosPredicted: new Float64Array(n),
  };
  let stepCount = 0;

  return {
    width,
    height,
    phases: theta,
    get timeS() {
      return stepCount * dtS;
    },
    advanceFrame() {
      for (let s = 0; s < stepsPerFrame; s++) {
        heunPass(state, true);
        heunPass(state, false);
        stepCount++;
      }
    },
    quantizeInto(out: Uint16Array) {
      quantizePhases(theta, out);
    },
  };
}
