// Kaizen's Prometheus metrics on a server's registry. Gauges are computed from the database at
// scrape time; the histogram and the outcome counter count resolutions as they commit, so
// Prometheus can aggregate them across tenants and time (a gauge of a median cannot be averaged).
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { Kaizen } from './kaizen';
import { mttrByTenant } from './mttr';
import { AUTO } from './types';
import { parseWindow } from './windows';

/** Seconds: from a flapping rule (seconds) to an incident left over a weekend (days). */
export const RESOLUTION_BUCKETS_S = [
  1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200, 14_400, 43_200, 86_400, 259_200,
];

/** Registers the metrics; returns a function that stops counting (the metrics stay). */
export function registerKaizenMetrics(registry: Registry, kaizen: Kaizen): () => void {
  const { store } = kaizen;
  const windows = kaizen.config.metricWindows.map((name) => ({ name, ms: parseWindow(name) }));

  // MTTR per window, read from the database once per scrape: both gauges below are made from it,
  // and a scrape runs every collect() in one go, so the result is dropped in the next microtask.
  type WindowMttr = { window: string; rows: ReturnType<typeof mttrByTenant> };
  let perScrape: WindowMttr[] | null = null;
  const mttrPerWindow = (): WindowMttr[] => {
    if (perScrape) return perScrape;
    const nowMs = kaizen.now();
    perScrape = windows.map((window) => ({
      window: window.name,
      rows: mttrByTenant(store.resolvedBetween({}, nowMs - window.ms, nowMs)),
    }));
    queueMicrotask(() => (perScrape = null));
    return perScrape;
  };

  new Gauge({
    name: 'kaizen_mttr_seconds',
    help: 'Time to resolve Kaizen tickets resolved in the trailing window (opened to resolved)',
    labelNames: ['tenant_id', 'severity', 'stat', 'window'],
    registers: [registry],
    collect() {
      this.reset();
      for (const { window, rows } of mttrPerWindow()) {
        for (const { tenantId, severity, stats } of rows) {
          const labels = (stat: string) => ({ tenant_id: tenantId, severity, stat, window });
          this.set(labels('mean'), stats.meanSeconds!);
          this.set(labels('median'), stats.medianSeconds!);
          this.set(labels('p90'), stats.p90Seconds!);
        }
      }
    },
  });

  new Gauge({
    name: 'kaizen_resolved_tickets',
    help: 'Kaizen tickets resolved in the trailing window: the count behind kaizen_mttr_seconds',
    labelNames: ['tenant_id', 'severity', 'window'],
    registers: [registry],
    collect() {
      this.reset();
      for (const { window, rows } of mttrPerWindow()) {
        for (const { tenantId, severity, stats } of rows) {
          this.set({ tenant_id: tenantId, severity, window }, stats.count);
        }
      }
    },
  });

  new Gauge({
    name: 'kaizen_open_tickets',
    help: 'Kaizen tickets not resolved yet',
    labelNames: ['tenant_id', 'severity', 'status'],
    registers: [registry],
    collect() {
      this.reset();
      for (const row of store.unresolvedCounts()) {
        this.set(
          { tenant_id: row.tenantId, severity: row.severity, status: row.status },
          row.count,
        );
      }
    },
  });

  new Gauge({
    name: 'kaizen_latency_slo_seconds',
    help: 'p95 frame latency objective of each tenant, as the detector applies it',
    labelNames: ['tenant_id'],
    registers: [registry],
    collect() {
      this.reset();
      for (const { tenantId, sloMs } of kaizen.detector.slos()) {
        this.set({ tenant_id: tenantId }, sloMs / 1000);
      }
    },
  });

  const resolution = new Histogram({
    name: 'kaizen_resolution_seconds',
    help: 'Time from opening to resolution of each Kaizen ticket resolution',
    labelNames: ['tenant_id', 'severity', 'resolved_by'],
    buckets: RESOLUTION_BUCKETS_S,
    registers: [registry],
  });

  const alerts = new Counter({
    name: 'kaizen_alerts_total',
    help: 'Verdicts of people resolving Kaizen tickets: was the alert worth raising',
    labelNames: ['tenant_id', 'outcome'],
    registers: [registry],
  });

  // Alarm volume: every opening and reopening, the roadmap's "alarm frequency" (rules.yml
  // records it per day).
  const opened = new Counter({
    name: 'kaizen_tickets_opened_total',
    help: 'Kaizen tickets opened or reopened by alerts, the detector or people',
    labelNames: ['tenant_id', 'severity', 'source'],
    registers: [registry],
  });

  return store.onChange(({ kind, ticket }) => {
    if (kind === 'opened' || kind === 'reopened') {
      opened.inc({ tenant_id: ticket.tenantId, severity: ticket.severity, source: ticket.source });
    }
    if (kind !== 'resolved' || ticket.resolvedAtMs === null) return;
    resolution.observe(
      {
        tenant_id: ticket.tenantId,
        severity: ticket.severity,
        resolved_by: ticket.resolvedBy === AUTO ? 'auto' : 'person',
      },
      (ticket.resolvedAtMs - ticket.openedAtMs) / 1000,
    );
    if (ticket.outcome) alerts.inc({ tenant_id: ticket.tenantId, outcome: ticket.outcome });
  });
}
