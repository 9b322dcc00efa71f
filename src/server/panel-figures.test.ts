import { describe, expect, it } from 'vitest';
import { percentile } from '../core/stats';
import { bucketOf, bucketValueMs, histogramOf, quantileMs } from './latency-histogram';
import { LATENCY_MIN_SAMPLES, bandwidthFigures, latencyFigures } from './panel-figures';
import { PanelHistory, type CountTotals } from './panel-history';

const T0 = Date.UTC(2026, 2, 1, 12, 0, 0);

function totals(framesSent: number, bytesPerFrame = 2500, rawPerFrame = 24_000): CountTotals {
  return {
    framesSent,
    bytesSent: framesSent * bytesPerFrame,
    rawBytes: framesSent * rawPerFrame,
    bytesSaved: framesSent * (rawPerFrame - bytesPerFrame),
    framesSkipped: 0,
    resyncs: 0,
  };
}

/** A history fed one second at a time: frames per second and latencies per second. */
function history(seconds: { frames: number; latenciesMs?: number[] }[]): PanelHistory {
  const h = new PanelHistory();
  let sent = 0;
  seconds.forEach((s, i) => {
    sent += s.frames;
    h.add(T0 + i * 1000, totals(sent), histogramOf(s.latenciesMs ?? []));
  });
  return h;
}

describe('latency histogram', () => {
  it('reads quantiles within 2 % of the exact ones, over any spread', () => {
    const samples = Array.from({ length: 5000 }, (_, i) => 0.2 * Math.exp((i % 977) / 150));
    for (const q of [0.5, 0.9, 0.95, 0.99]) {
      const exact = percentile(samples, q);
      const read = quantileMs(histogramOf(samples), q)!;
      expect(Math.abs(read - exact) / exact).toBeLessThanOrEqual(0.02);
    }
    expect(quantileMs(new Map(), 0.95)).toBeNull();
  });

  it('puts zero, negative and huge samples in the end buckets instead of failing', () => {
    expect(bucketOf(0)).toBe(0);
    expect(bucketOf(-3)).toBe(0);
    expect(bucketOf(Number.NaN)).toBe(0);
    expect(bucketOf(1e12)).toBe(bucketOf(1e9));
    expect(bucketValueMs(bucketOf(5))).toBeCloseTo(5, 0);
  });
});

describe('panel history', () => {
  it('reads the 1 s points while they hold everything since the start', () => {
    const h = history(Array.from({ length: 120 }, () => ({ frames: 60 })));
    const week = h.points(7 * 86_400);
    expect(week.stepS).toBe(1);
    expect(week.points).toHaveLength(120);
  });

  it('serves a short window at 1 s and a long one at a coarser step, from the same samples', () => {
    const h = history(Array.from({ length: 900 }, () => ({ frames: 60 })));
    expect(h.points(300).stepS).toBe(1);
    // Ten minutes kept at 1 s, and the second still filling.
    expect(h.points(300).points).toHaveLength(601);
    const hour = h.points(3600);
    expect(hour.stepS).toBe(10);
    // 900 s at 10 s a point: 90 points, the newest still filling.
    expect(hour.points).toHaveLength(90);
    expect(hour.points[hour.points.length - 1]!.totals.framesSent).toBe(900 * 60);
    // 15 min in, the 10 s points still hold everything: a week's window reads them.
    expect(h.points(7 * 86_400).stepS).toBe(10);
  });
});

