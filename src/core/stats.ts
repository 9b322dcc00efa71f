// Rolling statistics over fixed-size windows: no allocation per sample (they run per frame).

export function percentile(values: ArrayLike<number>, fraction: number): number {
  const n = values.length;
  if (n === 0) return 0;
  const sorted = Float64Array.from(values).sort();
  const rank = Math.min(n - 1, Math.max(0, Math.ceil(fraction * n) - 1));
  return sorted[rank]!;
}

/** The last `capacity` samples. */
export class RollingWindow {
  private readonly samples: Float64Array;
  private next = 0;
  private filled = 0;

  constructor(capacity: number) {
    this.samples = new Float64Array(capacity);
  }

  push(value: number): void {
    this.samples[this.next] = value;
    this.next = (this.next + 1) % this.samples.length;
    if (this.filled < this.samples.length) this.filled += 1;
  }

  get size(): number {
    return this.filled;
  }

  values(): Float64Array {
    return this.samples.subarray(0, this.filled);
  }

  percentile(fraction: number): number {
    return percentile(this.values(), fraction);
  }

  clear(): void {
    this.next = 0;
    this.filled = 0;
  }
}
