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
import {
  integerParam,
  intervals,
  perSecond,
  publishResult,
  round2 as round,
} from '../../support/bench-page';
import { FRAME_COUNT, spiralFrames } from '../../support/spiral-frames';

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
      const fpsPerSecond = perSecond(frameStamps, measuredFrom, seconds);
      const frameTimesMs = intervals(frameStamps);
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

publishResult('renderScale', run);
