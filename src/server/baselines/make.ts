// A snapshot of the trailing window ending now, as both the CLI's `baseline create` and the
// server's comparison make it: the tenants' objectives from the tenant table, the dashboard from
// the repository's ops/ folder.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Snapshot } from '../../core/api/baselines';
import type { Db } from '../storage/database';
import { listTenants } from '../tenants/tenant-store';
import { computeSnapshot } from './snapshot';

export const SHIPPED_DASHBOARD = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../ops/grafana/dashboards/kaizen.json',
);

export function snapshotNow(
  db: Db,
  window: { label: string; ms: number },
  nowMs: number,
  dashboardFile: string | null = SHIPPED_DASHBOARD,
): Snapshot {
  let slos = new Map<string, number>();
  try {
    slos = new Map(listTenants(db).tenants.map((t) => [t.id, t.sloMs]));
  } catch {
    // No tenant table: a data directory no server has run on.
  }
  return computeSnapshot(db, {
    fromMs: nowMs - window.ms,
    toMs: nowMs,
    label: window.label,
    dashboardFile,
    sloMs: (tenant) => slos.get(tenant) ?? null,
  });
}