describe('bandwidth figures', () => {
  it('counts the window only, and projects from the seconds someone watched, not the gaps', () => {
    // 30 s watched, 60 s nobody watched, 30 s watched.
    const seconds = [
      ...Array.from({ length: 30 }, () => ({ frames: 60 })),
      ...Array.from({ length: 60 }, () => ({ frames: 0 })),
      ...Array.from({ length: 30 }, () => ({ frames: 60 })),
    ];
    const { points } = history(seconds).points(120);
    const { window, series } = bandwidthFigures(points, 120);
    // The window's base is the first point: 119 s of change, 59 of them with frames.
    expect(window.activeS).toBe(59);
    expect(window.framesSent).toBe(59 * 60);
    expect(window.bytesSaved).toBe(59 * 60 * 21_500);
    expect(window.savedBytesPerActiveS).toBeCloseTo(60 * 21_500, 6);
    expect(window.savingsRatio).toBeCloseTo(21_500 / 24_000, 6);
    expect(series).toHaveLength(119);
    expect(series[40]!.savedBytesPerS).toBe(0);
    expect(series[10]!.savedBytesPerS).toBeCloseTo(60 * 21_500, 6);

    const last10 = bandwidthFigures(points, 10).window;
    expect(last10.toMs - last10.fromMs).toBe(10_000);
    expect(last10.framesSent).toBe(600);
  });

  it('has nothing to say without points', () => {
    const { window, series } = bandwidthFigures([], 60);
    expect(series).toEqual([]);
    expect(window).toMatchObject({ bytesSaved: 0, activeS: 0, savedBytesPerActiveS: null });
  });
});

describe('latency figures', () => {
  const slo = 7;

  it('states the p95 of every sample in the window, not of the newest second', () => {
    const seconds = Array.from({ length: 60 }, (_, i) => ({
      frames: 60,
      latenciesMs: Array.from({ length: 60 }, (_, k) => (i === 59 ? 20 : 1 + (k % 5))),
    }));
    const f = latencyFigures(history(seconds).points(60).points, 60, slo);
    expect(f.samples).toBe(3600);
    // One bad second of sixty does not make the window's p95 bad.
    expect(f.p95Ms!).toBeCloseTo(5, 0);
    expect(f.series[f.series.length - 1]!.p95Ms).toBeCloseTo(20, 0);
    expect(f.verdict).toBe('within');
  });

  it('does not flap while the p95 hovers at the SLO: over above it, within only below 90 %', () => {
    const second = (ms: number) => ({ frames: 60, latenciesMs: Array(30).fill(ms) });
    // Within, one bad second, then a p95 just under the SLO (in the band): still over.
    const seconds = [
      ...Array.from({ length: 20 }, () => second(6)),
      second(7.5),
      ...Array.from({ length: 30 }, () => second(6.8)),
    ];
    const f = latencyFigures(history(seconds).points(5).points, 5, slo);
    expect(f.withinBelowMs).toBeCloseTo(6.3, 6);
    expect(f.p95Ms!).toBeLessThan(slo);
    expect(f.verdict).toBe('over');
    expect(f.verdictSinceMs).toBe(T0 + 20_000);

    // The same band reached from below stays within: the verdict has a memory, not a threshold.
    const fromBelow = [
      ...Array.from({ length: 20 }, () => second(6)),
      ...Array.from({ length: 30 }, () => second(6.8)),
    ];
    expect(latencyFigures(history(fromBelow).points(5).points, 5, slo).verdict).toBe('within');

    // Well below the band: within again, from then on.
    const recovered = [...seconds, ...Array.from({ length: 20 }, () => second(2))];
    const g = latencyFigures(history(recovered).points(5).points, 5, slo);
    expect(g.verdict).toBe('within');
    // Once the last second in the band has left the 5 s window.
    expect(g.verdictSinceMs).toBe(T0 + 55_000);
  });

  it('gives no verdict on fewer samples than the minimum', () => {
    const seconds = [{ frames: 60, latenciesMs: Array(LATENCY_MIN_SAMPLES - 1).fill(50) }];
    const f = latencyFigures(history(seconds).points(60).points, 60, slo);
    expect(f.verdict).toBe('insufficient');
    expect(Math.abs(f.p95Ms! - 50) / 50).toBeLessThanOrEqual(0.02);
    expect(latencyFigures([], 60, slo)).toMatchObject({ verdict: 'insufficient', p95Ms: null });
  });
});
