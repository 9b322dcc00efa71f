// Replays a trace file at its frame rate, looping. A frame that fails its checks is logged and
// skipped; the next good frame is marked as a discontinuity so the bus sends it as a keyframe.
import { TraceError } from '../../core/trace';
import type { TraceFile } from '../trace-file';
import { startTicker, type Ticker } from './ticker';
import { wallClockMs, type FrameSource, type SourceFrame } from './source';

export interface ReplayOptions {
  log: (line: string) => void;
}

export function createReplaySource(trace: TraceFile, options: ReplayOptions): FrameSource {
  const { width, height, frameCount, intervalUs } = trace.header;
  let nextFrame = 0;
  let ticker: Ticker | undefined;
  let discontinuity = false;
  // The next frame, when peekNext read it ahead of its tick.
  let peeked: { frameIndex: number; phases: Uint16Array } | null = null;

  const readNext = (): SourceFrame | null => {
    for (let attempt = 0; attempt < frameCount; attempt++) {
      const frameIndex = nextFrame;
      nextFrame = (nextFrame + 1) % frameCount;
      try {
        const phases =
          peeked?.frameIndex === frameIndex ? peeked.phases : trace.readFrame(frameIndex);
        peeked = null;
        const frame = { frameIndex, phases, producedAtMs: wallClockMs(), discontinuity };
        discontinuity = false;
        return frame;
      } catch (error) {
        peeked = null;
        if (!(error instanceof TraceError)) throw error;
        options.log(`${error.message}; skipping frame ${frameIndex}`);
        discontinuity = true;
      }
    }
    return null;
  };

  return {
    info: { width, height, frameCount, intervalUs, source: 'replay' },
    start(onFrame) {
      if (ticker) return;
      // Precise: the send cadence is what clients see (and what bench:isolation measures).
      ticker = startTicker(
        intervalUs,
        () => {
          const frame = readNext();
          if (frame) onFrame(frame);
        },
        { precise: true },
      );
    },
    stop() {
      ticker?.stop();
      ticker = undefined;
    },
    peekNext() {
      if (peeked?.frameIndex !== nextFrame) {
        try {
          peeked = { frameIndex: nextFrame, phases: trace.readFrame(nextFrame) };
        } catch (error) {
          // The tick reads it again, and logs and skips it there.
          if (!(error instanceof TraceError)) throw error;
          peeked = null;
        }
      }
      return peeked;
    },
    readFrame(frameIndex) {
      return trace.readFrame(frameIndex);
    },
  };
}
