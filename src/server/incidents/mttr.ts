// Mean time to resolve: per severity (and per tenant for the metrics), over a window, with the
// count behind every figure (a mean of two tickets says little) and auto- and person-resolved
// tickets apart, because a rule that clears by itself says nothing about how fast people fix things.
import type { ResolvedSample } from './store';
import { AUTO, SEVERITIES, type Severity } from './types';
import { trendBucketMs } from './windows';

export interface ResolutionStats {
  count: number;
  /** null when count is 0. */
  meanSeconds: number | null;
  medianSeconds: number | null;
  p90Seconds: number | null;
}

export interface TrendPoint {
  startMs: number;
  count: number;
  meanSeconds: number | null;
  medianSeconds: number | null;
}

export interface SeverityMttr {
  severity: Severity;
  all: ResolutionStats;
  auto: ResolutionStats;
  person: ResolutionStats;
  /** Oldest first, by resolution time, covering the window without gaps. */
  trend: TrendPoint[];
}

export interface MttrReport {
  fromMs: number;
  toMs: number;
  bucketMs: number;
  severities: SeverityMttr[];
}

/** Linear interpolation between closest ranks (numpy's default), on ascending values. */
export function quantile(sortedAscending: readonly number[], q: number): number {
  const n = sortedAscending.length;
  if (n === 0) throw new RangeError('quantile of no values');
  const rank = (n - 1) * q;
  const lower = Math.floor(rank);
  const upper = Math.min(lower + 1, n - 1);
  const a = sortedAscending[lower]!;
  return a + (sortedAscending[upper]! - a) * (rank - lower);
}

export function resolutionStats(durationsSeconds: readonly number[]): ResolutionStats {
  const count = durationsSeconds.length;
  if (count === 0) return { count, meanSeconds: null, medianSeconds: null, p90Seconds: null };
  const sorted = [...durationsSeconds].sort((a, b) => a - b);
  const sum = sorted.reduce((s, v) => s + v, 0);
  return {
    count,
    meanSeconds: sum / count,
    medianSeconds: quantile(sorted, 0.5),
    p90Seconds: quantile(sorted, 0.9),
  };
}

export function resolutionSeconds(sample: ResolvedSample): number {
  return (sample.resolvedAtMs - sample.openedAtMs) / 1000;
}

function trend(
  samples: readonly ResolvedSample[],
  fromMs: number,
  toMs: number,
  bucketMs: number,
): TrendPoint[] {
  const n = Math.max(1, Math.ceil((toMs - fromMs) / bucketMs));
  const firstStartMs = toMs - n * bucketMs;
  const buckets: number[][] = Array.from({ length: n }, () => []);
  for (const s of samples) {
    const i = Math.floor((s.resolvedAtMs - firstStartMs) / bucketMs);
    buckets[Math.min(n - 1, Math.max(0, i))]!.push(resolutionSeconds(s));
  }
  return buckets.map((durations, i) => {
    const stats = resolutionStats(durations);
    return {
      startMs: firstStartMs + i * bucketMs,
      count: stats.count,
      meanSeconds: stats.meanSeconds,
      medianSeconds: stats.medianSeconds,
    };
  });
}

/** Every severity appears, empty ones with count 0, so a panel can say "none resolved". */
export function computeMttr(
  samples: readonly ResolvedSample[],
  window: { fromMs: number; toMs: number; bucketMs?: number },
): MttrReport {
  const { fromMs, toMs } = window;
  const bucketMs = window.bucketMs ?? trendBucketMs(toMs - fromMs);
  const inWindow = samples.filter((s) => s.resolvedAtMs >= fromMs && s.resolvedAtMs <= toMs);
  const severities = SEVERITIES.map((severity) => {
    const mine = inWindow.filter((s) => s.severity === severity);
    const seconds = (list: readonly ResolvedSample[]) => list.map(resolutionSeconds);
    return {
      severity,
      all: resolutionStats(seconds(mine)),
      auto: resolutionStats(seconds(mine.filter((s) => s.resolvedBy === AUTO))),
      person: resolutionStats(seconds(mine.filter((s) => s.resolvedBy !== AUTO))),
      trend: trend(mine, fromMs, toMs, bucketMs),
    };
  });
  return { fromMs, toMs, bucketMs, severities };
}

/** Stats per tenant and severity (both kinds of resolution together), for the gauges. */
export function mttrByTenant(
  samples: readonly ResolvedSample[],
): { tenantId: string; severity: Severity; stats: ResolutionStats }[] {
  const groups = new Map<string, { tenantId: string; severity: Severity; seconds: number[] }>();
  for (const s of samples) {
    const key = JSON.stringify([s.tenantId, s.severity]);
    let group = groups.get(key);
    if (!group) {
      group = { tenantId: s.tenantId, severity: s.severity, seconds: [] };
      groups.set(key, group);
    }
    group.seconds.push(resolutionSeconds(s));
  }
  return [...groups.values()].map((g) => ({
    tenantId: g.tenantId,
    severity: g.severity,
    stats: resolutionStats(g.seconds),
  }));
}
