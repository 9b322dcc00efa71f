// Which spins the 3-D view draws an arrow for. The lattice lies in the z = 0 plane, one world unit
// per cell, centred on the origin, row 0 on top (world +y) as in the heatmap; the shaders
// (shaders/spin-arrows.*) place and turn each arrow from this layout.

/**
 * Arrows the 3-D view draws at most; a larger lattice shows every stride-th spin per axis. Past
 * this, on a canvas of about a thousand pixels, an arrow per spin would be smaller than the few
 * pixels it needs to show its direction.
 */
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
