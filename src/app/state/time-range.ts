// The one time range the panels and the ticket list share (`range=` in the URL): a trailing
// window written as the API writes windows (`5m`, `1h`, `24h`, `7d`, or any other count and unit).
import { windowMs } from '../../core/api/vocabulary';

/** The ranges the control offers; any other valid window is a custom one. */
export const TIME_RANGE_PRESETS = ['5m', '1h', '24h', '7d'] as const;
export const DEFAULT_TIME_RANGE = '1h';

export function isTimeRange(text: string): boolean {
  return windowMs(text) !== null;
}

/** The range in seconds; the default's for anything that is not a range. */
export function rangeSeconds(range: string): number {
  return (windowMs(range) ?? windowMs(DEFAULT_TIME_RANGE)!) / 1000;
}
