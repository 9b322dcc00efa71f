import { describe, expect, it } from 'vitest';
import { formatMeasureValue, formatThreshold } from './gate-format';

describe('gate figures', () => {
  it('writes values in their units, and a dash without data', () => {
    expect(formatMeasureValue({ value: 2.8, unit: 'ms' })).toBe('2.80 ms');
    expect(formatMeasureValue({ value: 12_500_000, unit: 'bytes/s' })).toBe('12.50 MB/s');
    expect(formatMeasureValue({ value: 512, unit: 'clients' })).toBe('512 clients');
    expect(formatMeasureValue({ value: 0.125, unit: 'cores' })).toBe('0.13 cores');
    expect(formatMeasureValue({ value: 7, unit: 'tickets/day' })).toBe('7 tickets/day');
    expect(formatMeasureValue({ value: null, unit: 'ms' })).toBe('–');
  });

  it('writes bounds with their comparator, and bands as a range', () => {
    expect(formatThreshold({ comparator: '<', threshold: 7, unit: 'ms' })).toBe('< 7.00 ms');
    expect(formatThreshold({ comparator: '>=', threshold: 500, unit: 'clients' })).toBe(
      '>= 500 clients',
    );
    expect(
      formatThreshold({
        comparator: 'within',
        threshold: { low: 0, high: 40 },
        unit: 'tickets/day',
      }),
    ).toBe('within 0–40 tickets/day');
  });
});
