// Time windows as the API and the metrics name them: a count and a unit, like 15m, 24h or 7d.

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** The pattern the API schemas accept; parseWindow also enforces the bounds. */
export const WINDOW_PATTERN = '^[1-9][0-9]{0,3}[mhd]$';
export const MAX_WINDOW_MS = 366 * UNIT_MS.d;
export const WINDOW_EXAMPLES = ['1h', '24h', '7d', '30d'] as const;

export class WindowError extends Error {
  constructor(message: string) {
    super(`[kaizen] ${message}`);
    this.name = 'WindowError';
  }
}

/** `'24h'` -> 86,400,000. Throws a WindowError that quotes the input for anything else. */
export function parseWindow(text: string): number {
  const match = /^([1-9][0-9]{0,3})([mhd])$/.exec(text);
  if (!match) {
    throw new WindowError(
      `window "${text.slice(0, 20)}" is not a count and a unit (m, h or d), like ${WINDOW_EXAMPLES.join(', ')}`,
    );
  }
  const ms = Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
  if (ms > MAX_WINDOW_MS) throw new WindowError(`window "${text}" is longer than 366d`);
  return ms;
}

/** Trend buckets: 5 minutes up to 2 h, hourly up to 2 d, daily beyond: 12 to 366 points. */
export function trendBucketMs(windowMs: number): number {
  if (windowMs <= 2 * UNIT_MS.h) return 5 * UNIT_MS.m;
  return windowMs <= 2 * UNIT_MS.d ? UNIT_MS.h : UNIT_MS.d;
}
