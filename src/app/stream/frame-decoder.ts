// Turns a validated frame message into phases, and refuses a frame whose checksum fails.
import { crc32 } from '../../core/crc32';
import type { FrameMessage, StreamInfo } from '../../core/wire/envelope';

export class FrameFault extends Error {}

export interface StreamFrameDecoder {
  decode(message: FrameMessage): Uint16Array;
  reset(): void;
}

export function createStreamFrameDecoder(stream: StreamInfo): StreamFrameDecoder {
  const spins = stream.width * stream.height;
  return {
    decode(message) {
      if (message.kind !== 0)
        throw new FrameFault(`frame ${message.seq}: unsupported frame kind ${message.kind}`);
      if (message.data.byteLength !== spins * 2) {
        throw new FrameFault(
          `frame ${message.seq}: keyframe has ${message.data.byteLength} bytes, expected ${spins * 2}`,
        );
      }
      // Copy into a fresh, aligned buffer the page can own once it is transferred.
      const phases = new Uint16Array(spins);
      new Uint8Array(phases.buffer).set(message.data);
      const crc = crc32(new Uint8Array(phases.buffer));
      if (crc !== message.crc) {
        throw new FrameFault(
          `frame ${message.seq}: checksum mismatch (expected 0x${message.crc.toString(16)}, computed 0x${crc.toString(16)})`,
        );
      }
      return phases;
    },
    reset() {},
  };
}
