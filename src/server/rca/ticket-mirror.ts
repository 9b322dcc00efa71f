// With --database the tickets live in the cluster's PostgreSQL, while each gateway keeps its RCAs
// in a SQLite file of its data directory (cluster-rca/console.db). The RCA tables reference a
// `tickets` table and the similar-tickets and effectiveness queries join it, so that file holds a
// mirror of the cluster's tickets: the columns those read, filled at start and kept by the ticket
// changes every gateway hears. The mirror is a cache: PostgreSQL stays the record.
import path from 'node:path';
import type { TicketRecord } from '../incidents/types';
import type { TicketState } from '../state/tickets';
import { migrate, openDatabase, type Db, type Migration } from '../storage/database';

export const CLUSTER_RCA_DIR = 'cluster-rca';
const MIRROR_COMPONENT = 'rca-ticket-mirror';
const BACKFILL_PAGE = 500;

const MIRROR_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: "a mirror of the cluster's tickets, for the RCA tables and their queries",
    up: (db) =>
      db.exec(`
        CREATE TABLE tickets (
          id INTEGER PRIMARY KEY,
          tenant_id TEXT NOT NULL,
          title TEXT NOT NULL,
          source TEXT NOT NULL,
          fingerprint TEXT NOT NULL,
          opened_at INTEGER NOT NULL,
          resolved_at INTEGER
        );
        CREATE INDEX tickets_tenant_opened ON tickets (tenant_id, opened_at);
      `),
  },
];

export interface TicketMirror {
  readonly db: Db;
  /** A row for the ticket now, from what the caller knows; `put` fills the rest later. */
  ensure(ticketId: number, tenantId: string): void;
  put(ticket: TicketRecord): void;
  /** Copies every ticket of the cluster in pages; resolves with how many. */
  backfill(tickets: Pick<TicketState, 'list'>): Promise<number>;
  close(): void;
}

export function openTicketMirror(dataDir: string): TicketMirror {
  const db = openDatabase(path.join(dataDir, CLUSTER_RCA_DIR));
  migrate(db, MIRROR_COMPONENT, MIRROR_MIGRATIONS);
  const ensure = db.prepare(
    `INSERT OR IGNORE INTO tickets (id, tenant_id, title, source, fingerprint, opened_at)
     VALUES (?, ?, '', 'manual', '', 0)`,
  );
  const upsert = db.prepare(
    `INSERT INTO tickets (id, tenant_id, title, source, fingerprint, opened_at, resolved_at)
     VALUES (@id, @tenantId, @title, @source, @fingerprint, @openedAtMs, @resolvedAtMs)
     ON CONFLICT (id) DO UPDATE SET tenant_id = excluded.tenant_id, title = excluded.title,
       source = excluded.source, fingerprint = excluded.fingerprint,
       opened_at = excluded.opened_at, resolved_at = excluded.resolved_at`,
  );
  const put = (t: TicketRecord): void => {
    upsert.run({
      id: t.id,
      tenantId: t.tenantId,
      title: t.title,
      source: t.source,
      fingerprint: t.fingerprint,
      openedAtMs: t.openedAtMs,
      resolvedAtMs: t.resolvedAtMs,
    });
  };
  return {
    db,
    ensure: (ticketId, tenantId) => void ensure.run(ticketId, tenantId),
    put,
    async backfill(tickets) {
      let copied = 0;
      let cursor: string | undefined;
      do {
        const page = await tickets.list({}, { limit: BACKFILL_PAGE, cursor });
        db.transaction(() => page.tickets.forEach(put))();
        copied += page.tickets.length;
        cursor = page.nextCursor ?? undefined;
      } while (cursor !== undefined);
      return copied;
    },
    close: () => db.close(),
  };
}
