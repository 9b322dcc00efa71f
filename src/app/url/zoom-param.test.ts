import { describe, expect, it } from 'vitest';
import { DEFAULT_DISPLAY } from '../state/display';
import { formatZoomParam, parseZoomParam } from './zoom-param';

const W = 120;
const H = 100;

describe('the zoom URL parameter', () => {
  it('round-trips', () => {
    const display = { ...DEFAULT_DISPLAY, zoom: 2.5, centerXCells: 40, centerYCells: 30 };
    const text = formatZoomParam(display, W, H)!;
    expect(text).toBe('2.5,40,30');
    expect(parseZoomParam(text)).toEqual({ zoom: 2.5, centerXCells: 40, centerYCells: 30 });
  });
  it.each(['', '2', 'a,b,c', '0.5,1,1', '100,1,1', '2,-1,3'])('rejects %j', (value) => {
    expect(parseZoomParam(value)).toBeNull();
  });
  it('is absent at zoom 1', () => {
    expect(formatZoomParam(DEFAULT_DISPLAY, W, H)).toBeNull();
  });
});
