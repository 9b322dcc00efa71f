// Latency samples as a sparse log-scale histogram: each bucket is 4 % wider than the one below it,
// so a quantile read from merged buckets is within 2 % of the exact one, whatever the spread, and
// a second, a minute or a day of samples costs the same few dozen numbers. This is what lets the
// panels state a p95 over any window the server keeps (docs/API.md, GET /api/latency).

/** Lower edge of bucket 0, ms: faster samples count there (loopback frames take tenths of a ms). */
const FLOOR_MS = 0.01;
const GROWTH = 1.04;
const LOG_GROWTH = Math.log(GROWTH);
/** Samples at or above a minute share the last bucket. */
const MAX_BUCKET = Math.ceil(Math.log(60_000 / FLOOR_MS) / LOG_GROWTH);

/** Bucket index to sample count. */
export type LatencyHistogram = Map<number, number>;

export function bucketOf(ms: number): number {
  if (!(ms > FLOOR_MS)) return 0;
  return Math.min(MAX_BUCKET, Math.floor(Math.log(ms / FLOOR_MS) / LOG_GROWTH));
}

/** The value a bucket stands for: the geometric middle of its edges. */
export function bucketValueMs(bucket: number): number {
  return FLOOR_MS * GROWTH ** (bucket + 0.5);
}

export function histogramOf(samplesMs: readonly number[]): LatencyHistogram {
  const histogram: LatencyHistogram = new Map();
  for (const ms of samplesMs) {
    const bucket = bucketOf(ms);
    histogram.set(bucket, (histogram.get(bucket) ?? 0) + 1);
  }
  return histogram;
}

/** Adds `other` into `into` (sign -1 takes it out again: a window that slides). */
export function mergeInto(into: LatencyHistogram, other: LatencyHistogram, sign: 1 | -1 = 1): void {
  for (const [bucket, count] of other) {
    const next = (into.get(bucket) ?? 0) + sign * count;
    if (next === 0) into.delete(bucket);
    else into.set(bucket, next);
  }
}

export function countOf(histogram: LatencyHistogram): number {
  let total = 0;
  for (const count of histogram.values()) total += count;
  return total;
}

/**
 * The quantile (0 to 1) of the samples, as the value of the bucket that holds the sample of rank
 * ceil(q * n), as core/stats.ts ranks exact samples; null without samples.
 */
export function quantileMs(histogram: LatencyHistogram, q: number): number | null {
  const total = countOf(histogram);
  if (total === 0) return null;
  const rank = Math.min(total, Math.max(1, Math.ceil(q * total)));
  let seen = 0;
  for (const bucket of [...histogram.keys()].sort((a, b) => a - b)) {
    seen += histogram.get(bucket)!;
    if (seen >= rank) return bucketValueMs(bucket);
  }
  return null;
}
