// The 3-D view bench page: draws a W x H lattice with the console's own 3-D spin view
// (src/render/spin-view-3d.ts), a different frame on every animation frame the view accepts, as
// the page's render loop does when streaming (beginFrame first: a view that paces itself may ask
// to wait). After each draw it reads one pixel back, which waits until the frame is really drawn,
// so frames the GPU has only queued are not counted. Then it checks the colours: it draws frames
// with one phase everywhere and reads the whole canvas back; every pixel an arrow covers must
// have that phase's colormap colour, exactly.
// Query: ?width=W&height=H&seconds=S&warmup=S
import { colormapIndex, colormapLut } from '../../../src/core/colormap';
import { percentile } from '../../../src/core/stats';
import { createSpinView3D, type SpinView3D } from '../../../src/render/spin-view-3d';
import type { HeatmapFrame } from '../../../src/render/types';
import {
  integerParam,
  intervals,
  perSecond,
  publishResult,
  round2,
} from '../../support/bench-page';
import { FRAME_COUNT, spiralFrames } from '../../support/spiral-frames';

export interface Render3dResult {
  spins: number;
  width: number;
  height: number;
  /** Lattice frames drawn in each whole second of the measured span. */
  fpsPerSecond: number[];
  /** Median of fpsPerSecond: the view's frame rate, the budget's figure. */
  fpsMedian: number;
  /** The page's animation frames per second, median (drawn or not). */
  animationFpsMedian: number;
  /** Time between two drawn frames, ms. */
  frameTimeP50Ms: number;
  frameTimeP95Ms: number;
  /** Time from the draw call until the frame was drawn (read back), p50 and p95, ms. */
  drawToPixelsP50Ms: number;
  drawToPixelsP95Ms: number;
  framesDrawn: number;
  /** Arrows drawn and the detail (1: every spin has an arrow), at the end of the run. */
  arrows: number;
  stride: number;
  /** The colour check: pixels an arrow covered, and those with another colour than expected. */
  colourCheck: { phasesQ: number[]; arrowPixels: number; wrongPixels: number };
}

/** Phases drawn everywhere for the colour check, u16: four quarter turns and an odd one. */
const CHECK_PHASES_Q = [0, 16384, 32768, 49152, 4660];

async function run(): Promise<Render3dResult> {
  const params = new URLSearchParams(location.search);
  const width = integerParam(params, 'width', 120, 4096);
  const height = integerParam(params, 'height', 100, 4096);
  const seconds = integerParam(params, 'seconds', 5, 120);
  const warmupSeconds = integerParam(params, 'warmup', 1, 30);
  const canvas = document.getElementById('spin-view') as HTMLCanvasElement;
  const lut = colormapLut('wheel');
  const view = createSpinView3D(canvas, { colormapLut: lut });
  const gl = canvas.getContext('webgl2')!;
  const frames: HeatmapFrame[] = spiralFrames(width, height).map((phases) => ({
    width,
    height,
    phases,
  }));
  const pixel = new Uint8Array(4);

  const measured = await new Promise<Omit<Render3dResult, 'colourCheck'>>((resolve) => {
    const drawStamps: number[] = [];
    const tickStamps: number[] = [];
    const drawCallsMs: number[] = [];
    let start = 0;
    let drawn = 0;
    const tick = (now: number) => {
      if (start === 0) start = now;
      const measuring = (now - start) / 1000 >= warmupSeconds;
      if (measuring) tickStamps.push(now);
      if (view.beginFrame(now) !== 'wait') {
        const t0 = performance.now();
        view.draw(frames[drawn % FRAME_COUNT]!);
        gl.readPixels(
          canvas.width >> 1,
          canvas.height >> 1,
          1,
          1,
          gl.RGBA,
          gl.UNSIGNED_BYTE,
          pixel,
        );
        drawn += 1;
        if (measuring) {
          drawStamps.push(now);
          drawCallsMs.push(performance.now() - t0);
        }
      }
      if ((now - start) / 1000 < warmupSeconds + seconds) {
        requestAnimationFrame(tick);
        return;
      }
      const from = start + warmupSeconds * 1000;
      const fpsPerSecond = perSecond(drawStamps, from, seconds);
      const frameTimesMs = intervals(drawStamps);
      const stats = view.stats();
      resolve({
        spins: width * height,
        width,
        height,
        fpsPerSecond,
        fpsMedian: percentile(fpsPerSecond, 0.5),
        animationFpsMedian: percentile(perSecond(tickStamps, from, seconds), 0.5),
        frameTimeP50Ms: round2(percentile(frameTimesMs, 0.5)),
        frameTimeP95Ms: round2(percentile(frameTimesMs, 0.95)),
        drawToPixelsP50Ms: round2(percentile(drawCallsMs, 0.5)),
        drawToPixelsP95Ms: round2(percentile(drawCallsMs, 0.95)),
        framesDrawn: drawStamps.length,
        arrows: stats.arrows,
        stride: stats.stride,
      });
    };
    requestAnimationFrame(tick);
  });
  const colourCheck = checkColours(view, gl, width, height, lut);
  view.destroy();
  return { ...measured, colourCheck };
}

/**
 * Draws one phase everywhere, for each of CHECK_PHASES_Q, and reads the whole canvas: every
 * pixel an arrow covers (alpha > 0; the background is transparent) must be the colormap entry of
 * that phase. Counts the covered pixels too, so a blank canvas cannot pass.
 */
function checkColours(
  view: SpinView3D,
  gl: WebGL2RenderingContext,
  width: number,
  height: number,
  lut: Uint8Array,
): Render3dResult['colourCheck'] {
  const w = gl.drawingBufferWidth;
  const h = gl.drawingBufferHeight;
  const pixels = new Uint8Array(w * h * 4);
  let arrowPixels = 0;
  let wrongPixels = 0;
  for (const q of CHECK_PHASES_Q) {
    view.draw({ width, height, phases: new Uint16Array(width * height).fill(q) });
    gl.readPixels(0, 0, w, h, gl.RGBA, gl.UNSIGNED_BYTE, pixels);
    const e = colormapIndex(q) * 4;
    for (let i = 0; i < pixels.length; i += 4) {
      if (pixels[i + 3] === 0) continue;
      arrowPixels += 1;
      if (pixels[i] !== lut[e] || pixels[i + 1] !== lut[e + 1] || pixels[i + 2] !== lut[e + 2]) {
        wrongPixels += 1;
      }
    }
  }
  return { phasesQ: CHECK_PHASES_Q, arrowPixels, wrongPixels };
}

publishResult('render3d', run);
