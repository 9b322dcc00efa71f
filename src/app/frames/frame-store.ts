// The decoded frames, outside React: the latest one, a small ring of recent ones, and the frames
// waiting to be drawn. Frames arrive at the stream's rate with the network's and the decoder's
// jitter; drawing only the latest at each animation frame would drop one whenever two arrive
// within the same display interval (and show nothing new in the next), which happens all the
// time when the stream's and the display's 60 Hz are nearly in phase. So the render loop draws
// the oldest waiting frame instead, and at most MAX_WAITING frames wait: the screen runs at most
// one frame behind, and only a stream faster than the display drops frames.
//
// Each frame's phases came from the stream worker, which decodes faster into a buffer it has
// written before than into a new one. So the store hands a frame's buffer back (release) once no
// holder can read the frame again: not the latest, not on screen, not waiting, not in the ring,
// and not held outside (the pipeline's cursor, which the panels, the hover readout and the PNG
// export read). A frame some holder still shows is never released, so never overwritten.
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

/** Hands a released frame's phases back to be decoded into again; the store never reads them after. */
export type ReleaseFrame = (phases: Uint16Array) => void;

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
  private release: ReleaseFrame | null = null;
  /** Whether a holder outside the store still reads a frame. */
  private heldOutside: (frame: StoredFrame) => boolean = () => false;
  /**
   * Frames a slot let go of that may still be held: released once no holder is left. At most the
   * frames the store's slots and the outside holders hold, so bounded.
   */
  private letGo: StoredFrame[] = [];

  constructor(ringSize = 8) {
    this.ring = new Array<StoredFrame | undefined>(ringSize);
  }

  /**
   * Where released frames' buffers go, and which frames holders outside the store still read;
   * null stops handing buffers back (the stream closed), and the frames go to the garbage collector.
   */
  setRelease(
    release: ReleaseFrame | null,
    heldOutside: (frame: StoredFrame) => boolean = () => false,
  ): void {
    this.release = release;
    this.heldOutside = heldOutside;
    if (release === null) this.letGo = [];
  }

  push(frame: StoredFrame): void {
    this.letGoOf(this.latest);
    this.latest = frame;
    this.version += 1;
    this.received += 1;
    if (this.drawing) {
      this.waiting.push(frame);
      while (this.waiting.length > MAX_WAITING) {
        this.letGoOf(this.waiting.shift());
        this.dropped += 1;
      }
    }
    this.letGoOf(this.ring[this.ringNext]);
    this.ring[this.ringNext] = frame;
    this.ringNext = (this.ringNext + 1) % this.ring.length;
    this.sweep();
  }

  /**
   * What to draw on this animation frame: the oldest waiting frame (`fresh`), or the frame on
   * screen again when a redraw was asked for (a new renderer, zoom, pan), or null.
   */
  takeForDraw(): { frame: StoredFrame; fresh: boolean } | null {
    const next = this.waiting.shift();
    if (next) {
      this.letGoOf(this.shown);
      this.shown = next;
      this.sweep();
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
    for (const frame of this.waiting) this.letGoOf(frame);
    this.letGoOf(this.shown);
    this.waiting = [];
    this.shown = null;
    this.sweep();
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
    this.letGoOf(this.latest);
    this.letGoOf(this.shown);
    for (const frame of this.waiting) this.letGoOf(frame);
    for (const frame of this.ring) this.letGoOf(frame);
    this.latest = null;
    this.shown = null;
    this.waiting = [];
    this.ring.fill(undefined);
    this.sweep();
  }

  /** Frames let go of but still held somewhere, waiting to be released. */
  get awaitingRelease(): number {
    return this.letGo.length;
  }

  /**
   * Releases each frame let go of that no holder reads any more. The store calls it whenever a
   * slot changes; call it too when an outside holder lets a frame go.
   */
  sweep(): void {
    const release = this.release;
    if (release === null || this.letGo.length === 0) return;
    this.letGo = this.letGo.filter((frame) => {
      if (this.holds(frame)) return true;
      // A buffer already handed back (or never had) is empty: nothing to hand back twice.
      if (frame.phases.byteLength > 0) release(frame.phases);
      return false;
    });
  }

  private letGoOf(frame: StoredFrame | null | undefined): void {
    if (!frame || this.release === null || this.letGo.includes(frame)) return;
    this.letGo.push(frame);
  }

  private holds(frame: StoredFrame): boolean {
    return (
      frame === this.latest ||
      frame === this.shown ||
      this.waiting.includes(frame) ||
      this.ring.includes(frame) ||
      this.heldOutside(frame)
    );
  }
}
