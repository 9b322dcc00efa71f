// Turns source frames into wire messages, once per frame per stream whatever the number of
// clients. Keyframes are encoded lazily: only when some client joins or resyncs.
import { crc32 } from '../../core/crc32';
import { encodeMessage, type FrameMessage } from '../../core/wire/envelope';
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
  messageFor(held: number): { bytes: Uint8Array; heldAfter: number };
}

export interface StreamEncoder {
  encode(frame: SourceFrame, seq: number): OutgoingFrame;
  reset(): void;
}

function u16Bytes(phases: Uint16Array): Uint8Array {
  return new Uint8Array(phases.buffer, phases.byteOffset, phases.byteLength);
}

export function createStreamEncoder(): StreamEncoder {
  return {
    encode(frame, seq) {
      const bytes = u16Bytes(frame.phases);
      const crc = crc32(bytes);
      let keyBytes: Uint8Array | undefined;
      const keyMessage = (): Uint8Array => {
        keyBytes ??= encodeMessage({
          t: 'frame',
          seq,
          fi: frame.frameIndex,
          kind: 0,
          order: 0,
          crc,
          producedAtMs: frame.producedAtMs,
          data: bytes,
        } satisfies FrameMessage);
        return keyBytes;
      };
      return {
        seq,
        frameIndex: frame.frameIndex,
        producedAtMs: frame.producedAtMs,
        rawBytes: bytes.byteLength,
        messageFor: () => ({ bytes: keyMessage(), heldAfter: 1 }),
      };
    },
    reset() {},
  };
}
