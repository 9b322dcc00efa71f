// Frame sources: where a stream's frames come from. A source owns its clock and its encoder: it
// hands each frame to the bus once, already encoded against the frames it emitted before, and
// the bus numbers the frame, packs each form its clients need once, and fans out.
import type { SourceKind } from '../../core/wire/envelope';
import type { EncodedFrame } from '../../core/wire/frame-codec';

/** The wire forms of one frame (a FrameEncoding is one). */
export interface FrameForms {
  /**
   * The form for a client that holds `held` consecutive frames before this one, or null when the
   * source did not make it for this frame: a live source encodes the keyframe and the catch-up
   * delta only when a client needs them, and makes them for one of the next frames on being
   * asked (asking is this call's side effect).
   */
  frameFor(held: number): EncodedFrame | null;
}

export interface SourceFrame {
  frameIndex: number;
  /** Null where only the encoded forms travelled: a gateway's frames from NATS. */
  phases: Uint16Array | null;
  /** The frame's size as raw u16 phases when `phases` is null (the baseline for bytes saved). */
  rawBytes?: number;
  /** Wall clock when the frame was produced, in ms since the epoch (sub-millisecond precision). */
  producedAtMs: number;
  /** CRC-32 of the phases' u16 little-endian bytes: what a client checks its decoded frame with. */
  crc: number;
  /**
   * Encoded against the frames this source emitted before this one. After a discontinuity (a
   * corrupt frame skipped, a restart) every form is the keyframe: no delta across the gap.
   */
  forms: FrameForms;
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
  /** Random access for per-client replay (replay sources only); throws TraceError for a bad frame. */
  readFrame?(frameIndex: number): Uint16Array;
}

/** The clock frames are stamped with: the machine's system clock, sub-millisecond. */
export { wallClockMs } from '../../core/wall-clock';
