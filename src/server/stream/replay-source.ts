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

  const readNext = (): SourceFrame | null => {
    for (let attempt = 0; attempt < frameCount; attempt++) {
      const frameIndex = nextFrame;
      nextFrame = (nextFrame + 1) % frameCount;
      try {
        const phases = trace.readFrame(frameIndex);
        const frame = { frameIndex, phases, producedAtMs: wallClockMs(), discontinuity };
        discontinuity = false;
        return frame;
      } catch (error) {
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
      ticker = startTicker(intervalUs, () => {
        const frame = readNext();
        if (frame) onFrame(frame);
      });
    },
    stop() {
      ticker?.stop();
      ticker = undefined;
    },
    readFrame(frameIndex) {
      return trace.readFrame(frameIndex);
    },
  };
}
