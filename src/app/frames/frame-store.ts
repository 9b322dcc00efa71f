// The decoded frames, outside React: the latest one, a small ring of recent ones, and the frames
// waiting to be drawn. Frames arrive at the stream's rate with the network's and the decoder's
// jitter; drawing only the latest at each animation frame would drop one whenever two arrive
// within the same display interval (and show nothing new in the next), which happens all the
// time when the stream's and the display's 60 Hz are nearly in phase. So the render loop draws
// the oldest waiting frame instead, and at most MAX_WAITING frames wait: the screen runs at most
// one frame behind, and only a stream faster than the display drops frames.
import type { HeatmapFrame } from '../../render/types';

export interface StoredFrame extends HeatmapFrame {
  seq: number;
  frameIndex: number;
  producedAtMs: number;
  /** CRC-32 of the phases, as the stream worker checked it. */
  crc: number;
  /**
   * When the frame was produced, on this page's clock (performance.now() time, ms): the server's
   * producedAtMs corrected by the clock offset the stream worker estimates; null before the first
   * pong. The start of the frame's produced-to-pixels latency.
   */
  producedAtPageMs: number | null;
  /** Mean phase psi of the frame (radians), for relative mode. */
  psiRad: number;
}

/** Frames waiting to be drawn, at most; the oldest past it is dropped. */
export const MAX_WAITING = 2;

export class FrameStore {
  /** The newest frame received. */
  latest: StoredFrame | null = null;
  /** The frame on screen (the visible view's; it may be one behind `latest`); null when none. */
  shown: StoredFrame | null = null;
  /** Bumped on every new frame. */
  version = 0;
  received = 0;
  /** Frames never drawn: pushed out of the waiting list by newer ones. */
  dropped = 0;
  private waiting: StoredFrame[] = [];
  private drawing = true;
  private redraw = false;
  private readonly ring: (StoredFrame | undefined)[];
  private ringNext = 0;

  constructor(ringSize = 8) {
    this.ring = new Array<StoredFrame | undefined>(ringSize);
  }

  push(frame: StoredFrame): void {
    this.latest = frame;
    this.version += 1;
    this.received += 1;
    if (this.drawing) {
      this.waiting.push(frame);
      while (this.waiting.length > MAX_WAITING) {
        this.waiting.shift();
        this.dropped += 1;
      }
    }
    this.ring[this.ringNext] = frame;
    this.ringNext = (this.ringNext + 1) % this.ring.length;
  }

  /**
   * What to draw on this animation frame: the oldest waiting frame (`fresh`), or the frame on
   * screen again when a redraw was asked for (a new renderer, zoom, pan), or null.
   */
  takeForDraw(): { frame: StoredFrame; fresh: boolean } | null {
    const next = this.waiting.shift();
    if (next) {
      this.shown = next;
      this.redraw = false;
      return { frame: next, fresh: true };
    }
    const again = this.shown ?? this.latest;
    if (this.redraw && again) {
      this.redraw = false;
      this.shown = again;
      return { frame: again, fresh: false };
    }
    return null;
  }

  /**
   * Whether a view draws the frames. While none does (the tickets view), frames are kept as the
   * latest but not queued: they go undrawn and count as neither rendered nor dropped, since no
   * renderer fell behind. The next draw shows the newest.
   */
  setDrawing(drawing: boolean): void {
    this.drawing = drawing;
    if (drawing) return;
    this.waiting = [];
    this.shown = null;
  }

  /** Draw the frame on screen again at the next animation frame. */
  requestRedraw(): void {
    this.redraw = true;
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

  /** The counts start again (a new tenant's stream). */
  resetCounts(): void {
    this.received = 0;
    this.dropped = 0;
  }

  clear(): void {
    this.latest = null;
    this.shown = null;
    this.waiting = [];
    this.ring.fill(undefined);
  }
}
