// Thins a chart's points to what its pixels can show: recharts costs time per point on every
// redraw, and a panel a few hundred pixels wide cannot show one point per frame (600 over the
// phase panel's ten seconds). Each bucket keeps its first and last point and, for every series,
// the points of its lowest and highest value, so a spike or a step survives as it was.

/**
 * Points of `points` (sorted by `x`) in at most `buckets` equal spans of x, each span keeping its
 * first, last, and each key's lowest and highest point; returned in their order, none repeated.
 */
export function thinPoints<T extends object>(
  points: readonly T[],
  x: (point: T) => number,
  keys: readonly (keyof T)[],
  buckets: number,
): T[] {
  if (points.length <= buckets * 2) return [...points];
  const x0 = x(points[0]!);
  const spanX = x(points[points.length - 1]!) - x0;
  if (!(spanX > 0)) return [...points];
  const keep = new Set<number>();
  let bucketStart = 0;
  const closeBucket = (end: number): void => {
    keep.add(bucketStart);
    keep.add(end - 1);
    for (const key of keys) {
      let low = bucketStart;
      let high = bucketStart;
      for (let i = bucketStart + 1; i < end; i++) {
        const v = points[i]![key] as number;
        if (v < (points[low]![key] as number)) low = i;
        if (v > (points[high]![key] as number)) high = i;
      }
      keep.add(low);
      keep.add(high);
    }
  };
  let bucket = 0;
  for (let i = 0; i < points.length; i++) {
    const b = Math.min(buckets - 1, Math.floor(((x(points[i]!) - x0) / spanX) * buckets));
    if (b !== bucket) {
      closeBucket(i);
      bucketStart = i;
      bucket = b;
    }
  }
  closeBucket(points.length);
  return [...keep].sort((a, b) => a - b).map((i) => points[i]!);
}
