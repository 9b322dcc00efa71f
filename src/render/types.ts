// One interface for every heatmap backend (regl GPU, canvas 2-D CPU). Renderers are imperative
// objects fed typed arrays; the page owns the canvas's CSS size and keeps the view's aspect.

export type RenderMode = 'gpu' | 'cpu';

export interface HeatmapFrame {
  readonly width: number;
  readonly height: number;
  /** W*H quantized phases, row-major (i = y*W + x). */
  readonly phases: Uint16Array;
}

/** What part of the lattice to show, and how to colour it. */
export interface HeatmapView {
  /** Visible window, in cells: left and top edges, width and height (fractional when zoomed). */
  x0Cells: number;
  y0Cells: number;
  spanXCells: number;
  spanYCells: number;
  /** Subtracted from every phase before colouring (relative mode: the mean phase psi), u16 units. */
  phaseOffsetQ: number;
}

export function fullView(width: number, height: number): HeatmapView {
  return { x0Cells: 0, y0Cells: 0, spanXCells: width, spanYCells: height, phaseOffsetQ: 0 };
}

export interface HeatmapRenderer {
  readonly mode: RenderMode;
  draw(frame: HeatmapFrame, view?: HeatmapView): void;
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

/** Backing-store pixels per visible cell edge: 1 unzoomed (one pixel per spin), more when zoomed. */
export function backingScale(frame: HeatmapFrame, view: HeatmapView | undefined): number {
  if (!view) return 1;
  const zoom = Math.min(frame.width / view.spanXCells, frame.height / view.spanYCells);
  return Math.min(8, Math.max(1, Math.ceil(zoom)));
}

/**
 * The backing store holds the visible window at `backingScale` pixels per cell of the full
 * lattice; CSS scales it with nearest-neighbour cells. Returns whether the size changed.
 */
export function fitBackingStore(
  canvas: HTMLCanvasElement,
  frame: HeatmapFrame,
  scale = 1,
): boolean {
  const widthPx = frame.width * scale;
  const heightPx = frame.height * scale;
  if (canvas.width === widthPx && canvas.height === heightPx) return false;
  canvas.width = widthPx;
  canvas.height = heightPx;
  return true;
}

/** Whether the window is the whole lattice (no zoom or pan). */
export function coversLattice(frame: HeatmapFrame, view: HeatmapView | undefined): boolean {
  return (
    !view ||
    (view.x0Cells === 0 &&
      view.y0Cells === 0 &&
      view.spanXCells === frame.width &&
      view.spanYCells === frame.height)
  );
}
