// The phase of the pinned spin (a click on the heatmap pins one) over recent frames, recorded as
// frames arrive, whatever view shows, for the pinned-spin panel's chart.
import type { StoredFrame } from './frame-store';

export interface PinnedSample {
  frameIndex: number;
  phaseRad: number;
}

/** Samples kept: ten seconds at 60 frames/s. */
export const PINNED_HISTORY = 600;

export class PinnedSpin {
  private index: number | null = null;
  private samples: PinnedSample[] = [];

  /** Follows one spin's phase from `latest` on (null stops). */
  pin(spinIndex: number | null, latest: StoredFrame | null): void {
    this.index = spinIndex;
    this.samples = [];
    if (latest) this.record(latest);
  }

  record(frame: StoredFrame): void {
    if (this.index === null) return;
    const q = frame.phases[this.index];
    if (q === undefined) return;
    this.samples.push({ frameIndex: frame.frameIndex, phaseRad: (q * 2 * Math.PI) / 65536 });
    if (this.samples.length > PINNED_HISTORY)
      this.samples.splice(0, this.samples.length - PINNED_HISTORY);
  }

  history(): readonly PinnedSample[] {
    return this.samples;
  }
}
