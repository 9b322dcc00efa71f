// Per-instance data of the 3-D spin view, written straight into typed arrays (no per-spin
// objects): a 4x4 column-major matrix per arrow (three.js InstancedMesh layout) and an RGB colour.
// The lattice lies in the z = 0 plane, one world unit per cell, centred on the origin, row 0 on
// top (world +y) as in the heatmap. A spin's phase turns its arrow about +z, counter-clockwise.

const PHASE_STEPS = 65536;
const TWO_PI = 2 * Math.PI;
export const MATRIX_FLOATS = 16;
/** Arrows the 3-D view draws at most; a larger lattice shows every stride-th spin per axis. */
export const MAX_ARROWS = 65_536;

/** Which spins get an arrow: every stride-th column of every stride-th row. */
export interface SpinGrid {
  width: number;
  height: number;
  stride: number;
  cols: number;
  rows: number;
  /** Arrows: cols * rows. */
  count: number;
}

export function spinGrid(width: number, height: number, maxArrows = MAX_ARROWS): SpinGrid {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`[spin-view] bad lattice ${width} x ${height}`);
  }
  let stride = Math.max(1, Math.ceil(Math.sqrt((width * height) / maxArrows)));
  // ceil() per axis can leave a few arrows over the limit: widen the stride until it fits.
  while (Math.ceil(width / stride) * Math.ceil(height / stride) > maxArrows) stride += 1;
  const cols = Math.ceil(width / stride);
  const rows = Math.ceil(height / stride);
  return { width, height, stride, cols, rows, count: cols * rows };
}

// cos and sin per u16 step (2 x 256 KiB), built on first use.
let cosTable: Float32Array | null = null;
let sinTable: Float32Array | null = null;

function tables(): [Float32Array, Float32Array] {
  if (cosTable === null || sinTable === null) {
    cosTable = new Float32Array(PHASE_STEPS);
    sinTable = new Float32Array(PHASE_STEPS);
    for (let q = 0; q < PHASE_STEPS; q++) {
      cosTable[q] = Math.cos((q * TWO_PI) / PHASE_STEPS);
      sinTable[q] = Math.sin((q * TWO_PI) / PHASE_STEPS);
    }
  }
  return [cosTable, sinTable];
}

/** World position of lattice cell (x, y), in world units (one per cell). */
export function cellCentre(x: number, y: number, width: number, height: number): [number, number] {
  return [x - (width - 1) / 2, (height - 1) / 2 - y];
}

function checkLength(array: ArrayLike<number>, grid: SpinGrid, perArrow: number, what: string) {
  if (array.length < grid.count * perArrow) {
    throw new RangeError(
      `[spin-view] ${what} array of ${array.length} is short of ${grid.count} arrows x ${perArrow}`,
    );
  }
}

/**
 * Writes each arrow's translation and scale (the stride) into `matrices`, with no rotation.
 * Done once per lattice size; per frame only the rotation entries change.
 */
export function layoutMatrices(matrices: Float32Array, grid: SpinGrid): void {
  checkLength(matrices, grid, MATRIX_FLOATS, 'matrix');
  const { width, height, stride, cols, rows } = grid;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const o = (r * cols + c) * MATRIX_FLOATS;
      const [wx, wy] = cellCentre(c * stride, r * stride, width, height);
      matrices.fill(0, o, o + MATRIX_FLOATS);
      matrices[o] = stride;
      matrices[o + 5] = stride;
      matrices[o + 10] = stride;
      matrices[o + 12] = wx;
      matrices[o + 13] = wy;
      matrices[o + 15] = 1;
    }
  }
}

/**
 * Sets each matrix's rotation about +z to its spin's phase. Only the upper 2x2 block changes
 * (column-major: [0] = cos, [1] = sin, [4] = -sin, [5] = cos, times the stride); the translation
 * written by layoutMatrices stays.
 */
export function rotateMatrices(matrices: Float32Array, phases: Uint16Array, grid: SpinGrid): void {
  checkLength(matrices, grid, MATRIX_FLOATS, 'matrix');
  checkLength(phases, { ...grid, count: grid.width * grid.height }, 1, 'phase');
  const [cos, sin] = tables();
  const { width, stride, cols, rows } = grid;
  let o = 0;
  for (let r = 0; r < rows; r++) {
    const row = r * stride * width;
    for (let c = 0; c < cols; c++, o += MATRIX_FLOATS) {
      const q = phases[row + c * stride]!;
      const cs = cos[q]! * stride;
      const sn = sin[q]! * stride;
      matrices[o] = cs;
      matrices[o + 1] = sn;
      matrices[o + 4] = -sn;
      matrices[o + 5] = cs;
    }
  }
}

/** RGB bytes per arrow from the colormap table (256 RGBA entries; entry = phase >> 8). */
export function colourArrows(
  rgb: Uint8Array,
  phases: Uint16Array,
  lut: Uint8Array,
  grid: SpinGrid,
): void {
  checkLength(rgb, grid, 3, 'colour');
  checkLength(phases, { ...grid, count: grid.width * grid.height }, 1, 'phase');
  const { width, stride, cols, rows } = grid;
  let o = 0;
  for (let r = 0; r < rows; r++) {
    const row = r * stride * width;
    for (let c = 0; c < cols; c++, o += 3) {
      const e = (phases[row + c * stride]! >>> 8) << 2;
      rgb[o] = lut[e]!;
      rgb[o + 1] = lut[e + 1]!;
      rgb[o + 2] = lut[e + 2]!;
    }
  }
}

export interface DetailOptions {
  /** Draw cost (ms) that a change of detail aims for. */
  targetMs: number;
  minArrows: number;
  maxArrows: number;
}

export const DEFAULT_DETAIL: DetailOptions = {
  targetMs: 100,
  minArrows: 1024,
  maxArrows: MAX_ARROWS,
};

/**
 * The arrow budget for the next lattice layout, from what the current one costs per draw. A draw
 * costs about the same per arrow (software WebGL spends its time per instance), so a draw over
 * twice the target scales the budget down to the target; one under a quarter of it doubles the
 * budget back towards the whole lattice. Between the two the budget stays, so it does not swing.
 */
export function adaptArrowBudget(
  budget: number,
  arrows: number,
  drawCostMs: number,
  options: DetailOptions = DEFAULT_DETAIL,
): number {
  const { targetMs, minArrows, maxArrows } = options;
  if (!(drawCostMs > 0) || !Number.isFinite(drawCostMs)) return budget;
  if (drawCostMs > 2 * targetMs) {
    return Math.max(minArrows, Math.min(budget, Math.floor((arrows * targetMs) / drawCostMs)));
  }
  if (drawCostMs < targetMs / 4 && budget < maxArrows) return Math.min(maxArrows, budget * 2);
  return budget;
}
