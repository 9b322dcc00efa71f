// A lattice for a number of spins: the most nearly square W x H (W >= H) with W * H = N, so the
// ladder's sizes are the console's own (12,000 = 120 x 100, the demo trace's) and squares.
export interface LatticeSize {
  spins: number;
  width: number;
  height: number;
}

/** The widest a lattice may be against its height before a --spins value is refused as odd. */
const MAX_ASPECT = 4;

export function latticeOf(text: string): LatticeSize {
  const spins = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(spins) || spins < 4 || spins > 16_777_216) {
    throw new Error(`--spins takes whole numbers from 4 to 16,777,216, got "${text}"`);
  }
  let height = Math.floor(Math.sqrt(spins));
  while (spins % height !== 0) height -= 1;
  const width = spins / height;
  if (width > MAX_ASPECT * height) {
    throw new Error(
      `--spins ${spins}: the nearest lattice is ${width} x ${height}; ` +
        'give a number of spins that makes a near-square lattice (12000, 65536, 262144, 1048576)',
    );
  }
  return { spins, width, height };
}
