// A client's own cursor into a replayed trace (docs/PROTOCOL.md section 5): its playback state,
// and its frames, encoded against this client's own history and numbered in a sequence epoch of
// their own that starts afresh with every playback message. The client session decides when a
// frame may go (back-off) and sends it; the cursor decides which frame, and makes it.
import type { PlaybackMessage } from '../../core/wire/envelope';
import {
  FOLLOWING,
  advance,
  applyControl,
  cursorFrame,
  type PlaybackControl,
  type PlaybackState,
} from '../../core/wire/playback';
import { TraceError } from '../../core/trace';
import { outgoingFrame, type OutgoingFrame } from './frame-messages';
import { createSourceEncoder, type SourceEncoder } from './source-encoder';
import { wallClockMs } from './source';

export interface ReplayCursorOptions {
  width: number;
  height: number;
  /** 0 for a live stream, whose cursor can only pause. */
  frameCount: number;
  /** Random access into the trace; null for a live stream (nothing to send while paused). */
  readFrame: ((frameIndex: number) => Uint16Array) | null;
  log?: (line: string) => void;
  /** Stamps each frame's producedAtMs; the wall clock unless a test fixes it. */
  nowMs?: () => number;
  /** Each frame's encode time, in ms (codec_encode_cpu_seconds). */
  onEncodeMs?: (ms: number) => void;
}

export interface ReplayCursor {
  /** Following the stream's head, whose shared frames the bus delivers: no cursor of its own. */
  readonly following: boolean;
  /** The frame at the cursor. */
  readonly frameIndex: number;
  /**
   * Applies an operator's control; `headFrame` is the frame the stream's head shows now. Starts a
   * new sequence epoch: the answer tells the client, which drops its history on it.
   */
  control(control: PlaybackControl, headFrame: number): PlaybackMessage;
  /** One stream tick: the frame to send now, or null when it is the frame last sent (paused). */
  tick(): number | null;
  /**
   * `frameIndex` encoded against this cursor's history and numbered next in its epoch; null when
   * the stream has no random access, or the frame cannot be read (logged, and not tried again
   * until the cursor moves).
   */
  frameAt(frameIndex: number): OutgoingFrame | null;
}

export function createReplayCursor(options: ReplayCursorOptions): ReplayCursor {
  const { width, height, frameCount, readFrame } = options;
  const nowMs = options.nowMs ?? wallClockMs;
  let state: PlaybackState = FOLLOWING;
  // Made at the first cursor frame: a client that only follows never needs one.
  let encoder: SourceEncoder | null = null;
  let seq = 0;
  let lastFrame = -1;

  // `following` and `frameIndex` are data fields, set whenever the state changes, not getters:
  // an object literal with accessors is kept as a dictionary by V8, and the fan-out reads
  // `following` of every client's cursor on every frame (a generic property lookup each, 7 % of a
  // 500-client fan-out's time on this machine).
  const cursor: { -readonly [K in keyof ReplayCursor]: ReplayCursor[K] } = {
    following: state.live,
    frameIndex: cursorFrame(state),
    control(control, headFrame) {
      const result = applyControl(state, control, frameCount, headFrame);
      setState(result.state);
      seq = 0;
      lastFrame = -1;
      encoder?.reset();
      return {
        t: 'playback',
        live: state.live,
        playing: state.playing,
        speed: state.speed,
        frame: state.live ? headFrame : cursorFrame(state),
        loop: state.loop,
        a: state.a,
        b: state.b,
        notice: result.notice,
      };
    },
    tick() {
      setState(advance(state, frameCount));
      const frameIndex = cursorFrame(state);
      return frameIndex === lastFrame ? null : frameIndex;
    },
    frameAt(frameIndex) {
      if (!readFrame) return null;
      let phases: Uint16Array;
      try {
        phases = readFrame(frameIndex);
      } catch (error) {
        if (!(error instanceof TraceError)) throw error;
        options.log?.(`${error.message}; not sent to a seeking client`);
        lastFrame = frameIndex;
        return null;
      }
      encoder ??= createSourceEncoder(width, height, options.onEncodeMs);
      const encoded = encoder.encode(frameIndex, phases);
      seq += 1;
      lastFrame = frameIndex;
      // Stamped once encoded: a cursor frame's latency counts from when it is ready to send.
      return outgoingFrame({ frameIndex, phases, producedAtMs: nowMs(), ...encoded }, seq);
    },
  };
  function setState(next: PlaybackState): void {
    state = next;
    cursor.following = next.live;
    cursor.frameIndex = cursorFrame(next);
  }
  return cursor;
}
