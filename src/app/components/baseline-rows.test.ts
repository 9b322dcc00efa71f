import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../../core/api/baselines';
import { changeOf, comparisonRows, ruleRows } from './baseline-rows';

const stats = (count: number, median: number | null) => ({
  count,
  meanSeconds: median,
  medianSeconds: median,
  p90Seconds: median,
});

function snapshot(over: {
  median: number | null;
  count: number;
  perDay: number[];
  rules: [string, number][];
  ratio: number | null;
  p95Ms: number | null;
}): Snapshot {
  return {
    window: { from: '2026-03-01T00:00:00.000Z', to: '2026-03-02T00:00:00.000Z', label: '24h' },
    mttr: {
      all: stats(over.count, over.median),
      severities: [{ severity: 'critical', stats: stats(over.count, over.median) }],
    },
    alarms: {
      total: over.perDay.reduce((a, b) => a + b, 0),
      perDay: over.perDay.map((count, i) => ({ day: `2026-03-0${i + 1}`, count })),
      perRule: over.rules.map(([rule, total]) => ({ rule, total, perDay: [] })),
    },
    bytesSaved: { ratio: over.ratio, bytesSent: 1, bytesSaved: 1, rawBytes: 2, tenants: [] },
    latency: [{ tenant: 'demo', p95Ms: over.p95Ms, samples: 60, sloMs: 7 }],
    dashboard: null,
  };
}

const then = snapshot({
  median: 600,
  count: 4,
  perDay: [3, 5],
  rules: [
    ['StreamStalled', 6],
    ['LatencyHigh', 2],
  ],
  ratio: 0.8,
  p95Ms: 3,
});
const now = snapshot({
  median: 300,
  count: 2,
  perDay: [9],
  rules: [['LatencyHigh', 9]],
  ratio: 0.9,
  p95Ms: 4.5,
});

describe('now vs baseline', () => {
  it('pairs each figure of the baseline with the same figure now', () => {
    const rows = comparisonRows(then, now);
    const byKey = Object.fromEntries(rows.map((r) => [r.key, r]));
    expect(byKey['mttr-all']).toMatchObject({ baseline: 600, now: 300, better: 'lower' });
    expect(byKey['mttr-critical']).toMatchObject({ baseline: 600, now: 300 });
    expect(byKey['mttr-error']).toBeUndefined(); // no ticket of that severity either time
    expect(byKey['alarms-total']).toMatchObject({ baseline: 8, now: 9 });
    expect(byKey['alarms-busiest-day']).toMatchObject({ baseline: 5, now: 9 });
    expect(byKey['bytes-saved']!.baseline).toBeCloseTo(80);
    expect(byKey['bytes-saved']!.now).toBeCloseTo(90);
    expect(byKey['latency-demo']).toMatchObject({ baseline: 3, now: 4.5, better: 'lower' });
  });

  it('says how far now is, and whether that is better', () => {
    const rows = Object.fromEntries(comparisonRows(then, now).map((r) => [r.key, r]));
    expect(changeOf(rows['mttr-all']!)).toEqual({ text: '−50 %', direction: 'better' });
    expect(changeOf(rows['latency-demo']!)).toEqual({ text: '+1.50 ms', direction: 'worse' });
    expect(changeOf(rows['bytes-saved']!)).toEqual({ text: '+10.0 points', direction: 'better' });
    expect(changeOf(rows['alarms-total']!)).toEqual({ text: '+1', direction: 'neutral' });
    expect(changeOf({ ...rows['mttr-all']!, now: null })).toBeNull();
  });

  it('lists alarms per rule, busiest first, rules of either time included', () => {
    expect(ruleRows(then, now)).toEqual([
      { rule: 'LatencyHigh', baseline: 2, now: 9 },
      { rule: 'StreamStalled', baseline: 6, now: 0 },
    ]);
  });
});
