// The digest's noise filter: a day with only a little low-severity noise sends no digest. What
// counts is the digest's tickets at or above a minimum severity; fewer than a minimum count of
// them suppresses it. A critical ticket is never suppressed, whatever the thresholds.
import { SEVERITIES, type Severity } from './types';
import type { Digest } from './digest';

export interface NoiseFilter {
  /** Tickets below this severity do not count towards sending. */
  minSeverity: Severity;
  /** Counted tickets needed to send. */
  minCount: number;
}

/** Sends any digest with a ticket in it: the console's behaviour without settings. */
export const DEFAULT_NOISE_FILTER: NoiseFilter = { minSeverity: 'info', minCount: 1 };
export const MAX_MIN_COUNT = 10_000;

export type FilterVerdict = { send: true } | { send: false; counted: number };

export function applyNoiseFilter(
  digest: Pick<Digest, 'bySeverity' | 'tickets'>,
  filter: NoiseFilter,
): FilterVerdict {
  if (digest.bySeverity.critical > 0) return { send: true };
  const limit = SEVERITIES.indexOf(filter.minSeverity);
  const counted = SEVERITIES.filter((_, i) => i <= limit).reduce(
    (n, s) => n + digest.bySeverity[s],
    0,
  );
  return counted >= filter.minCount && digest.tickets > 0
    ? { send: true }
    : { send: false, counted };
}

export class NoiseFilterError extends Error {}

/** From KAIZEN_DIGEST_MIN_SEVERITY and KAIZEN_DIGEST_MIN_COUNT, each overridden by its flag. */
export function noiseFilterFrom(
  flags: { minSeverity?: string; minCount?: string },
  env: Readonly<Record<string, string | undefined>>,
): NoiseFilter {
  const severity = flags.minSeverity ?? env.KAIZEN_DIGEST_MIN_SEVERITY;
  const count = flags.minCount ?? env.KAIZEN_DIGEST_MIN_COUNT;
  const severityName =
    flags.minSeverity !== undefined ? '--min-severity' : 'KAIZEN_DIGEST_MIN_SEVERITY';
  const countName = flags.minCount !== undefined ? '--min-count' : 'KAIZEN_DIGEST_MIN_COUNT';
  if (severity !== undefined && !(SEVERITIES as readonly string[]).includes(severity)) {
    throw new NoiseFilterError(
      `${severityName} must be one of ${SEVERITIES.join(', ')}, got "${severity.slice(0, 20)}"`,
    );
  }
  if (
    count !== undefined &&
    (!/^[0-9]{1,5}$/.test(count) || Number(count) < 1 || Number(count) > MAX_MIN_COUNT)
  ) {
    throw new NoiseFilterError(
      `${countName} must be a whole number from 1 to ${MAX_MIN_COUNT}, got "${count.slice(0, 20)}"`,
    );
  }
  return {
    minSeverity: (severity as Severity | undefined) ?? DEFAULT_NOISE_FILTER.minSeverity,
    minCount: count === undefined ? DEFAULT_NOISE_FILTER.minCount : Number(count),
  };
}
