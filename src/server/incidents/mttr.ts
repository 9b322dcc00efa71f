// Mean time to resolve: per severity (and per tenant for the metrics), over a window, with the
// count behind every figure (a mean of two tickets says little) and auto- and person-resolved
// tickets apart, because a rule that clears by itself says nothing about how fast people fix things.
// The report is core/api's MttrReport, the answer of GET /api/mttr, built here and nowhere else.
import type { MttrReport, ResolutionStats, TrendPoint } from '../../core/api/tickets';
import { isoTime } from '../../core/api/time';
import type { ResolvedSample, TicketFilter, TicketStore } from './store';
import type { TicketState } from '../state/tickets';
import { AUTO, SEVERITIES, type Severity } from './types';
import { parseWindow, trendBucketMs } from './windows';

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
      start: isoTime(firstStartMs + i * bucketMs),
      count: stats.count,
      meanSeconds: stats.meanSeconds,
      medianSeconds: stats.medianSeconds,
    };
  });
}

/** Which tickets a report covers: those resolved in the trailing `window` up to `toMs`. */
export interface MttrQuery {
  /** One tenant, or null for every tenant of the samples. */
  tenant: string | null;
  /** As the API writes it: `24h`. */
  window: string;
  toMs: number;
}

/** The list request that returns exactly the tickets behind one severity's figures. */
function drillDown(query: MttrQuery, severity: Severity): string {
  const params = new URLSearchParams({
    ...(query.tenant !== null ? { tenant: query.tenant } : {}),
    severity,
    status: 'resolved',
    window: query.window,
    windowOn: 'resolved',
  });
  return `/api/tickets?${params.toString()}`;
}

/**
 * Every severity appears, empty ones with count 0, so a panel can say "none resolved". `open`
 * counts the unresolved tickets per severity now (none when absent).
 */
export function computeMttr(
  samples: readonly ResolvedSample[],
  query: MttrQuery & { open?: ReadonlyMap<Severity, number> },
): MttrReport {
  const { toMs } = query;
  const windowMs = parseWindow(query.window);
  const fromMs = toMs - windowMs;
  const bucketMs = trendBucketMs(windowMs);
  const inWindow = samples.filter((s) => s.resolvedAtMs >= fromMs && s.resolvedAtMs <= toMs);
  const seconds = (list: readonly ResolvedSample[]) => list.map(resolutionSeconds);
  const severities = SEVERITIES.map((severity) => {
    const mine = inWindow.filter((s) => s.severity === severity);
    return {
      severity,
      all: resolutionStats(seconds(mine)),
      auto: resolutionStats(seconds(mine.filter((s) => s.resolvedBy === AUTO))),
      person: resolutionStats(seconds(mine.filter((s) => s.resolvedBy !== AUTO))),
      open: query.open?.get(severity) ?? 0,
      trend: trend(mine, fromMs, toMs, bucketMs),
      tickets: drillDown(query, severity),
    };
  });
  return {
    tenant: query.tenant,
    window: query.window,
    from: isoTime(fromMs),
    to: isoTime(toMs),
    bucketSeconds: bucketMs / 1000,
    severities,
  };
}

type MttrScope = MttrQuery & Pick<TicketFilter, 'tenants'>;

function scopeFilter(query: MttrScope) {
  return {
    filter: { tenants: query.tenants, tenant: query.tenant ?? undefined },
    fromMs: query.toMs - parseWindow(query.window),
  };
}

/** The report from the unresolved counts and the resolutions in the query's scope and window. */
function mttrReport(
  counts: readonly { tenantId: string; severity: Severity; count: number }[],
  samples: readonly ResolvedSample[],
  query: MttrScope,
): MttrReport {
  const { tenants, tenant, toMs } = query;
  const open = new Map<Severity, number>();
  for (const row of counts) {
    if (tenants && !tenants.has(row.tenantId)) continue;
    if (tenant !== null && row.tenantId !== tenant) continue;
    open.set(row.severity, (open.get(row.severity) ?? 0) + row.count);
  }
  return computeMttr(samples, { tenant, window: query.window, toMs, open });
}

/**
 * The report of the store's tickets: those of `tenants` (all when undefined) or of the query's
 * one tenant, resolved in the window, with their unresolved ones counted as open.
 */
export function mttrFromStore(
  store: Pick<TicketStore, 'resolvedBetween' | 'unresolvedCounts'>,
  query: MttrScope,
): MttrReport {
  const { filter, fromMs } = scopeFilter(query);
  return mttrReport(
    store.unresolvedCounts(),
    store.resolvedBetween(filter, fromMs, query.toMs),
    query,
  );
}

/** The same report from either backend's ticket state. */
export async function mttrFromState(
  state: Pick<TicketState, 'resolvedBetween' | 'unresolvedCounts'>,
  query: MttrScope,
): Promise<MttrReport> {
  const { filter, fromMs } = scopeFilter(query);
  const [counts, samples] = await Promise.all([
    state.unresolvedCounts(),
    state.resolvedBetween(filter, fromMs, query.toMs),
  ]);
  return mttrReport(counts, samples, query);
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
