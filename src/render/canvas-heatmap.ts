// CPU heatmap: one ImageData pixel per spin through a packed colormap table. Unzoomed it goes
// straight to the canvas with putImageData; zoomed, the window is scaled with nearest cells.
// It is the fallback below the GPU threshold and when WebGL is missing or lost.
import {
  backingScale,
  fitBackingStore,
  coversLattice,
  type RendererOptions,
  type HeatmapRenderer,
} from './types';

/** RGBA table packed into u32 words in the platform's byte order, for one store per pixel. */
export function packLut(lut: Uint8Array): Uint32Array {
  const packed = new Uint32Array(lut.length / 4);
  new Uint8Array(packed.buffer).set(lut);
  return packed;
}

/** Fills `out` (one u32 RGBA word per spin) from quantized phases minus an offset (u16 units). */
export function colorize(
  phases: Uint16Array,
  lut32: Uint32Array,
  out: Uint32Array,
  offsetQ = 0,
): void {
  if (offsetQ === 0) {
    for (let i = 0; i < phases.length; i++) out[i] = lut32[phases[i]! >>> 8]!;
    return;
  }
  for (let i = 0; i < phases.length; i++) out[i] = lut32[((phases[i]! - offsetQ) & 0xffff) >>> 8]!;
}

export function createCanvasHeatmap(
  canvas: HTMLCanvasElement,
  options: RendererOptions,
): HeatmapRenderer {
  const context = canvas.getContext('2d', { alpha: false });
  if (!context) throw new Error('[render] canvas 2-D context is not available');
  let lut32 = packLut(options.colormapLut);
  let image: ImageData | undefined;
  let pixels: Uint32Array | undefined;
  // Holds the whole lattice at one pixel per spin when a zoomed window is drawn from it.
  let lattice: HTMLCanvasElement | undefined;

  return {
    mode: 'cpu',
    draw(frame, view) {
      if (!image || image.width !== frame.width || image.height !== frame.height) {
        image = new ImageData(frame.width, frame.height);
        pixels = new Uint32Array(image.data.buffer);
      }
      colorize(frame.phases, lut32, pixels!, view?.phaseOffsetQ ?? 0);
      if (coversLattice(frame, view)) {
        fitBackingStore(canvas, frame, 1);
        context.putImageData(image, 0, 0);
        return;
      }
      fitBackingStore(canvas, frame, backingScale(frame, view));
      lattice ??= document.createElement('canvas');
      if (lattice.width !== frame.width || lattice.height !== frame.height) {
        lattice.width = frame.width;
        lattice.height = frame.height;
      }
      lattice.getContext('2d')!.putImageData(image, 0, 0);
      context.imageSmoothingEnabled = false;
      context.fillStyle = '#000';
      context.fillRect(0, 0, canvas.width, canvas.height);
      context.drawImage(
        lattice,
        view!.x0Cells,
        view!.y0Cells,
        view!.spanXCells,
        view!.spanYCells,
        0,
        0,
        canvas.width,
        canvas.height,
      );
    },
    setColormap(lut) {
      lut32 = packLut(lut);
    },
    resize() {},
    destroy() {
      image = undefined;
      pixels = undefined;
      lattice = undefined;
    },
  };
}
