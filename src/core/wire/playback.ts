// Per-client replay state (docs/PROTOCOL.md sections 2.2 and 3): a client either follows the
// stream's head with everyone else, or has its own cursor into the trace (paused, seeking, another
// speed, A-B loop). Pure and shared: the server steps it, the client shows it.

export const MIN_SPEED = 0.25;
export const MAX_SPEED = 16;

export interface PlaybackState {
  /** Following the stream's head (the shared bytes); false once the client controls playback. */
  live: boolean;
  playing: boolean;
  speed: number;
  /** Cursor position in frames (fractional below 1x speed). */
  position: number;
  /** At the end of the trace (or of B): wrap around (true) or stop (false). */
  loop: boolean;
  /** A-B loop bounds (inclusive frame indices), or null. */
  a: number | null;
  b: number | null;
}

export type PlaybackControl =
  | { action: 'play' }
  | { action: 'pause' }
  | { action: 'seek'; frame: number }
  | { action: 'step'; delta: number }
  | { action: 'speed'; speed: number }
  | { action: 'loop'; loop: boolean; a: number | null; b: number | null }
  | { action: 'live' };

export const FOLLOWING: PlaybackState = {
  live: true,
  playing: true,
  speed: 1,
  position: 0,
  loop: true,
  a: null,
  b: null,
};

export interface ControlResult {
  state: PlaybackState;
  /** Why a control was ignored or adjusted, for the operator. */
  notice: string | null;
  /** Send the cursor's frame now rather than at the next tick (a seek or step). */
  sendNow: boolean;
}

function isFrame(value: number, frameCount: number): boolean {
  return Number.isInteger(value) && value >= 0 && value < frameCount;
}

/**
 * Applies a control. `headFrame` is the frame the stream's head shows now: a client leaving
 * the head starts its cursor there. `frameCount` 0 means a live source, which allows only
 * pause, play and live.
 */
export function applyControl(
  state: PlaybackState,
  control: PlaybackControl,
  frameCount: number,
  headFrame: number,
): ControlResult {
  const replay = frameCount > 0;
  const from: PlaybackState = state.live ? { ...state, position: headFrame } : state;
  const ignore = (notice: string): ControlResult => ({ state, notice, sendNow: false });
  if (!replay && !['play', 'pause', 'live'].includes(control.action)) {
    return ignore(`${control.action} is not available on a live stream`);
  }
  switch (control.action) {
    case 'play':
      if (!replay) return { state: { ...FOLLOWING }, notice: null, sendNow: false };
      return { state: { ...from, live: false, playing: true }, notice: null, sendNow: false };
    case 'pause':
      return { state: { ...from, live: false, playing: false }, notice: null, sendNow: false };
    case 'live':
      return { state: { ...FOLLOWING }, notice: null, sendNow: false };
    case 'seek':
      if (!isFrame(control.frame, frameCount)) {
        return ignore(`seek to ${control.frame} ignored: frames are 0-${frameCount - 1}`);
      }
      return {
        state: { ...from, live: false, position: control.frame },
        notice: null,
        sendNow: true,
      };
    case 'step': {
      if (!Number.isInteger(control.delta) || Math.abs(control.delta) > frameCount) {
        return ignore(`step of ${control.delta} frames ignored`);
      }
      const frame =
        (((Math.floor(from.position) + control.delta) % frameCount) + frameCount) % frameCount;
      return {
        state: { ...from, live: false, playing: false, position: frame },
        notice: null,
        sendNow: true,
      };
    }
    case 'speed':
      if (!(control.speed >= MIN_SPEED && control.speed <= MAX_SPEED)) {
        return ignore(`speed ${control.speed} ignored: allowed ${MIN_SPEED} to ${MAX_SPEED}`);
      }
      return {
        state: { ...from, live: false, speed: control.speed },
        notice: null,
        sendNow: false,
      };
    case 'loop': {
      const { a, b } = control;
      if ((a === null) !== (b === null)) return ignore('A-B loop needs both A and B');
      if (
        a !== null &&
        b !== null &&
        (!isFrame(a, frameCount) || !isFrame(b, frameCount) || a >= b)
      ) {
        return ignore(`A-B loop ${a}-${b} ignored: need 0 <= A < B <= ${frameCount - 1}`);
      }
      const next = { ...from, live: false, loop: control.loop, a, b };
      // Entering an A-B range from outside jumps to A.
      if (a !== null && b !== null && (next.position < a || next.position > b)) {
        return { state: { ...next, position: a }, notice: null, sendNow: true };
      }
      return { state: next, notice: null, sendNow: false };
    }
  }
}

/** Advances a cursor by one stream tick; returns the frame index to show. */
export function advance(state: PlaybackState, frameCount: number): PlaybackState {
  if (state.live || !state.playing || frameCount === 0) return state;
  const start = state.a ?? 0;
  const end = state.b ?? frameCount - 1;
  let position = state.position + state.speed;
  let playing = true;
  if (position >= end + 1) {
    if (state.loop) {
      const span = end - start + 1;
      position = start + ((position - start) % span);
    } else {
      position = end;
      playing = false;
    }
  }
  return { ...state, position, playing };
}

export function cursorFrame(state: PlaybackState): number {
  return Math.floor(state.position);
}
