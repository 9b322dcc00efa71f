// The one place a frame becomes a wire message, for the stream's followers, a client's own
// replay cursor and live tenants alike. A frame arrives with its forms already encoded by its
// source; each form is packed at most once and shared by every client that needs it, so the cost
// per frame does not grow with the number of clients.
import { encodeMessage, type FrameMessage } from '../../core/wire/envelope';
import { framesHeldAfter, type EncodedFrame } from '../../core/wire/frame-codec';
import type { SourceFrame } from './source';

export interface OutgoingFrame {
  seq: number;
  frameIndex: number;
  producedAtMs: number;
  /** Size of the frame as raw u16 phases, the baseline for bytes saved. */
  rawBytes: number;
  /**
   * The message for a client that holds `held` consecutive frames before this one, with the
   * number of frames it will hold after decoding it; null when the source has not made the form
   * that client needs for this frame (it makes it for a later one, FrameForms.frameFor).
   */
  messageFor(held: number): { bytes: Uint8Array; heldAfter: number; kind: 0 | 1 } | null;
}

/** Numbers `frame` as `seq` of its sequence, ready to send to any client. */
export function outgoingFrame(frame: SourceFrame, seq: number): OutgoingFrame {
  // At most three forms per frame (key, order 1, order 2): a tiny cache keyed by identity.
  const packed = new Map<EncodedFrame, Uint8Array>();
  const pack = (encoded: EncodedFrame): Uint8Array => {
    let bytes = packed.get(encoded);
    if (!bytes) {
      bytes = encodeMessage({
        t: 'frame',
        seq,
        fi: frame.frameIndex,
        kind: encoded.kind,
        order: encoded.order,
        crc: frame.crc,
        producedAtMs: frame.producedAtMs,
        data: encoded.payload,
      } satisfies FrameMessage);
      packed.set(encoded, bytes);
    }
    return bytes;
  };
  return {
    seq,
    frameIndex: frame.frameIndex,
    producedAtMs: frame.producedAtMs,
    rawBytes: frame.phases?.byteLength ?? frame.rawBytes ?? 0,
    messageFor(held) {
      const encoded = frame.forms.frameFor(held);
      if (!encoded) return null;
      return {
        bytes: pack(encoded),
        heldAfter: framesHeldAfter(encoded, held),
        kind: encoded.kind,
      };
    },
  };
}
