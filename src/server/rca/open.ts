// Puts the RCA together for a server: the store and its tables, the change journal (a restart is
// journalled now, tenant settings as the directory sees them change), the evidence sources over
// the server's metrics, detector and streams, and the service that drafts.
import type { Kaizen } from '../incidents/kaizen';
import type { LogFn } from '../logging/log-line';
import type { ServerMetrics } from '../metrics';
import type { Db } from '../storage/database';
import { migrate } from '../storage/database';
import type { TenantDirectory } from '../tenants/directory';
import type { TenantRecord } from '../tenants/tenant-spec';
import { createChangeJournal } from './changes';
import { pgRevocations, sqliteRevocations } from './revocations';
import type { TenantLogRing } from './log-ring';
import { createRcaMetrics } from './metrics';
import { RCA_COMPONENT, RCA_MIGRATIONS } from './migrations';
import { createRcaService, type RcaConfig, type RcaService } from './service';
import { createSimilarFinder } from './similar';
import { openTicketMirror, type TicketMirror } from './ticket-mirror';
import type { TicketState } from '../state/tickets';
import type { PgQueryable } from '../state/pg';
import { streamFigures } from './stream-figures';

export interface OpenRcaOptions {
  db: Db;
  kaizen: Pick<Kaizen, 'store' | 'tickets' | 'detector' | 'now'>;
  metrics: ServerMetrics;
  streams: { status(): { tenant: string; subscribers: number }[] };
  directory: Pick<TenantDirectory, 'tenants' | 'onChange'>;
  config: RcaConfig;
  logRing: TenantLogRing;
  log: LogFn;
  /**
   * With --database: drafts are written from the cluster's tickets and kept in the data
   * directory's cluster-rca/ (per gateway); each tenant's tickets are drafted on open by the
   * gateway `draftsOnOpen` names (its detector lease), on request by any. Token revocations are
   * read from the cluster's token table in `pool`.
   */
  cluster?: { dataDir: string; pool: PgQueryable; draftsOnOpen(tenantId: string): boolean } | null;
}

export function openRca(options: OpenRcaOptions): RcaService {
  const { kaizen, metrics, directory } = options;
  const mirror = options.cluster ? openTicketMirror(options.cluster.dataDir) : null;
  // The change journal stays in the console database; it reads revocations where the tokens are.
  migrate(options.db, RCA_COMPONENT, RCA_MIGRATIONS);
  const db = mirror?.db ?? options.db;
  if (mirror) migrate(db, RCA_COMPONENT, RCA_MIGRATIONS);
  const unfollow = mirror ? followClusterTickets(mirror, kaizen.tickets, options.log) : null;
  const journal = createChangeJournal({
    db: options.db,
    revocations: options.cluster
      ? pgRevocations(options.cluster.pool)
      : sqliteRevocations(options.db),
    log: options.log,
  });
  journal.record(null, 'restart', 'the console server started', kaizen.now());
  let known = new Map<string, TenantRecord>(directory.tenants);
  directory.onChange((change) => {
    if (!change.tenantsChanged) return;
    journal.tenantsChanged(known, directory.tenants, kaizen.now());
    known = new Map(directory.tenants);
  });
  const figureSources = {
    metrics,
    health: () => kaizen.detector.health(),
    clients: (tenantId: string) =>
      options.streams.status().find((s) => s.tenant === tenantId)?.subscribers ?? null,
    sloMs: (tenantId: string) => directory.tenants.get(tenantId)?.sloMs ?? null,
    now: kaizen.now,
  };
  const service = createRcaService({
    db,
    tickets: mirror ? kaizen.tickets : kaizen.store,
    mirror: mirror ?? undefined,
    draftsOnOpen: options.cluster?.draftsOnOpen,
    sources: {
      logs: options.logRing,
      streamFigures: (tenantId, fromMs, toMs) =>
        streamFigures(figureSources, tenantId, fromMs, toMs),
      changes: journal.changes,
      similar: createSimilarFinder(db),
    },
    metrics: createRcaMetrics(metrics.registry),
    config: options.config,
    log: options.log,
    now: kaizen.now,
  });
  if (!mirror) return service;
  return {
    ...service,
    close() {
      service.close();
      unfollow?.();
      mirror.close();
    },
  };
}

/** Fills the mirror with the cluster's tickets and keeps it up with every gateway's changes. */
function followClusterTickets(mirror: TicketMirror, tickets: TicketState, log: LogFn): () => void {
  const unfollow = tickets.onChange((change) => {
    try {
      mirror.put(change.ticket);
    } catch (error) {
      log(`[rca] mirroring ticket ${change.ticket.id}: ${(error as Error).message}`, {
        subsystem: 'rca',
        level: 'warn',
      });
    }
  });
  mirror
    .backfill(tickets)
    .then((count) =>
      log(`[rca] ${count} tickets of the cluster mirrored for RCAs`, { subsystem: 'rca' }),
    )
    .catch((error: Error) =>
      log(`[rca] mirroring the cluster's tickets failed: ${error.message}`, {
        subsystem: 'rca',
        level: 'warn',
      }),
    );
  return unfollow;
}
