import { describe, expect, it } from 'vitest';
import { DEFAULT_DISPLAY, cellAt, cellRect, panBy, viewWindow, zoomAt } from './display';

const W = 120;
const H = 100;

describe('viewWindow', () => {
  it('shows the whole lattice at zoom 1', () => {
    expect(viewWindow(W, H, DEFAULT_DISPLAY)).toEqual({
      x0Cells: 0,
      y0Cells: 0,
      spanXCells: 120,
      spanYCells: 100,
      phaseOffsetQ: 0,
    });
  });
  it('keeps a zoomed window inside the lattice', () => {
    const view = viewWindow(W, H, {
      ...DEFAULT_DISPLAY,
      zoom: 4,
      centerXCells: 1,
      centerYCells: 99,
    });
    expect(view).toMatchObject({ x0Cells: 0, y0Cells: 75, spanXCells: 30, spanYCells: 25 });
  });
  it('offsets phases by psi in relative mode', () => {
    expect(viewWindow(W, H, { ...DEFAULT_DISPLAY, relative: true }, Math.PI).phaseOffsetQ).toBe(
      32768,
    );
  });
});

describe('cellAt', () => {
  const TABLE = [
    { name: 'top-left corner', fx: 0, fy: 0, zoom: 1, expected: { x: 0, y: 0 } },
    { name: 'last cell', fx: 0.9999, fy: 0.9999, zoom: 1, expected: { x: 119, y: 99 } },
    { name: 'centre at zoom 4', fx: 0.5, fy: 0.5, zoom: 4, expected: { x: 60, y: 50 } },
    { name: 'outside', fx: 1, fy: 0.5, zoom: 1, expected: null },
  ];
  it.each(TABLE)('maps the $name', ({ fx, fy, zoom, expected }) => {
    expect(cellAt(viewWindow(W, H, { ...DEFAULT_DISPLAY, zoom }), W, H, fx, fy)).toEqual(expected);
  });
});

describe('zoomAt and panBy', () => {
  it('keeps the point under the pointer in place', () => {
    const zoomed = zoomAt(DEFAULT_DISPLAY, W, H, 2, 0.25, 0.25);
    const before = cellAt(viewWindow(W, H, DEFAULT_DISPLAY), W, H, 0.25, 0.25);
    const after = cellAt(viewWindow(W, H, zoomed), W, H, 0.25, 0.25);
    expect(after).toEqual(before);
    expect(zoomed.zoom).toBe(2);
  });
  it('clamps zoom to 1..64', () => {
    expect(zoomAt(DEFAULT_DISPLAY, W, H, 0.1, 0.5, 0.5).zoom).toBe(1);
    expect(zoomAt({ ...DEFAULT_DISPLAY, zoom: 60 }, W, H, 2, 0.5, 0.5).zoom).toBe(64);
  });
  it('pans in cells', () => {
    const panned = panBy({ ...DEFAULT_DISPLAY, zoom: 2 }, W, H, 10, -5);
    expect(viewWindow(W, H, panned)).toMatchObject({ x0Cells: 40, y0Cells: 20 });
  });

  it('places a cell on the canvas where cellAt finds it', () => {
    const display = { ...DEFAULT_DISPLAY, zoom: 4, centerXCells: 60, centerYCells: 50 };
    const view = viewWindow(120, 100, display);
    const rect = cellRect(view, 61, 52);
    expect(cellAt(view, 120, 100, rect.left + rect.width / 2, rect.top + rect.height / 2)).toEqual({
      x: 61,
      y: 52,
    });
    expect(rect.width).toBeCloseTo(4 / 120, 9);
    // A cell left of the window is off the canvas.
    expect(cellRect(view, 0, 50).left).toBeLessThan(0);
  });
});
