// The heatmap's zoom in the URL: `zoom=Z,CX,CY`, magnification and centre in cells.
import { MAX_ZOOM, MIN_ZOOM, viewWindow, type Display } from '../state/display';

/** `zoom=Z,CX,CY` in the URL. */
export function formatZoomParam(display: Display, width: number, height: number): string | null {
  if (display.zoom === 1) return null;
  const view = viewWindow(width, height, display);
  const cx = view.x0Cells + view.spanXCells / 2;
  const cy = view.y0Cells + view.spanYCells / 2;
  return `${+display.zoom.toFixed(3)},${+cx.toFixed(2)},${+cy.toFixed(2)}`;
}

export function parseZoomParam(
  value: string,
): { zoom: number; centerXCells: number; centerYCells: number } | null {
  const parts = value.split(',').map(Number);
  if (parts.length !== 3 || parts.some((n) => !Number.isFinite(n))) return null;
  const [zoom, cx, cy] = parts as [number, number, number];
  if (zoom < MIN_ZOOM || zoom > MAX_ZOOM || cx < 0 || cy < 0) return null;
  return { zoom, centerXCells: cx, centerYCells: cy };
}
