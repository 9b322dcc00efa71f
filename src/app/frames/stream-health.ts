// Whether the picture on screen is current. A frozen heatmap looks the same as a calm lattice, so
// the console says so when frames stop arriving while some are expected (a stalled server or
// source, a stuck network) and when they arrive late (this browser or its link falls behind).
import type { ConnectionState } from '../state/ui-store';

export type StreamHealth =
  { kind: 'ok' } | { kind: 'stalled'; sinceMs: number } | { kind: 'late'; latencyMs: number };

export interface StreamHealthInput {
  connection: ConnectionState;
  /** False while the operator's replay cursor is paused: no frames are due then. */
  framesExpected: boolean;
  /** Milliseconds since the last frame arrived; null before the first. */
  lastFrameAgeMs: number | null;
  /** The stream's frame interval, ms. */
  intervalMs: number;
  /** Produced-to-decoded latency, p95 of recent frames; null until measured. */
  latencyMsP95: number | null;
}

/** No frame for this long, when frames are due, is a stall (and at least 5 frame intervals). */
export const STALL_AFTER_MS = 1000;
/** Frames this late (p95) mean the picture lags the lattice. */
export const LATE_AFTER_MS = 1000;

export function streamHealth(input: StreamHealthInput): StreamHealth {
  if (input.connection !== 'open' || !input.framesExpected) return { kind: 'ok' };
  const stallMs = Math.max(STALL_AFTER_MS, 5 * input.intervalMs);
  if (input.lastFrameAgeMs !== null && input.lastFrameAgeMs > stallMs) {
    return { kind: 'stalled', sinceMs: input.lastFrameAgeMs };
  }
  if (input.latencyMsP95 !== null && input.latencyMsP95 > LATE_AFTER_MS) {
    return { kind: 'late', latencyMs: input.latencyMsP95 };
  }
  return { kind: 'ok' };
}

export function describeStreamHealth(health: StreamHealth): string | null {
  switch (health.kind) {
    case 'stalled':
      return `No new frame for ${(health.sinceMs / 1000).toFixed(1)} s: the stream has stalled`;
    case 'late':
      return `Frames arrive ${(health.latencyMs / 1000).toFixed(1)} s late: the picture lags the lattice`;
    default:
      return null;
  }
}
