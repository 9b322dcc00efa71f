// The bandwidth and latency panels' figures over a window, from a tenant's panel history: what
// GET /api/bandwidth and GET /api/latency answer (docs/API.md). Pure functions of the points.
import type {
  BandwidthReport,
  BandwidthWindow,
  LatencyReport,
  LatencySecond,
  LatencyVerdict,
} from '../core/api/panels';
import { countOf, mergeInto, quantileMs, type LatencyHistogram } from './latency-histogram';
import type { HistoryPoint } from './panel-history';

/** Fewer samples than this in the window give no verdict (one client's first second is noise). */
export const LATENCY_MIN_SAMPLES = 20;
/** Back `within` only below this share of the SLO. */
export const LATENCY_HYSTERESIS = 0.9;

/** The points that end inside the window before the newest, and the one before them (the base). */
function windowOf(points: HistoryPoint[], windowS: number) {
  const newest = points[points.length - 1];
  if (!newest) return { base: undefined, inside: [] as HistoryPoint[] };
  const fromMs = newest.atMs - windowS * 1000;
  const first = points.findIndex((p) => p.atMs > fromMs);
  return { base: first > 0 ? points[first - 1] : undefined, inside: points.slice(first) };
}

export function bandwidthFigures(
  points: HistoryPoint[],
  windowS: number,
): Pick<BandwidthReport, 'window' | 'series'> {
  const { base, inside } = windowOf(points, windowS);
  const series = inside.slice(base ? 0 : 1).map((p, i) => {
    const prev = base ? (i === 0 ? base : inside[i - 1]!) : inside[i]!;
    const seconds = Math.max(0.001, (p.atMs - prev.atMs) / 1000);
    return {
      atMs: p.atMs,
      sentBytesPerS: (p.totals.bytesSent - prev.totals.bytesSent) / seconds,
      savedBytesPerS: (p.totals.bytesSaved - prev.totals.bytesSaved) / seconds,
      rawBytesPerS: (p.totals.rawBytes - prev.totals.rawBytes) / seconds,
    };
  });
  const first = base ?? inside[0];
  const last = inside[inside.length - 1];
  const delta = (pick: (p: HistoryPoint) => number): number =>
    first && last ? pick(last) - pick(first) : 0;
  const rawBytes = delta((p) => p.totals.rawBytes);
  const bytesSaved = delta((p) => p.totals.bytesSaved);
  const activeS = delta((p) => p.activeS);
  const window: BandwidthWindow = {
    fromMs: first?.atMs ?? 0,
    toMs: last?.atMs ?? 0,
    bytesSent: delta((p) => p.totals.bytesSent),
    bytesSaved,
    rawBytes,
    framesSent: delta((p) => p.totals.framesSent),
    savingsRatio: rawBytes > 0 ? bytesSaved / rawBytes : 0,
    activeS,
    savedBytesPerActiveS: activeS > 0 ? bytesSaved / activeS : null,
  };
  return { window, series };
}

type LatencyFigures = Omit<LatencyReport, 'tenant' | 'windowS' | 'stepS' | 'sloMs'>;

/**
 * p95 over the window, a point per step with the p95 over the window ending there, and the
 * verdict followed with hysteresis along those points from the oldest kept.
 */
export function latencyFigures(
  points: HistoryPoint[],
  windowS: number,
  sloMs: number,
): LatencyFigures {
  const windowMs = windowS * 1000;
  const withinBelowMs = sloMs * LATENCY_HYSTERESIS;
  // The window that ends at each point, slid along: add the point, drop what fell out.
  const sliding: LatencyHistogram = new Map();
  let tail = 0;
  let verdict: LatencyVerdict = 'insufficient';
  let verdictSinceMs: number | null = null;
  const rolling: (number | null)[] = [];
  for (const point of points) {
    mergeInto(sliding, point.latency);
    while (point.atMs - points[tail]!.atMs >= windowMs) {
      mergeInto(sliding, points[tail]!.latency, -1);
      tail += 1;
    }
    const count = countOf(sliding);
    const p95 = quantileMs(sliding, 0.95);
    rolling.push(p95);
    let next: LatencyVerdict;
    if (count < LATENCY_MIN_SAMPLES || p95 === null) next = 'insufficient';
    else if (p95 > sloMs) next = 'over';
    else if (verdict === 'over' && p95 >= withinBelowMs) next = 'over';
    else next = 'within';
    if (next !== verdict || verdictSinceMs === null) verdictSinceMs = point.atMs;
    verdict = next;
  }
  const { inside } = windowOf(points, windowS);
  const offset = points.length - inside.length;
  const series: LatencySecond[] = [];
  const whole: LatencyHistogram = new Map();
  inside.forEach((p, i) => {
    mergeInto(whole, p.latency);
    const count = countOf(p.latency);
    if (count === 0) return;
    series.push({
      atMs: p.atMs,
      p95Ms: quantileMs(p.latency, 0.95)!,
      count,
      windowP95Ms: rolling[offset + i] ?? null,
    });
  });
  const samples = countOf(whole);
  const weighted = series.reduce((sum, s) => sum + s.p95Ms * s.count, 0);
  return {
    samples,
    p95Ms: quantileMs(whole, 0.95),
    p95MsWorst: series.length > 0 ? Math.max(...series.map((s) => s.p95Ms)) : null,
    p95MsMean: samples > 0 ? weighted / samples : null,
    verdict,
    verdictSinceMs,
    minSamples: LATENCY_MIN_SAMPLES,
    withinBelowMs,
    series,
  };
}
