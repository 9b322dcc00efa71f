// The "now vs baseline" comparison as rows: each figure a baseline holds (docs/API.md,
// "Baselines"), its value then and now over a window as long, and which way is better.
import type { Snapshot } from '../../core/api/baselines';
import { SEVERITIES } from '../../core/api/vocabulary';

export type FigureUnit = 'seconds' | 'tickets' | 'percent' | 'ms';

export interface ComparisonRow {
  key: string;
  label: string;
  unit: FigureUnit;
  baseline: number | null;
  now: number | null;
  /** Which way is an improvement; null where neither is (alarm volume is judged by the band). */
  better: 'lower' | 'higher' | null;
  /** What the figure counts, where it helps to know (tickets behind a median, latency seconds). */
  basis?: { baseline: number; now: number; of: string };
}

/** How far now is from the baseline, as the panel says it: `+12 %`, `−3.0 ms`; null without both. */
export type Change = { text: string; direction: 'better' | 'worse' | 'same' | 'neutral' };

const percent = (ratio: number | null): number | null => (ratio === null ? null : ratio * 100);

export function comparisonRows(baseline: Snapshot, now: Snapshot): ComparisonRow[] {
  const rows: ComparisonRow[] = [
    {
      key: 'mttr-all',
      label: 'MTTR median, all severities',
      unit: 'seconds',
      baseline: baseline.mttr.all.medianSeconds,
      now: now.mttr.all.medianSeconds,
      better: 'lower',
      basis: { baseline: baseline.mttr.all.count, now: now.mttr.all.count, of: 'resolved' },
    },
  ];
  for (const severity of SEVERITIES) {
    const then = baseline.mttr.severities.find((s) => s.severity === severity)?.stats;
    const current = now.mttr.severities.find((s) => s.severity === severity)?.stats;
    if (!then?.count && !current?.count) continue;
    rows.push({
      key: `mttr-${severity}`,
      label: `MTTR median, ${severity}`,
      unit: 'seconds',
      baseline: then?.medianSeconds ?? null,
      now: current?.medianSeconds ?? null,
      better: 'lower',
      basis: { baseline: then?.count ?? 0, now: current?.count ?? 0, of: 'resolved' },
    });
  }
  rows.push(
    {
      key: 'alarms-total',
      label: 'Alarm volume (tickets opened)',
      unit: 'tickets',
      baseline: baseline.alarms.total,
      now: now.alarms.total,
      better: null,
    },
    {
      key: 'alarms-busiest-day',
      label: 'Alarms on the busiest day',
      unit: 'tickets',
      baseline: Math.max(0, ...baseline.alarms.perDay.map((d) => d.count)),
      now: Math.max(0, ...now.alarms.perDay.map((d) => d.count)),
      better: null,
    },
    {
      key: 'bytes-saved',
      label: 'Bytes saved vs raw 16-bit frames',
      unit: 'percent',
      baseline: percent(baseline.bytesSaved.ratio),
      now: percent(now.bytesSaved.ratio),
      better: 'higher',
    },
  );
  const tenants = new Set([...baseline.latency, ...now.latency].map((l) => l.tenant));
  for (const tenant of [...tenants].sort()) {
    const then = baseline.latency.find((l) => l.tenant === tenant);
    const current = now.latency.find((l) => l.tenant === tenant);
    rows.push({
      key: `latency-${tenant}`,
      label: `Latency p95, ${tenant}`,
      unit: 'ms',
      baseline: then?.p95Ms ?? null,
      now: current?.p95Ms ?? null,
      better: 'lower',
      basis: { baseline: then?.samples ?? 0, now: current?.samples ?? 0, of: 'seconds' },
    });
  }
  return rows;
}

/** Alarms per rule, then and now, busiest first: where the volume comes from. */
export function ruleRows(
  baseline: Snapshot,
  now: Snapshot,
): { rule: string; baseline: number; now: number }[] {
  const rules = new Map<string, { rule: string; baseline: number; now: number }>();
  for (const r of baseline.alarms.perRule)
    rules.set(r.rule, { rule: r.rule, baseline: r.total, now: 0 });
  for (const r of now.alarms.perRule) {
    const row = rules.get(r.rule) ?? { rule: r.rule, baseline: 0, now: 0 };
    row.now = r.total;
    rules.set(r.rule, row);
  }
  return [...rules.values()].sort(
    (a, b) =>
      Math.max(b.baseline, b.now) - Math.max(a.baseline, a.now) || a.rule.localeCompare(b.rule),
  );
}

export function changeOf(row: ComparisonRow): Change | null {
  if (row.baseline === null || row.now === null) return null;
  const diff = row.now - row.baseline;
  const direction =
    diff === 0
      ? 'same'
      : row.better === null
        ? 'neutral'
        : diff < 0 === (row.better === 'lower')
          ? 'better'
          : 'worse';
  const sign = diff > 0 ? '+' : diff < 0 ? '−' : '±';
  const size = Math.abs(diff);
  switch (row.unit) {
    case 'percent':
      return { text: `${sign}${size.toFixed(1)} points`, direction };
    case 'ms':
      return { text: `${sign}${size.toFixed(2)} ms`, direction };
    case 'tickets':
      return { text: `${sign}${size}`, direction };
    case 'seconds':
      return {
        text:
          row.baseline > 0
            ? `${sign}${Math.round((size / row.baseline) * 100)} %`
            : `${sign}${Math.round(size)} s`,
        direction,
      };
  }
}
