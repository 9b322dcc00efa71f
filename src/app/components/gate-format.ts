// How the Gates panel writes a gate's figures: a value in its unit, the condition it must meet
// (`< 7 ms`, `within 0–40 tickets/day`), and the verdict in words.
import type { GateMeasure, Verdict } from '../../core/api/gates';
import { formatBytes } from './format';

export const VERDICT_TEXT: Record<Verdict, string> = {
  met: 'met',
  not_met: 'not met',
  no_data: 'no data yet',
};

function amount(value: number, unit: GateMeasure['unit']): string {
  switch (unit) {
    case 'ms':
      return `${value.toFixed(value < 10 ? 2 : 1)} ms`;
    case 'bytes/s':
      return `${formatBytes(value)}/s`;
    case 'cores':
      return `${value.toFixed(2)} cores`;
    case 'tickets/day':
      return `${Number.isInteger(value) ? value : value.toFixed(1)} tickets/day`;
    case 'clients':
    case 'records':
      return `${value.toLocaleString('en-US')} ${unit}`;
  }
}

/** The live value, or a dash without data. */
export function formatMeasureValue(measure: Pick<GateMeasure, 'value' | 'unit'>): string {
  return measure.value === null ? '–' : amount(measure.value, measure.unit);
}

/** What the value must be for the measure to be met. */
export function formatThreshold(
  measure: Pick<GateMeasure, 'comparator' | 'threshold' | 'unit'>,
): string {
  const { threshold, unit, comparator } = measure;
  if (typeof threshold === 'number') return `${comparator} ${amount(threshold, unit)}`;
  const range = amount(threshold.high, unit);
  return `within ${threshold.low.toLocaleString('en-US')}–${range}`;
}
