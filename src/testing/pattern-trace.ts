// A small trace whose every frame a test can recompute, to compare what a client decoded.
import { writeTraceFile } from '../server/trace-file';

/** Writes a small trace whose frame k has phase (x*97 + y*131 + k*1000) mod 65536 at (x, y). */
export async function writePatternTrace(
  file: string,
  width: number,
  height: number,
  frames: number,
  intervalUs = 16667,
): Promise<(k: number) => Uint16Array> {
  const frameAt = (k: number): Uint16Array => {
    const phases = new Uint16Array(width * height);
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++)
        phases[y * width + x] = (x * 97 + y * 131 + k * 1000) & 0xffff;
    return phases;
  };
  await writeTraceFile(
    file,
    { width, height, frameCount: frames, intervalUs, flags: 0, seed: 0n },
    frameAt,
  );
  return frameAt;
}
