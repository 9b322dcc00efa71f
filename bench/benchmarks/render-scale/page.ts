// The render-scale bench page: draws an N-spin lattice with the console's own heatmap renderers,
// a different frame on every animation frame (so the phase texture is uploaded every time, as when
// streaming), and reports frame rate and frame times on `window.renderScale`. After each draw it
// reads one pixel back, which waits until the frame is really drawn (a frame rate measured
// without it could count frames the GPU has only queued), and checks that pixel's colour against
// the colormap entry of the spin under it.
// Query: ?spins=N&renderer=gpu|cpu&seconds=S&warmup=S
import { colormapIndex, colormapLut } from '../../../src/core/colormap';
import { percentile } from '../../../src/core/stats';
import { createCanvasHeatmap } from '../../../src/render/canvas-heatmap';
import { createReglHeatmap } from '../../../src/render/regl-heatmap';
import type { HeatmapFrame, HeatmapRenderer } from '../../../src/render/types';

export interface RenderScaleResult {
  spins: number;
  width: number;
  height: number;
  renderer: 'gpu' | 'cpu';
  /** Frames drawn in each whole second of the measured span. */
  fpsPerSecond: number[];
  fpsMedian: number;
  frameTimeP50Ms: number;
  frameTimeP95Ms: number;
  /** Time from the draw call (texture upload included) until the frame was drawn, p95. */
  drawToPixelsP95Ms: number;
  framesDrawn: number;
  /** Frames whose read-back pixel had another colour than its spin's colormap entry. */
  pixelMismatches: number;
}

declare global {
  interface Window {
    renderScale?: { done: false } | { done: true; result: RenderScaleResult } | { error: string };
  }
}

/** Distinct frames cycled through; enough that no two consecutive draws upload the same data. */
const FRAME_COUNT = 8;

function integerParam(params: URLSearchParams, name: string, fallback: number, max: number) {
  const raw = params.get(name);
  if (raw === null) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new Error(`${name}=${raw} is not an integer from 1 to ${max}`);
  }
  return value;
}

/** A rotating spiral wave with a travelling front: moving structure like the 12k trace's. */
function spiralFrames(width: number, height: number): Uint16Array[] {
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
  return Array.from({ length: FRAME_COUNT }, (_v, k) => {
    const frame = new Uint16Array(width * height);
    const shiftQ = Math.round((k * 65536) / FRAME_COUNT);
    for (let i = 0; i < frame.length; i++) frame[i] = (base[i]! * scale + shiftQ) & 0xffff;
    return frame;
  });
}

async function run(): Promise<RenderScaleResult> {
  const params = new URLSearchParams(location.search);
  const spins = integerParam(params, 'spins', 1_000_000, 16_777_216);
  const seconds = integerParam(params, 'seconds', 5, 120);
  const warmupSeconds = integerParam(params, 'warmup', 1, 30);
  const renderer = params.get('renderer') ?? 'gpu';
  if (renderer !== 'gpu' && renderer !== 'cpu') {
    throw new Error(`renderer=${renderer} is not gpu or cpu`);
  }
  const width = Math.ceil(Math.sqrt(spins));
  const height = Math.ceil(spins / width);
  const canvas = document.getElementById('heatmap') as HTMLCanvasElement;
  const lut = colormapLut('wheel');
  const heatmap: HeatmapRenderer =
    renderer === 'gpu'
      ? createReglHeatmap(canvas, { colormapLut: lut })
      : createCanvasHeatmap(canvas, { colormapLut: lut });
  // The probed pixel: a third of the way in; unzoomed, the backing store has one pixel per spin.
  const probeX = Math.floor(width / 3);
  const probeY = Math.floor(height / 3);
  const readProbe = pixelReader(canvas, renderer, probeX, probeY);
  const frames: HeatmapFrame[] = spiralFrames(width, height).map((phases) => ({
    width,
    height,
    phases,
  }));

  return new Promise((resolve) => {
    const frameStamps: number[] = [];
    const drawCallsMs: number[] = [];
    let start = 0;
    let drawn = 0;
    let pixelMismatches = 0;
    const tick = (now: number) => {
      if (start === 0) start = now;
      const t0 = performance.now();
      const frame = frames[drawn % FRAME_COUNT]!;
      heatmap.draw(frame);
      const [r, g, b] = readProbe();
      const drawMs = performance.now() - t0;
      const entry = colormapIndex(frame.phases[probeY * width + probeX]!);
      if (r !== lut[entry * 4] || g !== lut[entry * 4 + 1] || b !== lut[entry * 4 + 2]) {
        pixelMismatches += 1;
      }
      drawn += 1;
      const sinceStartS = (now - start) / 1000;
      if (sinceStartS >= warmupSeconds) {
        frameStamps.push(now);
        drawCallsMs.push(drawMs);
      }
      if (sinceStartS < warmupSeconds + seconds) {
        requestAnimationFrame(tick);
        return;
      }
      const measuredFrom = start + warmupSeconds * 1000;
      const fpsPerSecond = Array.from({ length: seconds }, () => 0);
      for (const stamp of frameStamps) {
        const second = Math.floor((stamp - measuredFrom) / 1000);
        if (second >= 0 && second < seconds) fpsPerSecond[second]! += 1;
      }
      const frameTimesMs = frameStamps.slice(1).map((stamp, i) => stamp - frameStamps[i]!);
      heatmap.destroy();
      resolve({
        spins: width * height,
        width,
        height,
        renderer,
        fpsPerSecond,
        fpsMedian: percentile(fpsPerSecond, 0.5),
        frameTimeP50Ms: round(percentile(frameTimesMs, 0.5)),
        frameTimeP95Ms: round(percentile(frameTimesMs, 0.95)),
        drawToPixelsP95Ms: round(percentile(drawCallsMs, 0.95)),
        framesDrawn: frameStamps.length,
        pixelMismatches,
      });
    };
    requestAnimationFrame(tick);
  });
}

/** Reads the RGB of backing-store pixel (x, y), y from the top; waits for drawing to finish. */
function pixelReader(
  canvas: HTMLCanvasElement,
  renderer: 'gpu' | 'cpu',
  x: number,
  y: number,
): () => Uint8Array {
  const pixel = new Uint8Array(4);
  if (renderer === 'cpu') {
    const context = canvas.getContext('2d')!;
    return () => context.getImageData(x, y, 1, 1).data as unknown as Uint8Array;
  }
  // The context regl created: asking again for the same type returns it.
  const gl = canvas.getContext('webgl')!;
  return () => {
    // WebGL's origin is the bottom left.
    gl.readPixels(x, canvas.height - 1 - y, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, pixel);
    return pixel;
  };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

const status = document.getElementById('status')!;
window.renderScale = { done: false };
run().then(
  (result) => {
    window.renderScale = { done: true, result };
    status.textContent = JSON.stringify(result, null, 2);
  },
  (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    window.renderScale = { error: message };
    status.textContent = `error: ${message}`;
  },
);
