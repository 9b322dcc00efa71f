// The phase metrics of recent frames (order parameter R, mean phase psi, vortex count), computed
// per frame in the stream worker and kept here in a fixed ring of typed arrays: pushing a frame
// allocates nothing. Panels read a window of it a few times a second, never per frame.

export interface PhaseSample {
  /** performance.now() when the frame reached the page, in ms. */
  atMs: number;
  frameIndex: number;
  /** The server's wall clock when the frame was produced, ms since the epoch. */
  producedAtMs: number;
  orderR: number;
  psiRad: number;
  vortices: number;
}

/** About 17 s at 60 frames/s: the panel's 10 s window with room to spare. */
export const DEFAULT_HISTORY_CAPACITY = 1024;

export class PhaseHistory {
  private readonly atMs: Float64Array;
  private readonly frameIndex: Int32Array;
  private readonly producedAtMs: Float64Array;
  private readonly orderR: Float32Array;
  private readonly psiRad: Float32Array;
  private readonly vortices: Int32Array;
  private next = 0;
  private size = 0;
  /** Bumped on every change; readers compare it to skip work when nothing changed. */
  version = 0;

  constructor(readonly capacity = DEFAULT_HISTORY_CAPACITY) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`[phase-history] capacity must be a positive integer, got ${capacity}`);
    }
    this.atMs = new Float64Array(capacity);
    this.frameIndex = new Int32Array(capacity);
    this.producedAtMs = new Float64Array(capacity);
    this.orderR = new Float32Array(capacity);
    this.psiRad = new Float32Array(capacity);
    this.vortices = new Int32Array(capacity);
  }

  get length(): number {
    return this.size;
  }

  push(sample: PhaseSample): void {
    const i = this.next;
    this.atMs[i] = sample.atMs;
    this.frameIndex[i] = sample.frameIndex;
    this.producedAtMs[i] = sample.producedAtMs;
    this.orderR[i] = sample.orderR;
    this.psiRad[i] = sample.psiRad;
    this.vortices[i] = sample.vortices;
    this.next = (i + 1) % this.capacity;
    if (this.size < this.capacity) this.size += 1;
    this.version += 1;
  }

  /** A new stream starts: its metrics must not join the old one's. */
  clear(): void {
    this.next = 0;
    this.size = 0;
    this.version += 1;
  }

  /** Ring slot of the k-th oldest sample. */
  private slot(k: number): number {
    return (this.next - this.size + k + this.capacity) % this.capacity;
  }

  private at(k: number): PhaseSample {
    const i = this.slot(k);
    return {
      atMs: this.atMs[i]!,
      frameIndex: this.frameIndex[i]!,
      producedAtMs: this.producedAtMs[i]!,
      orderR: this.orderR[i]!,
      psiRad: this.psiRad[i]!,
      vortices: this.vortices[i]!,
    };
  }

  latest(): PhaseSample | null {
    return this.size === 0 ? null : this.at(this.size - 1);
  }

  /**
   * The sample of one frame: the newest with this index (and, when given, this production time,
   * which tells apart the passes of a looping replay); null when it is no longer kept.
   */
  find(frameIndex: number, producedAtMs?: number | null): PhaseSample | null {
    for (let k = this.size - 1; k >= 0; k--) {
      const i = this.slot(k);
      if (this.frameIndex[i] !== frameIndex) continue;
      if (producedAtMs != null && this.producedAtMs[i] !== producedAtMs) continue;
      return this.at(k);
    }
    return null;
  }

  /** Every sample kept, oldest first. */
  all(): PhaseSample[] {
    return Array.from({ length: this.size }, (_, k) => this.at(k));
  }

  /**
   * Samples of the last windowMs before the newest, oldest first, thinned to at most one per
   * binMs (the newest of each bin), so a chart gets a bounded number of points whatever the
   * frame rate. The newest sample is always included.
   */
  window(windowMs: number, binMs = 0): PhaseSample[] {
    const out: PhaseSample[] = [];
    if (this.size === 0) return out;
    const newestMs = this.atMs[this.slot(this.size - 1)]!;
    let lastBin = Number.NaN;
    for (let k = this.size - 1; k >= 0; k--) {
      const atMs = this.atMs[this.slot(k)]!;
      if (newestMs - atMs > windowMs) break;
      if (binMs > 0) {
        // Bins on the clock, not on the newest sample, so the same samples stay picked from one
        // read to the next and the chart does not jitter.
        const bin = Math.floor(atMs / binMs);
        if (bin === lastBin) continue;
        lastBin = bin;
      }
      out.push(this.at(k));
    }
    return out.reverse();
  }
}
