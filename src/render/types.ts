// One interface for every heatmap backend (regl GPU, canvas 2-D CPU). Renderers are imperative
// objects fed typed arrays; the page owns the canvas's CSS size and keeps the lattice's aspect.

export type RenderMode = 'gpu' | 'cpu';

export interface HeatmapFrame {
  readonly width: number;
  readonly height: number;
  /** W*H quantized phases, row-major (i = y*W + x). */
  readonly phases: Uint16Array;
}

export interface HeatmapRenderer {
  readonly mode: RenderMode;
  draw(frame: HeatmapFrame): void;
  /** The colormap table of src/core/colormap.ts (256 RGBA entries). */
  setColormap(lut: Uint8Array): void;
  resize(): void;
  destroy(): void;
}

export interface HeatmapOptions {
  colormapLut: Uint8Array;
  /** The GPU context went away: the page should switch to the CPU renderer. */
  onContextLost?: () => void;
  /** The GPU context came back after a loss. */
  onContextRestored?: () => void;
}

/** The canvas backing store holds exactly one pixel per spin; CSS scales it with nearest cells. */
export function fitBackingStore(canvas: HTMLCanvasElement, frame: HeatmapFrame): boolean {
  if (canvas.width === frame.width && canvas.height === frame.height) return false;
  canvas.width = frame.width;
  canvas.height = frame.height;
  return true;
}
