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
import type { TenantLogRing } from './log-ring';
import { createRcaMetrics } from './metrics';
import { RCA_COMPONENT, RCA_MIGRATIONS } from './migrations';
import { createRcaService, type RcaConfig, type RcaService } from './service';
import { createSimilarFinder } from './similar';
import { streamFigures } from './stream-figures';

export interface OpenRcaOptions {
  db: Db;
  kaizen: Pick<Kaizen, 'store' | 'detector' | 'now'>;
  metrics: ServerMetrics;
  streams: { status(): { tenant: string; subscribers: number }[] };
  directory: Pick<TenantDirectory, 'tenants' | 'onChange'>;
  config: RcaConfig;
  logRing: TenantLogRing;
  log: LogFn;
}

export function openRca(options: OpenRcaOptions): RcaService {
  const { db, kaizen, metrics, directory } = options;
  migrate(db, RCA_COMPONENT, RCA_MIGRATIONS);
  const journal = createChangeJournal(db);
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
  return createRcaService({
    db,
    tickets: kaizen.store,
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
}
