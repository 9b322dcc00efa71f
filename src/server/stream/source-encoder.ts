// Encodes frames on the event loop, for a replay source and for each client's own replay cursor:
// a frame's CRC and its forms against the frames this encoder took before. A replay source also
// encodes its next frame ahead of the tick (`prepare`, between ticks when the server is idle), so
// that at the tick the frame only needs packing and the encode is no part of any client's latency.
import { crc32 } from '../../core/crc32';
import { FrameEncoder } from '../../core/wire/frame-codec';
import type { FrameForms } from './source';

export interface EncodedPhases {
  crc: number;
  forms: FrameForms;
}

export interface ReadAheadCounts {
  /** Frames whose encode at their tick found them prepared. */
  used: number;
  /** Prepared frames thrown away: the tick brought another frame, or the history was reset. */
  dropped: number;
}

export interface SourceEncoder {
  /** The frame's CRC and forms; the prepared work when it was for this very frame. */
  encode(frameIndex: number, phases: Uint16Array): EncodedPhases;
  /**
   * Encodes a frame ahead of its tick. Another frame at `encode` makes the prepared work void, and
   * that frame goes out as a keyframe (the history already holds the prepared one).
   */
  prepare(frameIndex: number, phases: Uint16Array): void;
  /** Forgets the history: the next frame goes out as a keyframe to everyone. */
  reset(): void;
  readonly readAhead: Readonly<ReadAheadCounts>;
}

function crcOf(phases: Uint16Array): number {
  return crc32(new Uint8Array(phases.buffer, phases.byteOffset, phases.byteLength));
}

/**
 * `onEncodeMs` hears the time of each frame's encode (every form), measured around the codec call
 * on this thread: the codec's CPU time, as the wire-format gate reads it (codec_encode_cpu_seconds).
 */
export function createSourceEncoder(
  width: number,
  height: number,
  onEncodeMs?: (ms: number) => void,
): SourceEncoder {
  const encoder = new FrameEncoder(width, height);
  const readAhead: ReadAheadCounts = { used: 0, dropped: 0 };
  let prepared: { frameIndex: number; phases: Uint16Array; encoded: EncodedPhases } | null = null;
  const encodeNow = (phases: Uint16Array): EncodedPhases => {
    const crc = crcOf(phases);
    const startMs = performance.now();
    const forms = encoder.encode(phases);
    onEncodeMs?.(performance.now() - startMs);
    return { crc, forms };
  };
  const drop = (): void => {
    if (!prepared) return;
    prepared = null;
    readAhead.dropped += 1;
  };
  return {
    readAhead,
    encode(frameIndex, phases) {
      // The same array, not equal contents: the source hands over the very frame it read ahead.
      if (prepared && prepared.frameIndex === frameIndex && prepared.phases === phases) {
        const { encoded } = prepared;
        prepared = null;
        readAhead.used += 1;
        return encoded;
      }
      if (prepared) {
        drop();
        // The history ends with the prepared frame: a delta from it would be wrong.
        encoder.reset();
      }
      return encodeNow(phases);
    },
    prepare(frameIndex, phases) {
      if (prepared) return;
      prepared = { frameIndex, phases, encoded: encodeNow(phases) };
    },
    reset() {
      drop();
      encoder.reset();
    },
  };
}
