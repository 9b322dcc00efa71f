import { describe, expect, it } from 'vitest';
import { parseWindow, windowCovering } from './windows';

describe('the window covering a duration', () => {
  it.each([
    { ms: 150 * 60_000, window: '150m' },
    { ms: 60 * 60_000, window: '1h' },
    { ms: 3 * 86_400_000, window: '3d' },
    { ms: 90_000, window: '2m' },
    { ms: 1, window: '1m' },
    // 10,001 minutes do not fit four digits: whole hours instead.
    { ms: 10_001 * 60_000, window: '167h' },
    { ms: 366 * 86_400_000, window: '366d' },
  ])('of $ms ms is $window', ({ ms, window }) => {
    expect(windowCovering(ms)).toBe(window);
    expect(parseWindow(window)).toBeGreaterThanOrEqual(ms);
  });

  it.each([0, -1, 367 * 86_400_000, Number.NaN])('refuses %s ms', (ms) => {
    expect(() => windowCovering(ms)).toThrow(RangeError);
  });
});
