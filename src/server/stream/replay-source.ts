// Replays a trace file at its frame rate, looping, and encodes its frames. A frame that fails its
// checks is logged and skipped; the next good frame goes out as a keyframe (no delta across the
// gap). After each frame's fan-out the next frame is read and encoded while the server waits for
// the tick, so the encode is no part of any client's latency. A tick reads a few frames at most,
// within a time budget, and a run of bad frames (a trace whose every CRC fails, one cut while
// replayed, a huge sparse file) backs the reading off to about once a second, logged at a bounded
// rate: the event loop stays free and the stream shows as stalled (healthz, the detector).
import { TraceError } from '../../core/trace';
import type { TraceFile } from '../trace-file';
import { startTicker, type Ticker } from './ticker';
import { createFaultLog } from './fault-log';
import { createSourceEncoder, type ReadAheadCounts } from './source-encoder';
import { wallClockMs, type FrameSource, type SourceFrame } from './source';

export interface ReplayOptions {
  log: (line: string) => void;
  /** Stamps each frame's producedAtMs; the wall clock unless a test fixes it. */
  nowMs?: () => number;
  /** Each frame's encode time on the event loop, in ms (codec_encode_cpu_seconds). */
  onEncodeMs?: (ms: number) => void;
}

/** Frames a tick may try after a bad one, so one corrupt frame costs no tick... */
const MAX_READS_PER_TICK = 4;
/** ...as long as the reads so far took less than this. */
const READ_BUDGET_MS = 4;

export interface ReplaySource extends FrameSource {
  /** How the read-ahead fared: frames sent as prepared, and prepared work thrown away. */
  readonly readAhead: Readonly<ReadAheadCounts>;
}

export function createReplaySource(trace: TraceFile, options: ReplayOptions): ReplaySource {
  const { width, height, frameCount, intervalUs } = trace.header;
  const nowMs = options.nowMs ?? wallClockMs;
  const encoder = createSourceEncoder(width, height, options.onEncodeMs);
  let nextFrame = 0;
  let ticker: Ticker | undefined;
  let discontinuity = false;
  // The next frame, when the read-ahead read it before its tick.
  let peeked: { frameIndex: number; phases: Uint16Array } | null = null;
  let readAheadQueued = false;

  const faults = createFaultLog(options.log);
  // After a tick whose reads all failed: ticks to let pass before reading again, doubling up to a
  // second's worth while the faults go on.
  const maxBackoffTicks = Math.max(1, Math.round(1e6 / intervalUs));
  let backoffTicks = 0;
  let idleTicks = 0;

  const readNext = (): SourceFrame | null => {
    if (idleTicks > 0) {
      idleTicks -= 1;
      return null;
    }
    const startMs = performance.now();
    for (let attempt = 0; attempt < Math.min(frameCount, MAX_READS_PER_TICK); attempt++) {
      if (attempt > 0 && performance.now() - startMs > READ_BUDGET_MS) break;
      const frameIndex = nextFrame;
      nextFrame = (nextFrame + 1) % frameCount;
      let phases: Uint16Array;
      try {
        phases = peeked?.frameIndex === frameIndex ? peeked.phases : trace.readFrame(frameIndex);
      } catch (error) {
        peeked = null;
        if (!(error instanceof TraceError)) throw error;
        faults.fault(`${error.message}; skipping frame ${frameIndex}`);
        discontinuity = true;
        continue;
      }
      peeked = null;
      const producedAtMs = nowMs();
      if (discontinuity) encoder.reset();
      discontinuity = false;
      if (backoffTicks > 0) faults.recovered(`[trace] ${trace.path}: frames read again`);
      backoffTicks = 0;
      return { frameIndex, phases, producedAtMs, ...encoder.encode(frameIndex, phases) };
    }
    backoffTicks = Math.min(maxBackoffTicks, Math.max(1, backoffTicks * 2));
    idleTicks = backoffTicks;
    return null;
  };

  /** Reads the next tick's frame now and encodes it, without advancing the source. */
  const readAhead = (): void => {
    readAheadQueued = false;
    if (!ticker) return;
    if (peeked?.frameIndex !== nextFrame) {
      try {
        peeked = { frameIndex: nextFrame, phases: trace.readFrame(nextFrame) };
      } catch (error) {
        // The tick reads it again, and logs and skips it there.
        if (!(error instanceof TraceError)) throw error;
        peeked = null;
        return;
      }
    }
    encoder.prepare(peeked.frameIndex, peeked.phases);
  };

  return {
    info: { width, height, frameCount, intervalUs, source: 'replay' },
    readAhead: encoder.readAhead,
    start(onFrame) {
      if (ticker) return;
      // Precise: the send cadence is what clients see (and what bench:isolation measures).
      ticker = startTicker(
        intervalUs,
        () => {
          const frame = readNext();
          if (!frame) return;
          onFrame(frame);
          // onFrame returns once every client has the frame; setImmediate lets pending I/O go
          // before the read-ahead.
          if (!readAheadQueued) {
            readAheadQueued = true;
            setImmediate(readAhead);
          }
        },
        { precise: true },
      );
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
