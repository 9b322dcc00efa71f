import { describe, expect, it } from 'vitest';
import { formatBytes } from './format';
import { dollarsSavedPerDay } from './BandwidthPanel';

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [999, '999 B'],
    [1500, '1.5 kB'],
    [2_500_000, '2.50 MB'],
    [3_210_000_000, '3.21 GB'],
  ])('formats %d as %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });
});

describe('dollarsSavedPerDay', () => {
  it('prices a day of the saved rate at the egress price per GB', () => {
    // 1 MB/s for a day is 86.4 GB; at $0.09/GB that is $7.776.
    expect(dollarsSavedPerDay(1e6, 0.09)).toBeCloseTo(7.776, 6);
    expect(dollarsSavedPerDay(0, 0.09)).toBe(0);
  });
});
