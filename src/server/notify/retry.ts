// When to try a notification again: exponential back-off with jitter, and a receiver's
// Retry-After when it gives one (Slack and PagerDuty do on 429).

export interface RetryPolicy {
  /** Attempts in all, the first included; the notification fails for good after the last. */
  maxAttempts: number;
  /** Delay before the second attempt; doubles with each one after... */
  baseDelayMs: number;
  /** ...up to this. */
  maxDelayMs: number;
  /** A Retry-After longer than this is taken as this (a receiver asking for a day is wrong). */
  maxRetryAfterMs: number;
  /** Per HTTP request, the response body included. */
  requestTimeoutMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 6,
  baseDelayMs: 1000,
  maxDelayMs: 60_000,
  maxRetryAfterMs: 3_600_000,
  requestTimeoutMs: 10_000,
};

/**
 * Delay after the `attempt`-th failed attempt (1-based): "equal jitter", half the exponential
 * step plus a random share of the other half, so senders that failed together spread out but
 * none retries at once. `random` returns [0, 1).
 */
export function backoffMs(policy: RetryPolicy, attempt: number, random: () => number): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(step / 2 + random() * (step / 2));
}

/** Retry-After as seconds or an HTTP date, in ms from `nowMs`; null when absent or unreadable. */
export function parseRetryAfterMs(header: string | null, nowMs: number): number | null {
  if (header === null) return null;
  const text = header.trim();
  if (/^\d{1,10}$/.test(text)) return Number(text) * 1000;
  const atMs = Date.parse(text);
  if (!/[a-z]/i.test(text) || !Number.isFinite(atMs)) return null;
  return Math.max(0, atMs - nowMs);
}

/** The wait before the next attempt: the back-off, or longer when the receiver asked for it. */
export function retryDelayMs(
  policy: RetryPolicy,
  attempt: number,
  retryAfterMs: number | null,
  random: () => number,
): number {
  const backoff = backoffMs(policy, attempt, random);
  if (retryAfterMs === null) return backoff;
  return Math.max(backoff, Math.min(retryAfterMs, policy.maxRetryAfterMs));
}
