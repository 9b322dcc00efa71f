// The one stream state the console shows everywhere: the header's badge, the embedded view's
// badge, the banner over a picture that is not current, window.phaseViz.streamState and the embed
// bridge's `streamState` message. A frozen heatmap looks the same as a calm lattice, and a paused
// view the same as a stalled one, so the state is derived in one place from what the page knows:
// the connection, the replay cursor, the source, and when the last frame came.
import { currentTenant, type Refusal, type UiState } from '../state/ui-store';
import { describeStreamHealth, streamHealth, type StreamHealth } from './stream-health';

export const STREAM_STATES = [
  'live',
  'replay',
  'paused',
  'stale',
  'reconnecting',
  'disconnected',
  'unauthorized',
  'not-found',
] as const;
export type StreamStateName = (typeof STREAM_STATES)[number];

export interface StreamStateInput {
  tenant: string | null;
  connection: {
    state: 'connecting' | 'open' | 'reconnecting' | 'closed';
    retryInMs: number | null;
    reason: string | null;
    refusal: Refusal | null;
    /** Wall clock (ms since the epoch) when the connection entered its state. */
    sinceMs: number;
  };
  /** The stream's source once it said hello; null before. */
  source: 'live' | 'replay' | null;
  intervalMs: number;
  /** The operator's replay cursor; null while following the stream's head. */
  playback: { live: boolean; playing: boolean; speed: number } | null;
  /** Milliseconds since the last frame arrived; null before the first. */
  lastFrameAgeMs: number | null;
  /** Wall clock of the last frame's arrival; null before the first. */
  lastFrameWallMs: number | null;
  latencyMsP95: number | null;
}

export interface StreamState {
  state: StreamStateName;
  /**
   * Whether the picture on screen is what the operator asked for: following the source or its own
   * cursor, or deliberately paused. When false the heatmap is dimmed and a banner says why.
   */
  current: boolean;
  /** Wall clock (ms since the epoch) from which the picture has not been current; null if it is. */
  sinceMs: number | null;
  /** One short line for the badge: `LIVE`, `REPLAY 2×`, `RECONNECTING`. */
  label: string;
  /** What happened and what to do, for the banner and an embedding host. */
  message: string;
}

function tenantName(tenant: string | null): string {
  return tenant === null ? 'the default tenant' : `tenant “${tenant}”`;
}

function refused(input: StreamStateInput, refusal: Refusal): StreamState {
  const since = input.lastFrameWallMs ?? input.connection.sinceMs;
  const who = tenantName(input.tenant);
  switch (refusal) {
    case 'not-found':
      return {
        state: 'not-found',
        current: false,
        sinceMs: since,
        label: 'NOT FOUND',
        message: `The server has no ${who} among those you may see: pick another tenant, or sign in with a token that grants it.`,
      };
    case 'forbidden':
      return {
        state: 'unauthorized',
        current: false,
        sinceMs: since,
        label: 'NO ACCESS',
        message: `Your token does not grant ${who}: sign in with a token that does, or pick another tenant.`,
      };
    case 'unauthorized':
      return {
        state: 'unauthorized',
        current: false,
        sinceMs: since,
        label: 'SIGN IN',
        message: `${who.charAt(0).toUpperCase()}${who.slice(1)} needs a token that grants it: sign in, or pick another tenant.`,
      };
  }
}

function stale(input: StreamStateInput, health: Exclude<StreamHealth, { kind: 'ok' }>) {
  // Stalled: nothing new since the last frame. Late: the newest frame shows the lattice as it was
  // that long before it arrived.
  const lastMs = input.lastFrameWallMs ?? input.connection.sinceMs;
  return {
    state: 'stale' as const,
    current: false,
    sinceMs: health.kind === 'late' ? lastMs - health.latencyMs : lastMs,
    label: 'STALE',
    message: `${describeStreamHealth(health)}; the connection is open.`,
  };
}

/** The stream state, from the page's view of the connection, cursor and frames. */
export function streamState(input: StreamStateInput): StreamState {
  const { connection } = input;
  if (connection.refusal) return refused(input, connection.refusal);
  const lostSince = input.lastFrameWallMs ?? connection.sinceMs;
  if (connection.state === 'closed') {
    return {
      state: 'disconnected',
      current: false,
      sinceMs: lostSince,
      label: 'DISCONNECTED',
      message: `Disconnected${connection.reason ? ` (${connection.reason})` : ''}: not reconnecting.`,
    };
  }
  if (connection.state !== 'open' || input.source === null) {
    const first = input.lastFrameWallMs === null && connection.state === 'connecting';
    const retry =
      connection.retryInMs !== null
        ? `; next try in ${(connection.retryInMs / 1000).toFixed(1)} s`
        : '';
    return {
      state: 'reconnecting',
      current: false,
      // Nothing was ever current on a first connection: no "since".
      sinceMs: first ? null : lostSince,
      label: first ? 'CONNECTING' : 'RECONNECTING',
      message: first
        ? 'Connecting to the stream…'
        : `Connection lost${connection.reason ? ` (${connection.reason})` : ''}: reconnecting${retry}.`,
    };
  }
  const following = input.playback === null || input.playback.live;
  const playing = following || input.playback!.playing;
  const health = streamHealth({
    connection: 'open',
    framesExpected: playing,
    lastFrameAgeMs: input.lastFrameAgeMs,
    intervalMs: input.intervalMs,
    latencyMsP95: input.latencyMsP95,
  });
  if (health.kind !== 'ok') return stale(input, health);
  if (!playing || (input.source === 'live' && !following)) {
    return {
      state: 'paused',
      current: true,
      sinceMs: null,
      label: 'PAUSED',
      message:
        input.source === 'live'
          ? 'Paused: the live stream goes on without this view; Go live returns to it.'
          : 'Paused on one frame of the recording.',
    };
  }
  if (input.source === 'live') {
    return {
      state: 'live',
      current: true,
      sinceMs: null,
      label: 'LIVE',
      message: 'Following the newest frame of the live source.',
    };
  }
  const speed = input.playback?.speed ?? 1;
  return {
    state: 'replay',
    current: true,
    sinceMs: null,
    label: `REPLAY ${speed}×`,
    message: following
      ? 'Playing the recording, looping, with every other viewer.'
      : `Playing the recording at ${speed}× on this view's own cursor.`,
  };
}

/** The stream state of the page now, from the UI store. */
export function streamStateOf(state: UiState): StreamState {
  return streamState({
    tenant: currentTenant(state),
    connection: state.connection,
    source: state.stream?.source ?? null,
    intervalMs: (state.stream?.intervalUs ?? 16_667) / 1000,
    playback: state.playback,
    lastFrameAgeMs: state.hud.lastFrameAgeMs,
    lastFrameWallMs: state.hud.lastFrameWallMs,
    latencyMsP95: state.hud.latencyMsP95,
  });
}

/** Wall-clock time of day, local: `12:03:04`. */
export function formatWallClock(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** `12:03:04` local time, and how long ago: what the banner says a stale picture is since. */
export function sinceText(sinceMs: number, nowMs: number): string {
  const clock = formatWallClock(sinceMs);
  const agoS = Math.max(0, Math.round((nowMs - sinceMs) / 1000));
  const ago =
    agoS < 60
      ? `${agoS} s`
      : agoS < 3600
        ? `${Math.floor(agoS / 60)} min ${agoS % 60} s`
        : `${Math.floor(agoS / 3600)} h ${Math.floor((agoS % 3600) / 60)} min`;
  return `since ${clock} (${ago} ago)`;
}
