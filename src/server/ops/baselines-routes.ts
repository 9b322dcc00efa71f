// The baselines over REST: list them, read one, and compare one with the same figures now (over a
// window as long as its own). Per-tenant figures are limited to the tenants the caller may see.
import type { Baseline, BaselineComparison, BaselineList } from '../../core/api/baselines';
import { BaselineError, listBaselines, readBaseline } from '../baselines/artifacts';
import { snapshotNow } from '../baselines/make';
import { visibleSnapshot } from '../baselines/snapshot';
import { HttpError } from '../incidents/routes/http-error';
import type { OpsContext } from './context';
import { addOpsRoute } from './table';

const STATUS: Record<BaselineError['code'], number> = {
  not_found: 404,
  invalid: 400,
  exists: 409,
  damaged: 409,
};

export function registerBaselineRoutes(context: OpsContext, dataDir: string): void {
  const { db, visibleTenants } = context;

  const read = (name: string): Baseline => {
    try {
      return readBaseline(dataDir, name);
    } catch (error) {
      if (error instanceof BaselineError) throw new HttpError(STATUS[error.code], error.message);
      throw error;
    }
  };

  addOpsRoute(context, 'listBaselines', async (request) => {
    visibleTenants(request);
    return { baselines: listBaselines(dataDir) } satisfies BaselineList;
  });

  addOpsRoute(context, 'getBaseline', async (request) => {
    const visible = visibleTenants(request);
    const baseline = read((request.params as { name: string }).name);
    return {
      ...baseline,
      snapshot: visibleSnapshot(baseline.snapshot, visible),
    } satisfies Baseline;
  });

  addOpsRoute(context, 'compareBaseline', async (request) => {
    const visible = visibleTenants(request);
    const baseline = read((request.params as { name: string }).name);
    const ms = Date.parse(baseline.window.to) - Date.parse(baseline.window.from);
    const now = snapshotNow(db, { label: baseline.window.label, ms }, Date.now());
    return {
      baseline: { ...baseline, snapshot: visibleSnapshot(baseline.snapshot, visible) },
      now: visibleSnapshot(now, visible),
    } satisfies BaselineComparison;
  });
}
