// Time windows as the API and the metrics name them: a count and a unit, like 15m, 24h or 7d.

import {
  MAX_WINDOW_MS,
  WINDOW_EXAMPLES,
  WINDOW_PATTERN,
  windowMs,
} from '../../core/api/vocabulary';

export { MAX_WINDOW_MS, WINDOW_EXAMPLES, WINDOW_PATTERN };

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

export class WindowError extends Error {
  constructor(message: string) {
    super(`[kaizen] ${message}`);
    this.name = 'WindowError';
  }
}

/** `'24h'` -> 86,400,000. Throws a WindowError that quotes the input for anything else. */
export function parseWindow(text: string): number {
  if (!new RegExp(WINDOW_PATTERN).test(text)) {
    throw new WindowError(
      `window "${text.slice(0, 20)}" is not a count and a unit (m, h or d), like ${WINDOW_EXAMPLES.join(', ')}`,
    );
  }
  const ms = windowMs(text);
  if (ms === null) throw new WindowError(`window "${text}" is longer than 366d`);
  return ms;
}

/** Trend buckets: 5 minutes up to 2 h, hourly up to 2 d, daily beyond: 12 to 366 points. */
export function trendBucketMs(windowMs: number): number {
  if (windowMs <= 2 * UNIT_MS.h) return 5 * UNIT_MS.m;
  return windowMs <= 2 * UNIT_MS.d ? UNIT_MS.h : UNIT_MS.d;
}

/**
 * The shortest window, as the API writes it, that covers `ms`: `'150m'`, `'2h'`, `'7d'`. Part of
 * a minute counts as a whole one, and beyond 9,999 minutes part of an hour as a whole one.
 */
export function windowCovering(ms: number): string {
  if (!(ms > 0 && ms <= MAX_WINDOW_MS)) {
    throw new RangeError(`[kaizen] no window covers ${ms} ms: 1 ms to 366d`);
  }
  const minutes = Math.ceil(ms / UNIT_MS.m);
  if (minutes % 1440 === 0) return `${minutes / 1440}d`;
  if (minutes % 60 === 0) return `${minutes / 60}h`;
  return minutes <= 9999 ? `${minutes}m` : `${Math.ceil(minutes / 60)}h`;
}
