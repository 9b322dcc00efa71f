// The figures of a window, from the console database alone (tickets, stream history) and the
// dashboard file: what a baseline keeps, and what "now" is compared with. The CLI and the server
// compute it the same way, so a baseline and its comparison can never measure differently.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Snapshot } from '../../core/api/baselines';
import { ticketFirings } from '../incidents/firings';
import { resolutionSeconds, resolutionStats } from '../incidents/mttr';
import { createTicketStore } from '../incidents/store';
import { SEVERITIES } from '../incidents/types';
import type { Db } from '../storage/database';
import { LATENCY_BUCKETS_MS, openStreamHistory } from './stream-history';

export interface SnapshotOptions {
  fromMs: number;
  toMs: number;
  /** How the window was asked for: `24h`. */
  label: string;
  /** The Grafana dashboard shipped with the console; null leaves it out. */
  dashboardFile: string | null;
  /** Each tenant's latency objective, when known. */
  sloMs?: (tenant: string) => number | null;
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Every UTC day the window touches, oldest first. */
function daysOf(fromMs: number, toMs: number): string[] {
  const days: string[] = [];
  for (let t = Date.parse(`${day(fromMs)}T00:00:00Z`); t <= toMs; t += 86_400_000)
    days.push(day(t));
  return days;
}

function countByDay(times: readonly number[], days: readonly string[]) {
  const counts = new Map(days.map((d) => [d, 0]));
  for (const t of times) counts.set(day(t), (counts.get(day(t)) ?? 0) + 1);
  return [...counts].map(([d, count]) => ({ day: d, count }));
}

/** The p95 of merged latency buckets, interpolated inside its bucket (as histogram_quantile). */
export function bucketQuantile(buckets: readonly number[], q: number): number | null {
  const total = buckets.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const rank = q * total;
  let seen = 0;
  for (let i = 0; i < buckets.length; i++) {
    const count = buckets[i]!;
    if (seen + count >= rank && count > 0) {
      // Above the last bound nothing is known but the bound itself.
      if (i === LATENCY_BUCKETS_MS.length) return LATENCY_BUCKETS_MS.at(-1)!;
      const lower = i === 0 ? 0 : LATENCY_BUCKETS_MS[i - 1]!;
      const upper = LATENCY_BUCKETS_MS[i]!;
      return lower + ((upper - lower) * (rank - seen)) / count;
    }
    seen += count;
  }
  return LATENCY_BUCKETS_MS.at(-1)!;
}

export function computeSnapshot(db: Db, options: SnapshotOptions): Snapshot {
  const { fromMs, toMs } = options;
  openStreamHistory(db);
  const days = daysOf(fromMs, toMs);

  const store = createTicketStore({ db });
  const samples = store.resolvedBetween({}, fromMs, toMs);
  const statsOf = (list: typeof samples) => resolutionStats(list.map(resolutionSeconds));

  const firings = ticketFirings(db, fromMs, toMs);
  const rules = [...new Set(firings.map((f) => f.rule))].sort();

  const rows = db
    .prepare(
      `SELECT tenant_id, SUM(bytes_sent) AS sent, SUM(bytes_saved) AS saved, SUM(raw_bytes) AS raw
       FROM stream_minutes WHERE minute BETWEEN ? AND ? GROUP BY tenant_id ORDER BY tenant_id`,
    )
    .all(fromMs, toMs) as { tenant_id: string; sent: number; saved: number; raw: number }[];
  const bucketRows = db
    .prepare(
      'SELECT tenant_id, latency_buckets FROM stream_minutes WHERE minute BETWEEN ? AND ? ORDER BY tenant_id',
    )
    .all(fromMs, toMs) as { tenant_id: string; latency_buckets: string }[];
  const merged = new Map<string, number[]>();
  for (const r of bucketRows) {
    const counts = JSON.parse(r.latency_buckets) as number[];
    const into = merged.get(r.tenant_id) ?? new Array<number>(counts.length).fill(0);
    counts.forEach((c, i) => (into[i] = (into[i] ?? 0) + c));
    merged.set(r.tenant_id, into);
  }
  const sum = (f: 'sent' | 'saved' | 'raw') => rows.reduce((n, r) => n + r[f], 0);
  const ratio = (saved: number, raw: number) => (raw > 0 ? saved / raw : null);

  let dashboard: Snapshot['dashboard'] = null;
  if (options.dashboardFile && existsSync(options.dashboardFile)) {
    const text = readFileSync(options.dashboardFile, 'utf8');
    dashboard = {
      file: path.basename(options.dashboardFile),
      sha256: createHash('sha256').update(text).digest('hex'),
      json: JSON.parse(text) as unknown,
    };
  }

  return {
    window: {
      from: new Date(fromMs).toISOString(),
      to: new Date(toMs).toISOString(),
      label: options.label,
    },
    mttr: {
      all: statsOf(samples),
      severities: SEVERITIES.map((severity) => ({
        severity,
        stats: statsOf(samples.filter((s) => s.severity === severity)),
      })),
    },
    alarms: {
      total: firings.length,
      perDay: countByDay(
        firings.map((f) => f.openedAtMs),
        days,
      ),
      perRule: rules.map((rule) => {
        const own = firings.filter((f) => f.rule === rule);
        return {
          rule,
          total: own.length,
          perDay: countByDay(
            own.map((f) => f.openedAtMs),
            days,
          ),
        };
      }),
    },
    bytesSaved: {
      ratio: ratio(sum('saved'), sum('raw')),
      bytesSent: sum('sent'),
      bytesSaved: sum('saved'),
      rawBytes: sum('raw'),
      tenants: rows.map((r) => ({
        tenant: r.tenant_id,
        ratio: ratio(r.saved, r.raw),
        bytesSent: r.sent,
        bytesSaved: r.saved,
      })),
    },
    latency: [...merged]
      .filter(([, counts]) => counts.some((c) => c > 0))
      .map(([tenant, counts]) => ({
        tenant,
        p95Ms: bucketQuantile(counts, 0.95),
        samples: counts.reduce((a, b) => a + b, 0),
        sloMs: options.sloMs?.(tenant) ?? null,
      })),
    dashboard,
  };
}

/** The snapshot without the figures of tenants the caller may not see. */
export function visibleSnapshot(snapshot: Snapshot, visible: ReadonlySet<string>): Snapshot {
  return {
    ...snapshot,
    bytesSaved: {
      ...snapshot.bytesSaved,
      tenants: snapshot.bytesSaved.tenants.filter((t) => visible.has(t.tenant)),
    },
    latency: snapshot.latency.filter((t) => visible.has(t.tenant)),
  };
}
