// Lattice frames for the browser benchmarks' pages: a rotating spiral wave with a travelling
// front, moving structure like the 12k trace's, so each frame differs from the last everywhere.

/** Distinct frames cycled through; enough that no two consecutive draws upload the same data. */
export const FRAME_COUNT = 8;

export function spiralFrames(width: number, height: number, count = FRAME_COUNT): Uint16Array[] {
  const cx = width / 2;
  const cy = height / 2;
  const wavenumber = (2 * Math.PI * 6) / Math.max(width, height);
  const base = new Float64Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const dx = x - cx;
      const dy = y - cy;
      base[y * width + x] = Math.atan2(dy, dx) + wavenumber * Math.hypot(dx, dy);
    }
  }
  const scale = 65536 / (2 * Math.PI);
  return Array.from({ length: count }, (_v, k) => {
    const frame = new Uint16Array(width * height);
    const shiftQ = Math.round((k * 65536) / count);
    for (let i = 0; i < frame.length; i++) frame[i] = (base[i]! * scale + shiftQ) & 0xffff;
    return frame;
  });
}
