// One interface for every renderer: the two heatmap backends (regl GPU, canvas 2-D CPU) and the
// 3-D spin view (three.js). Renderers are imperative objects fed typed arrays; the page's one
// animation loop hands them frames, and owns the canvas's CSS size and the view's aspect.

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

/**
 * What a renderer asks of the coming animation frame (see FrameRenderer.beginFrame): `wait` when a
 * draw now would come too soon after the last one (slow draws are paced), so the frames keep
 * waiting; `ready` to draw a new frame if there is one; `redraw` to draw even the frame on screen
 * again, because the picture changed without one (the camera moved, the detail changed).
 */
export type FrameReadiness = 'wait' | 'ready' | 'redraw';

/** The figures a renderer that measures itself reports (the 3-D view's data-* attributes). */
export interface RendererStats {
  /** Pictures rendered: new frames and redraws. */
  renders: number;
  /** Lattice frames whose picture was updated. */
  framesDrawn: number;
  /** Smoothed cost of one draw, ms. */
  drawCostMs: number;
  /** The shortest time the pacing leaves between the starts of two draws, ms. */
  minIntervalMs: number;
  /** Marks drawn, one per shown spin (the 3-D view's arrows). */
  arrows: number;
  /** 1 when every spin has a mark; n when every n-th spin per axis has (slow draws). */
  stride: number;
}

export interface FrameRenderer {
  /** How it draws: the heatmap's badge and window.phaseViz say it; the 3-D view is always 'gpu'. */
  readonly mode: RenderMode;
  /** Draws the frame (the heatmaps show `view`'s window of it; the 3-D view shows it all). */
  draw(frame: HeatmapFrame, view?: HeatmapView): void;
  /** The colormap table of src/core/colormap.ts (256 RGBA entries). */
  setColormap(lut: Uint8Array): void;
  /** Call after the canvas's CSS size changed. */
  resize(): void;
  destroy(): void;
  /**
   * Called by the render loop at the start of every animation frame in which this renderer is
   * visible, before any draw: a renderer whose draws may be slow measures what its last draw cost
   * the page here and paces the next. Without it, every animation frame is `ready`.
   */
  beginFrame?(nowMs: number): FrameReadiness;
  /** Its own figures, for tests and hosts; only renderers that measure themselves have it. */
  stats?(): RendererStats;
  /**
   * Bytes of the GPU textures it holds now (the heatmap's phases and colormap), for the
   * performance figures; renderers that hold none leave it out.
   */
  gpuBytes?(): number;
}

/** The heatmap backends: renderers that draw whenever asked, with none of the optional members. */
export type HeatmapRenderer = Omit<FrameRenderer, 'beginFrame' | 'stats'>;

export interface RendererOptions {
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
