// GET /api/mttr: time to resolve per severity over a trailing window, for the tenants the caller
// may see (or one of them), with the open count and the drill-down list of each severity.
import type { MttrReport } from '../../../core/api/tickets';
import { computeMttr } from '../mttr';
import type { Severity } from '../types';
import { parseWindow } from '../windows';
import type { RouteContext } from './context';
import { isoTime } from './json';
import { addRoute } from './table';

export function registerMttrRoute({ fastify, kaizen, guards }: RouteContext): void {
  const { store } = kaizen;

  addRoute(fastify, 'getMttr', async (request) => {
    const scope = await guards.scopeOf(request);
    const q = request.query as { tenant?: string; window: string };
    if (q.tenant !== undefined) guards.requireVisibleTenant(scope, q.tenant);
    const windowMs = parseWindow(q.window);
    const toMs = kaizen.now();
    const fromMs = toMs - windowMs;
    const filter = { tenants: scope.tenants, tenant: q.tenant };
    const report = computeMttr(store.resolvedBetween(filter, fromMs, toMs), { fromMs, toMs });
    const open = new Map<Severity, number>();
    for (const row of store.unresolvedCounts()) {
      if (!scope.tenants.has(row.tenantId)) continue;
      if (q.tenant !== undefined && row.tenantId !== q.tenant) continue;
      open.set(row.severity, (open.get(row.severity) ?? 0) + row.count);
    }
    return {
      tenant: q.tenant ?? null,
      window: q.window,
      from: isoTime(fromMs),
      to: isoTime(toMs),
      bucketSeconds: report.bucketMs / 1000,
      severities: report.severities.map((s) => {
        const drill = new URLSearchParams({
          ...(q.tenant !== undefined ? { tenant: q.tenant } : {}),
          severity: s.severity,
          status: 'resolved',
          window: q.window,
          windowOn: 'resolved',
        });
        return {
          severity: s.severity,
          all: s.all,
          auto: s.auto,
          person: s.person,
          open: open.get(s.severity) ?? 0,
          trend: s.trend.map((p) => ({
            start: isoTime(p.startMs),
            count: p.count,
            meanSeconds: p.meanSeconds,
            medianSeconds: p.medianSeconds,
          })),
          tickets: `/api/tickets?${drill.toString()}`,
        };
      }),
    } satisfies MttrReport;
  });
}
