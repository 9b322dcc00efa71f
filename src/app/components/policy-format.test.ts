import { describe, expect, it } from 'vitest';
import { contextValue, formatBudget, formatFigure } from './policy-format';

describe('the policy view’s figures', () => {
  it('reads a figure by its path and shows it in the unit its name carries', () => {
    const context = { latency: { p95Us: 2500 }, cost: { projectedEgressMilliUsdPerDay: 1234 } };
    expect(contextValue(context, 'latency.p95Us')).toBe(2500);
    expect(contextValue(context, 'latency.missing')).toBeNull();
    expect(contextValue(context, 'latency.p95Us.deeper')).toBeNull();
    expect(formatFigure('latency.p95Us', 2500)).toBe('2.50 ms');
    expect(formatFigure('cost.projectedEgressMilliUsdPerDay', 1234)).toBe('$1.23/day');
    expect(formatFigure('carbon.projectedMgPerDay', 50000)).toBe('50.0 g CO2e/day');
    expect(formatFigure('change.after.spins', 4096)).toBe('4096');
  });

  it('converts a numeric budget and keeps a budget in words', () => {
    expect(formatBudget('cost.projectedEgressMilliUsdPerDay', '5000')).toBe('$5.00/day');
    expect(formatBudget('latency.p95Us', "the tenant's SLO")).toBe("the tenant's SLO");
    expect(formatBudget(null, '12')).toBe('12');
  });
});

describe('the try-a-change form', () => {
  it('changes only the filled fields and says what is wrong with a bad one', async () => {
    const { changeOf, EMPTY_FIELDS } = await import('./policy-change');
    expect(changeOf({ ...EMPTY_FIELDS, sloMs: '0.5', visibility: 'public' })).toEqual({
      sloMs: 0.5,
      visibility: 'public',
    });
    expect(changeOf({ ...EMPTY_FIELDS, gpuThreshold: 'default', lattice: '64x32' })).toEqual({
      gpuThreshold: null,
      lattice: { width: 64, height: 32 },
    });
    expect(changeOf(EMPTY_FIELDS)).toBe('Fill in at least one setting to change');
    expect(changeOf({ ...EMPTY_FIELDS, sloMs: '-1' })).toMatch(/^SLO/);
    expect(changeOf({ ...EMPTY_FIELDS, lattice: 'big' })).toMatch(/^Lattice/);
    expect(changeOf({ ...EMPTY_FIELDS, gpuThreshold: 'lots' })).toMatch(/^GPU threshold/);
  });
});
