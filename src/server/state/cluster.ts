// The state a console process keeps outside itself when it runs as one of several gateways
// (--database): the cluster's PostgreSQL, migrated at start, its ticket state, tenants and tokens,
// and the leases of per-tenant work. Without --database the process is alone and keeps its state
// in the data directory, as it always has.
import { describeDatabase, openPgPool, type PgPool } from './pg';
import type { AccessState } from './access';
import { pgLeases, type Leases } from './leases';
import { pgAccessState } from './pg-access';
import { migratePg } from './pg-migrate';
import { pgTicketState } from './pg-tickets';
import type { TicketState } from './tickets';

export interface ClusterState {
  url: string;
  pool: PgPool;
  access: AccessState;
  leases: Leases;
  /** The ticket state over the pool, with Kaizen's clock and reopen window. */
  tickets(settings: { now: () => number; reopenWindowMs: number }): TicketState;
  close(): Promise<void>;
}

/** The lease of a tenant's detector. */
export const detectorLease = (tenantId: string): string => `detector:${tenantId}`;
/** The lease of a tenant's pager (PagerDuty pages of its tickets). */
export const pagerLease = (tenantId: string): string => `pager:${tenantId}`;
/** The lease of the one sender of the cluster's notification outbox. */
export const NOTIFY_SENDER_LEASE = 'notify';

export async function openClusterState(
  url: string,
  log: (line: string) => void,
): Promise<ClusterState> {
  const pool = await openPgPool(url, { log });
  let made: TicketState | undefined;
  let access: AccessState | undefined;
  let leases: Leases | undefined;
  try {
    const report = await migratePg(pool);
    log(
      `[state] ${describeDatabase(url)}: schema version ${report.version}` +
        (report.applied.length > 0
          ? ` (applied ${report.applied.map((m) => m.version).join(', ')})`
          : ''),
    );
    access = pgAccessState({ pool, url, log });
    leases = pgLeases({ url, log });
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw error;
  }
  const opened = { access, leases };
  return {
    url,
    pool,
    ...opened,
    tickets(settings) {
      made ??= pgTicketState({ pool, url, log, ...settings });
      return made;
    },
    async close() {
      await opened.leases.close();
      await opened.access.close();
      await made?.close();
      await pool.end();
    },
  };
}
