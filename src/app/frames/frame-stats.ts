// The figures of the frame pipeline that the HUD, window.phaseViz and the stream-health warning
// show: the page's frame rate and frame times, frames drawn, decode time, latency (produced to
// decoded, and produced to pixels), wire rate and the age of the last frame. Rolling windows:
// recording allocates nothing per frame.
import { RollingWindow } from '../../core/stats';
import type { DrawnFrame, HudStats } from '../state/ui-store';
import type { FrameStore } from './frame-store';

/**
 * A frame whose next animation frame came later than this after its draw was not presented then:
 * the page was hidden (no animation frames run) and showed it on its return. Its latency says
 * nothing about the pipeline, so it is not counted.
 */
export const MAX_PRESENT_DELAY_MS = 1000;

/** Frames whose index and CRC the HUD keeps, for window.phaseViz.drawnFrames. */
export const DRAWN_FRAMES_KEPT = 32;

export class FrameStats {
  private framesRendered = 0;
  private readonly drawn: DrawnFrame[] = [];
  private drawnNext = 0;
  private lastTickMs = 0;
  private connected = false;
  private lastFrameAtMs: number | null = null;
  private readonly tickTimesMs = new RollingWindow(120);
  private readonly frameTimesMs = new RollingWindow(240);
  private readonly decodeMs = new RollingWindow(240);
  private readonly latencyMs = new RollingWindow(240);
  private readonly pixelsLatencyMs = new RollingWindow(240);
  private readonly wireBytes = new RollingWindow(120);
  private readonly wireTimesMs = new RollingWindow(120);

  constructor(
    private readonly frames: FrameStore,
    private readonly clock: () => number = () => performance.now(),
  ) {}

  /** An animation frame began at nowMs (the loop's requestAnimationFrame time). */
  animationFrame(nowMs: number): void {
    if (this.lastTickMs > 0) this.frameTimesMs.push(nowMs - this.lastTickMs);
    this.lastTickMs = nowMs;
    this.tickTimesMs.push(nowMs);
  }

  /** The visible renderer drew a frame it had not drawn before. */
  rendered(frame: DrawnFrame): void {
    this.framesRendered += 1;
    // A ring written in place: recording allocates nothing per frame.
    const slot = this.drawn[this.drawnNext % DRAWN_FRAMES_KEPT];
    if (slot) {
      slot.frameIndex = frame.frameIndex;
      slot.crc = frame.crc;
    } else this.drawn.push({ frameIndex: frame.frameIndex, crc: frame.crc });
    this.drawnNext += 1;
  }

  /** The last frames drawn, oldest first (copies). */
  private drawnFrames(): DrawnFrame[] {
    const n = this.drawn.length;
    const start = this.drawnNext % n || 0;
    return Array.from({ length: n }, (_, i) => ({ ...this.drawn[(start + i) % n]! }));
  }

  /**
   * A frame drawn at `drawnAtMs` was presented at `presentedAtMs` (the next animation frame), both
   * on the page clock; `producedAtPageMs` is its production on the same clock, null when unknown.
   */
  presented(producedAtPageMs: number | null, drawnAtMs: number, presentedAtMs: number): void {
    if (producedAtPageMs === null || presentedAtMs - drawnAtMs > MAX_PRESENT_DELAY_MS) return;
    this.pixelsLatencyMs.push(presentedAtMs - producedAtPageMs);
  }

  /** A frame arrived: what the worker measured of it. */
  arrived(decodeMs: number, wireBytes: number, latencyMs: number | null): void {
    const nowMs = this.clock();
    if (latencyMs !== null) this.latencyMs.push(latencyMs);
    this.decodeMs.push(decodeMs);
    this.wireBytes.push(wireBytes);
    this.wireTimesMs.push(nowMs);
    this.lastFrameAtMs = nowMs;
  }

  setConnected(connected: boolean): void {
    // Frames are due from the moment the stream opens: a stream that never sends one stalls too.
    if (connected && !this.connected) this.lastFrameAtMs = this.clock();
    this.connected = connected;
  }

  /** Animation frames in the last second (the page's frame rate). */
  private fps(nowMs: number): number {
    const times = this.tickTimesMs.values();
    if (times.length < 2) return 0;
    let count = 0;
    for (const t of times) if (nowMs - t <= 1000) count += 1;
    return count;
  }

  private bytesPerSecond(nowMs: number): number {
    const times = this.wireTimesMs.values();
    const bytes = this.wireBytes.values();
    let total = 0;
    for (let i = 0; i < times.length; i++) if (nowMs - times[i]! <= 1000) total += bytes[i]!;
    return total;
  }

  /** A new stream of another tenant: its counts start from zero. */
  reset(): void {
    this.framesRendered = 0;
    this.lastFrameAtMs = null;
    this.frameTimesMs.clear();
    this.decodeMs.clear();
    this.latencyMs.clear();
    this.wireBytes.clear();
    this.wireTimesMs.clear();
  }

  /** The figures the pipeline measures here; it adds what the frame on screen is. */
  hud(): Omit<
    HudStats,
    'lastFrameWallMs' | 'frameOnScreen' | 'frameOnScreenProducedAtMs' | 'heatmapTextureBytes'
  > {
    const nowMs = this.clock();
    return {
      fps: this.fps(nowMs),
      frameTimeP50Ms: this.frameTimesMs.percentile(0.5),
      frameTimeP95Ms: this.frameTimesMs.percentile(0.95),
      framesReceived: this.frames.received,
      framesRendered: this.framesRendered,
      framesDropped: this.frames.dropped,
      decodeMsP95: this.decodeMs.percentile(0.95),
      latencyMsP95: this.latencyMs.size > 0 ? this.latencyMs.percentile(0.95) : null,
      producedToPixelsMsP95:
        this.pixelsLatencyMs.size > 0 ? this.pixelsLatencyMs.percentile(0.95) : null,
      frameIndex: this.frames.latest?.frameIndex ?? -1,
      bytesPerSecond: this.bytesPerSecond(nowMs),
      lastFrameAgeMs: this.lastFrameAtMs === null ? null : nowMs - this.lastFrameAtMs,
      drawnFrames: this.drawn.length > 0 ? this.drawnFrames() : [],
    };
  }
}
