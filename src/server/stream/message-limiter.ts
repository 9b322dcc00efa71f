// How fast one client may send: a token bucket over its messages. A client over its rate is slowed
// (its socket is paused, so the kernel's buffers and then its own sends fill up, at no CPU cost
// here) and, if it stays over the rate, closed. The browser sends a ping every 2 s, a latency
// report a second and a control per operator action, far below the rate.

/** Messages a client may send at once... */
export const MESSAGE_BURST = 100;
/** ...and a second, sustained. */
export const MESSAGES_PER_S = 50;
/** A client still over its rate this long after it first ran out is closed (4429). */
export const FLOOD_CLOSE_AFTER_MS = 5000;
/** The longest a socket is left unread at once: a client that stopped is heard again soon. */
const MAX_PAUSE_MS = 1000;

export type LimiterVerdict =
  /** Within the rate. */
  | { kind: 'ok' }
  /** Out of messages: read nothing more from it for `pauseMs`. */
  | { kind: 'slow'; pauseMs: number }
  /** Over the rate for FLOOD_CLOSE_AFTER_MS: close it. */
  | { kind: 'close' };

export interface MessageLimiter {
  /** One message arrived at `nowMs` (performance.now()). */
  take(nowMs: number): LimiterVerdict;
}

export function createMessageLimiter(
  limits: { burst: number; perS: number; closeAfterMs: number } = {
    burst: MESSAGE_BURST,
    perS: MESSAGES_PER_S,
    closeAfterMs: FLOOD_CLOSE_AFTER_MS,
  },
): MessageLimiter {
  let tokens = limits.burst;
  let atMs: number | null = null;
  // When the client last ran out without having recovered since; null while it is within its rate.
  let overSinceMs: number | null = null;
  return {
    take(nowMs) {
      if (atMs !== null)
        tokens = Math.min(limits.burst, tokens + ((nowMs - atMs) * limits.perS) / 1000);
      atMs = nowMs;
      // Half the burst back: the client slowed down, and what it did before is forgiven.
      if (overSinceMs !== null && tokens >= limits.burst / 2) overSinceMs = null;
      tokens -= 1;
      if (tokens >= 0) return { kind: 'ok' };
      overSinceMs ??= nowMs;
      if (nowMs - overSinceMs >= limits.closeAfterMs) return { kind: 'close' };
      return {
        kind: 'slow',
        pauseMs: Math.min(MAX_PAUSE_MS, Math.ceil((-tokens * 1000) / limits.perS)),
      };
    },
  };
}
