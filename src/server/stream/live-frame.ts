// A live frame's wire forms, across the thread boundary: the simulator's worker encodes each frame
// and posts the forms with their buffers transferred; the event loop takes them as the frame's
// forms as they are, so a live frame costs the loop a copy, never an encode.
//
// The worker encodes the delta every follower needs for every frame, and the keyframe only when a
// client needs one, with the order-1 catch-up delta on the frame after it (what that client needs
// next): at a million spins each is as costly as the delta itself, and on most frames nobody
// joins. A client that needs a form the frame lacks skips the frame, and the event loop asks the
// worker for a keyframe.
import { crc32 } from '../../core/crc32';
import type { EncodedFrame, FrameEncoding } from '../../core/wire/frame-codec';
import type { FrameForms, SourceFrame } from './source';

export interface LiveWorkerFrame {
  t: 'frame';
  frameIndex: number;
  producedAtMs: number;
  phases: Uint16Array;
  crc: number;
  delta: EncodedFrame | null;
  /** Order-1 delta when `delta` is of order 2: what a client that holds one frame needs. */
  catchUp: EncodedFrame | null;
  /** Made when asked for, and whenever followers need it (no delta, or the delta is poorer). */
  key: EncodedFrame | null;
  /**
   * The frame's encode on the worker's thread, every form it is posted in, ms
   * (codec_encode_cpu_seconds); the worker sets it once the forms are made.
   */
  encodeMs: number;
}

/** Which of the optional forms a worker makes for a frame. */
export interface LiveFormsToMake {
  key: boolean;
  catchUp: boolean;
}

function detached(frame: EncodedFrame | null, transfer: ArrayBuffer[]): EncodedFrame | null {
  if (!frame) return null;
  // A payload may be a view of the encoder's scratch: post a copy that owns its buffer.
  const payload = frame.payload.slice();
  transfer.push(payload.buffer);
  return { kind: frame.kind, order: frame.order, payload };
}

/** Worker side: the message for one encoded frame, and the buffers to transfer with it. */
export function liveWorkerFrame(
  frameIndex: number,
  producedAtMs: number,
  /** Fresh for this frame: its buffer is transferred. */
  phases: Uint16Array<ArrayBuffer>,
  encoding: FrameEncoding,
  make: LiveFormsToMake = { key: true, catchUp: true },
): { message: LiveWorkerFrame; transfer: ArrayBuffer[] } {
  const transfer: ArrayBuffer[] = [phases.buffer];
  const delta = detached(encoding.delta, transfer);
  const catchUp =
    make.catchUp && encoding.delta?.order === 2
      ? detached(encoding.deltaOfOrder(1), transfer)
      : null;
  const message: LiveWorkerFrame = {
    t: 'frame',
    frameIndex,
    producedAtMs,
    phases,
    crc: crc32(new Uint8Array(phases.buffer, phases.byteOffset, phases.byteLength)),
    delta,
    catchUp,
    key: make.key || !delta ? detached(encoding.key, transfer) : null,
    encodeMs: 0,
  };
  return { message, transfer };
}

/**
 * The forms a worker made: for a client holding `held` frames, the delta of the highest order it
 * can apply, else the keyframe (FrameEncoding.frameFor's choice among the forms at hand), else
 * null, and `wantKey` is called: the client skips this frame and needs a keyframe next.
 */
function madeForms(
  key: EncodedFrame | null,
  deltas: readonly (EncodedFrame | null)[],
  wantKey: () => void,
): FrameForms {
  return {
    frameFor(held) {
      let best = key;
      for (const delta of deltas) {
        if (delta && delta.order <= held && delta.order > (best?.order ?? -1)) best = delta;
      }
      if (!best) wantKey();
      return best;
    },
  };
}

/**
 * Event-loop side: the worker's frame as the bus takes it. The first frame of a run goes out as
 * a keyframe to everyone: no client holds a frame of this run before it.
 */
export function liveSourceFrame(
  message: LiveWorkerFrame,
  first: boolean,
  wantKey: () => void = () => {},
): SourceFrame {
  const { frameIndex, producedAtMs, phases, crc, key } = message;
  return {
    frameIndex,
    producedAtMs,
    phases,
    crc,
    forms: madeForms(key, first ? [] : [message.delta, message.catchUp], wantKey),
  };
}
