// Turns source frames into wire messages, once per frame per stream whatever the number of
// clients. The delta for clients that follow the stream is encoded eagerly; keyframes and
// catch-up deltas only when some client needs them, and each message is packed once and shared.
import { crc32 } from '../../core/crc32';
import { encodeMessage, type FrameMessage } from '../../core/wire/envelope';
import { FrameEncoder, framesHeldAfter, type EncodedFrame } from '../../core/wire/frame-codec';
import type { SourceFrame } from './source';

export interface OutgoingFrame {
  seq: number;
  frameIndex: number;
  producedAtMs: number;
  /** Size of the frame as raw u16 phases, the baseline for bytes saved. */
  rawBytes: number;
  /**
   * The message for a client that holds `held` consecutive frames before this one,
   * with the number of frames it will hold after decoding it.
   */
  messageFor(held: number): { bytes: Uint8Array; heldAfter: number; kind: 0 | 1 };
}

export interface StreamEncoder {
  encode(frame: SourceFrame, seq: number): OutgoingFrame;
  /**
   * Encodes the stream's next frame ahead of its tick (between ticks, when the server is idle),
   * so that `encode` of that frame only packs its message. A different frame at `encode` makes
   * the prepared work void, and that frame goes out as a keyframe.
   */
  prepare?(frameIndex: number, phases: Uint16Array): void;
  /** Forget the history: the next frame goes out as a keyframe to everyone. */
  reset(): void;
}

/**
 * Wraps one frame's encoded forms as an OutgoingFrame: each form is packed into its message at
 * most once and shared by every client that needs it. `frameFor(held)` picks the form for a
 * client that holds `held` consecutive previous frames.
 */
export function outgoingFrame(
  frame: SourceFrame,
  seq: number,
  crc: number,
  frameFor: (held: number) => EncodedFrame,
): OutgoingFrame {
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
        crc,
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
    rawBytes: frame.phases.byteLength,
    messageFor(held) {
      const encoded = frameFor(held);
      return {
        bytes: pack(encoded),
        heldAfter: framesHeldAfter(encoded, held),
        kind: encoded.kind,
      };
    },
  };
}

export function createStreamEncoder(width: number, height: number): StreamEncoder {
  const encoder = new FrameEncoder(width, height);
  let prepared: {
    frameIndex: number;
    phases: Uint16Array;
    crc: number;
    encoding: ReturnType<FrameEncoder['encode']>;
  } | null = null;
  const crcOf = (phases: Uint16Array): number =>
    crc32(new Uint8Array(phases.buffer, phases.byteOffset, phases.byteLength));
  return {
    encode(frame, seq) {
      let encoding: ReturnType<FrameEncoder['encode']>;
      let crc: number;
      if (
        prepared &&
        prepared.frameIndex === frame.frameIndex &&
        prepared.phases === frame.phases
      ) {
        ({ encoding, crc } = prepared);
      } else {
        // The encoder's history already holds the prepared frame: a delta from it would be wrong.
        if (prepared) encoder.reset();
        encoding = encoder.encode(frame.phases);
        crc = crcOf(frame.phases);
      }
      prepared = null;
      return outgoingFrame(frame, seq, crc, (held) => encoding.frameFor(held));
    },
    prepare(frameIndex, phases) {
      if (prepared) return;
      prepared = { frameIndex, phases, crc: crcOf(phases), encoding: encoder.encode(phases) };
    },
    reset() {
      encoder.reset();
      prepared = null;
    },
  };
}
