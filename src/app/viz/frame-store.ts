// The latest decoded frame and a small ring of recent ones, outside React. The render loop
// draws the latest once; a frame replaced before it was drawn counts as dropped.
import type { HeatmapFrame } from '../../render/types';

export interface StoredFrame extends HeatmapFrame {
  seq: number;
  frameIndex: number;
  producedAtMs: number;
  /** Mean phase psi of the frame (radians), for relative mode. */
  psiRad: number;
}

export class FrameStore {
  latest: StoredFrame | null = null;
  /** Bumped on every new frame; the render loop compares it with what it drew. */
  version = 0;
  drawnVersion = 0;
  received = 0;
  dropped = 0;
  private readonly ring: (StoredFrame | undefined)[];
  private ringNext = 0;

  constructor(ringSize = 8) {
    this.ring = new Array<StoredFrame | undefined>(ringSize);
  }

  push(frame: StoredFrame): void {
    if (this.latest && this.version !== this.drawnVersion) this.dropped += 1;
    this.latest = frame;
    this.version += 1;
    this.received += 1;
    this.ring[this.ringNext] = frame;
    this.ringNext = (this.ringNext + 1) % this.ring.length;
  }

  /** Recent frames, oldest first. */
  recent(): StoredFrame[] {
    const out: StoredFrame[] = [];
    for (let i = 0; i < this.ring.length; i++) {
      const f = this.ring[(this.ringNext + i) % this.ring.length];
      if (f) out.push(f);
    }
    return out;
  }

  clear(): void {
    this.latest = null;
    this.ring.fill(undefined);
  }
}
