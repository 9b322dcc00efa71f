// Browser reports of a running server: the store, the per-client rate limit and the counters.
import { Counter, type Registry } from 'prom-client';
import type { ClientReportInput } from '../../core/api/client-reports';
import type { Db } from '../storage/database';
import { createRateLimiter, type RateLimiter } from './rate-limit';
import { createClientReportStore, type ClientReportStore } from './store';

/** A page may send this many reports at once, and this many a minute after that. */
export const REPORT_BURST = 60;
export const REPORTS_PER_MINUTE = 30;

export interface ClientReports {
  readonly store: ClientReportStore;
  readonly limiter: RateLimiter;
  /** Stores and counts an accepted batch. */
  accept(reports: readonly ClientReportInput[]): number;
  rateLimited(): void;
}

export function createClientReports(
  db: Db,
  registry: Registry,
  options: { burst?: number; perMinute?: number; maxReports?: number } = {},
): ClientReports {
  const store = createClientReportStore(db, { maxReports: options.maxReports });
  const limiter = createRateLimiter({
    burst: options.burst ?? REPORT_BURST,
    perMinute: options.perMinute ?? REPORTS_PER_MINUTE,
  });
  const received = new Counter({
    name: 'client_reports_total',
    help: 'Browser reports stored (exceptions, WebGL context loss, renderer fallbacks, console errors)',
    labelNames: ['kind'],
    registers: [registry],
  });
  const limited = new Counter({
    name: 'client_reports_rate_limited_total',
    help: 'Browser report requests refused because their client sent too many',
    registers: [registry],
  });
  return {
    store,
    limiter,
    accept(reports) {
      const stored = store.add(reports);
      for (const r of reports) received.inc({ kind: r.kind }, r.count ?? 1);
      return stored;
    },
    rateLimited: () => limited.inc(),
  };
}
