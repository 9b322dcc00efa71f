// The heatmap's view: zoom and centre (URL-shareable, see url/zoom-param.ts), the window of cells
// they show, and the cell under a pointer. Pure: the render loop and the pointer handlers share it.
import { quantizePhase } from '../../core/phase';
import type { HeatmapView } from '../../render/types';

export const MIN_ZOOM = 1;
export const MAX_ZOOM = 64;

export interface Display {
  /** Magnification: 1 shows the whole lattice. */
  zoom: number;
  /** Centre of the view, in cells; null is the lattice's centre. */
  centerXCells: number | null;
  centerYCells: number | null;
  /** Colour phase minus the frame's mean phase psi, so a rotating synchronized lattice stands still. */
  relative: boolean;
}

export const DEFAULT_DISPLAY: Display = {
  zoom: 1,
  centerXCells: null,
  centerYCells: null,
  relative: false,
};

export function clampZoom(zoom: number): number {
  return Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, zoom));
}

/** The window of cells a display shows, kept inside the lattice. */
export function viewWindow(
  width: number,
  height: number,
  display: Display,
  psiRad = 0,
): HeatmapView {
  const zoom = clampZoom(display.zoom);
  const spanXCells = width / zoom;
  const spanYCells = height / zoom;
  const cx = display.centerXCells ?? width / 2;
  const cy = display.centerYCells ?? height / 2;
  return {
    x0Cells: Math.min(width - spanXCells, Math.max(0, cx - spanXCells / 2)),
    y0Cells: Math.min(height - spanYCells, Math.max(0, cy - spanYCells / 2)),
    spanXCells,
    spanYCells,
    phaseOffsetQ: display.relative ? quantizePhase(psiRad) : 0,
  };
}

/** The cell under a point given as fractions [0, 1) of the canvas's width and height. */
export function cellAt(
  view: HeatmapView,
  width: number,
  height: number,
  fx: number,
  fy: number,
): { x: number; y: number } | null {
  if (!(fx >= 0 && fx < 1 && fy >= 0 && fy < 1)) return null;
  const x = Math.floor(view.x0Cells + fx * view.spanXCells);
  const y = Math.floor(view.y0Cells + fy * view.spanYCells);
  if (x < 0 || y < 0 || x >= width || y >= height) return null;
  return { x, y };
}

/**
 * Where a cell lies on the canvas, as fractions of its width and height (the inverse of cellAt);
 * parts outside [0, 1] are off screen.
 */
export function cellRect(
  view: HeatmapView,
  x: number,
  y: number,
): { left: number; top: number; width: number; height: number } {
  return {
    left: (x - view.x0Cells) / view.spanXCells,
    top: (y - view.y0Cells) / view.spanYCells,
    width: 1 / view.spanXCells,
    height: 1 / view.spanYCells,
  };
}

/** Zooms by `factor` keeping the lattice point under (fx, fy) where it is on screen. */
export function zoomAt(
  display: Display,
  width: number,
  height: number,
  factor: number,
  fx: number,
  fy: number,
): Display {
  const before = viewWindow(width, height, display);
  const zoom = clampZoom(display.zoom * factor);
  const pointX = before.x0Cells + fx * before.spanXCells;
  const pointY = before.y0Cells + fy * before.spanYCells;
  const spanX = width / zoom;
  const spanY = height / zoom;
  return {
    ...display,
    zoom,
    centerXCells: pointX - fx * spanX + spanX / 2,
    centerYCells: pointY - fy * spanY + spanY / 2,
  };
}

/** Pans by a distance in cells (positive moves the view right and down). */
export function panBy(
  display: Display,
  width: number,
  height: number,
  dxCells: number,
  dyCells: number,
): Display {
  const view = viewWindow(width, height, display);
  return {
    ...display,
    centerXCells: view.x0Cells + view.spanXCells / 2 + dxCells,
    centerYCells: view.y0Cells + view.spanYCells / 2 + dyCells,
  };
}
