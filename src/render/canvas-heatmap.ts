// CPU heatmap: one ImageData pixel per spin through a packed colormap table, then putImageData.
// It is the fallback below the GPU threshold and when WebGL is missing or lost.
import { fitBackingStore, type HeatmapOptions, type HeatmapRenderer } from './types';

/** RGBA table packed into u32 words in the platform's byte order, for one store per pixel. */
export function packLut(lut: Uint8Array): Uint32Array {
  const packed = new Uint32Array(lut.length / 4);
  new Uint8Array(packed.buffer).set(lut);
  return packed;
}

/** Fills `out` (one u32 RGBA word per spin) from quantized phases. */
export function colorize(phases: Uint16Array, lut32: Uint32Array, out: Uint32Array): void {
  for (let i = 0; i < phases.length; i++) out[i] = lut32[phases[i]! >>> 8]!;
}

export function createCanvasHeatmap(
  canvas: HTMLCanvasElement,
  options: HeatmapOptions,
): HeatmapRenderer {
  const context = canvas.getContext('2d', { alpha: false });
  if (!context) throw new Error('[render] canvas 2-D context is not available');
  let lut32 = packLut(options.colormapLut);
  let image: ImageData | undefined;
  let pixels: Uint32Array | undefined;

  return {
    mode: 'cpu',
    draw(frame) {
      fitBackingStore(canvas, frame);
      if (!image || image.width !== frame.width || image.height !== frame.height) {
        image = context.createImageData(frame.width, frame.height);
        pixels = new Uint32Array(image.data.buffer);
      }
      colorize(frame.phases, lut32, pixels!);
      context.putImageData(image, 0, 0);
    },
    setColormap(lut) {
      lut32 = packLut(lut);
    },
    resize() {},
    destroy() {
      image = undefined;
      pixels = undefined;
    },
  };
}
