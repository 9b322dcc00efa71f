// Latency histograms the client threads fill in shared memory: fixed bins, so a thread adds a
// sample with one atomic increment and the coordinator subtracts two readings to get a window.
import { round } from '../../support/round';

/** Latency histogram: 10 us bins below 20 ms, 1 ms bins up to 2 s, then one overflow bin. */
const FINE_BINS = 2000;
const FINE_BIN_MS = 0.01;
const COARSE_BINS = 1980;
export const HISTOGRAM_BINS = FINE_BINS + COARSE_BINS + 1;

export function latencyBin(ms: number): number {
  if (ms < FINE_BINS * FINE_BIN_MS) return Math.max(0, Math.floor(ms / FINE_BIN_MS));
  return Math.min(FINE_BINS + Math.floor(ms - FINE_BINS * FINE_BIN_MS), HISTOGRAM_BINS - 1);
}

/** Upper edge of a bin, ms (Infinity for the overflow bin). */
function binUpperMs(bin: number): number {
  if (bin < FINE_BINS) return (bin + 1) * FINE_BIN_MS;
  if (bin < HISTOGRAM_BINS - 1) return FINE_BINS * FINE_BIN_MS + (bin - FINE_BINS + 1);
  return Infinity;
}

/** Latency percentile (upper bin edge, ms) from a histogram of counts. */
export function histogramPercentile(
  histogram: Uint32Array,
  total: number,
  fraction: number,
): number {
  const rank = Math.max(1, Math.ceil(fraction * total));
  let seen = 0;
  for (let bin = 0; bin < histogram.length; bin++) {
    seen += histogram[bin]!;
    if (seen >= rank) return binUpperMs(bin);
  }
  return 0;
}

/** Bin-wise sum of histograms (each part one or more histograms laid end to end). */
export function sumHistograms(parts: Uint32Array[]): Uint32Array {
  const sum = new Uint32Array(HISTOGRAM_BINS);
  for (const part of parts)
    for (let i = 0; i < part.length; i++) sum[i % HISTOGRAM_BINS]! += part[i]!;
  return sum;
}

/** A latency for the JSON: the overflow bin has no upper edge. */
const ms = (value: number): number | string => (Number.isFinite(value) ? round(value, 2) : '>2000');

export interface LatencySummary {
  p50: number | string;
  p95: number | string;
  p99: number | string;
  max: number | string;
  samples: number;
}

/** The latencies recorded between two readings of the same histogram. */
export function latencyBetween(from: Uint32Array, to: Uint32Array): LatencySummary {
  const histogram = to.map((n, b) => n - from[b]!);
  const samples = histogram.reduce((s, n) => s + n, 0);
  let maxBin = 0;
  histogram.forEach((n, b) => (maxBin = n > 0 ? b : maxBin));
  return {
    p50: ms(histogramPercentile(histogram, samples, 0.5)),
    p95: ms(histogramPercentile(histogram, samples, 0.95)),
    p99: ms(histogramPercentile(histogram, samples, 0.99)),
    max: samples > 0 ? ms(binUpperMs(maxBin)) : 0,
    samples,
  };
}
