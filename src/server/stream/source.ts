// Frame sources: where a stream's frames come from. A source owns its clock and hands each
// frame to the bus once; the bus encodes and fans out.
import type { SourceKind } from '../../core/wire/envelope';

export interface SourceFrame {
  frameIndex: number;
  phases: Uint16Array;
  /** Wall clock when the frame was produced, in ms since the epoch (sub-millisecond precision). */
  producedAtMs: number;
  /** True when frames before this one were lost (a corrupt frame was skipped): no delta across it. */
  discontinuity: boolean;
}

export interface SourceInfo {
  width: number;
  height: number;
  frameCount: number;
  intervalUs: number;
  source: SourceKind;
}

export interface FrameSource {
  readonly info: SourceInfo;
  start(onFrame: (frame: SourceFrame) => void): void;
  stop(): void;
  /**
   * The frame the next tick will deliver, read now (replay sources only), so that the bus can
   * encode it between ticks; null when it cannot be read. Does not advance the source.
   */
  peekNext?(): { frameIndex: number; phases: Uint16Array } | null;
  /** Random access for per-client replay (replay sources only); throws TraceError for a bad frame. */
  readFrame?(frameIndex: number): Uint16Array;
}

export function wallClockMs(): number {
  return performance.timeOrigin + performance.now();
}
