// The expected range of alarm volume (tickets opened per day) the Phase 0 gate judges by:
// KAIZEN_ALARM_BAND=LOW-HIGH when set, else the one the latest baseline implies.
import { latestBaseline } from '../baselines/artifacts';
import type { AlarmBand } from './evaluate';

export class AlarmBandError extends Error {}

export function alarmBandFromEnv(value: string | undefined): AlarmBand | null {
  if (value === undefined || value === '') return null;
  const match = /^(\d{1,6})-(\d{1,6})$/.exec(value.trim());
  if (!match || Number(match[1]) > Number(match[2])) {
    throw new AlarmBandError(
      `[gates] KAIZEN_ALARM_BAND must be LOW-HIGH tickets a day, like 0-40, got "${value.slice(0, 20)}"`,
    );
  }
  return { low: Number(match[1]), high: Number(match[2]), source: `KAIZEN_ALARM_BAND ${value}` };
}

/**
 * From a baseline's days: up to one and a half times its busiest day, rounded up, and never
 * below 1, so a quiet baseline still allows the odd alarm. No lower bound: a quiet day passes.
 */
export function alarmBandFromDays(name: string, perDay: readonly number[]): AlarmBand | null {
  if (perDay.length === 0) return null;
  const high = Math.max(1, Math.ceil(1.5 * Math.max(...perDay)));
  return {
    low: 0,
    high,
    source: `baseline "${name}" (busiest day x 1.5 over ${perDay.length} days)`,
  };
}

/** The band of the newest intact baseline in the data directory, or null. */
export function baselineBand(dataDir: string): AlarmBand | null {
  try {
    const baseline = latestBaseline(dataDir);
    if (!baseline) return null;
    return alarmBandFromDays(
      baseline.name,
      baseline.snapshot.alarms.perDay.map((d) => d.count),
    );
  } catch {
    return null;
  }
}
