// Recent changes a root cause often hides behind: server restarts, tenant settings changed, and
// tokens revoked. Restarts and settings are journalled here as the server sees them (the admin
// CLI writes from another process; the server's tenant directory notices within its poll), token
// revocations are read from the token table, which keeps when each was revoked: console.db's, or
// the cluster's with --database (revocations.ts).
import type { RcaChange } from '../../core/api/rca';
import { isoTime } from '../../core/api/time';
import type { LogFn } from '../logging/log-line';
import type { Db } from '../storage/database';
import type { TenantRecord } from '../tenants/tenant-spec';
import { sourceKey } from '../tenants/tenant-spec';
import type { RevocationSource } from './revocations';

/** Changes kept per look-up, newest first. */
export const MAX_CHANGES = 50;
const MAX_DETAIL_CHARS = 500;

export interface ChangeJournal {
  /** A change for one tenant, or for all (null: a restart). */
  record(tenantId: string | null, kind: string, detail: string, atMs: number): void;
  /**
   * The tenant's changes (and the server-wide ones) with fromMs <= at <= toMs, oldest first. A
   * token table that cannot be read leaves the revocations out (logged), not the draft.
   */
  changes(tenantId: string, fromMs: number, toMs: number): Promise<RcaChange[]>;
  /** Journals what differs between two views of the tenant table. */
  tenantsChanged(
    before: ReadonlyMap<string, TenantRecord>,
    after: ReadonlyMap<string, TenantRecord>,
    atMs: number,
  ): void;
}

function settings(t: TenantRecord): Record<string, string> {
  return {
    name: t.name,
    visibility: t.visibility,
    source: sourceKey(t.source),
    sloMs: String(t.sloMs),
    gpuThreshold: String(t.gpuThreshold ?? 'server default'),
  };
}

export interface ChangeJournalOptions {
  /** The journal's own table. */
  db: Db;
  /** Where the token table is. */
  revocations: RevocationSource;
  log: LogFn;
}

export function createChangeJournal({ db, revocations, log }: ChangeJournalOptions): ChangeJournal {
  const insert = db.prepare(
    'INSERT INTO rca_changes (tenant_id, at, kind, detail) VALUES (?, ?, ?, ?)',
  );
  const select = db.prepare(
    `SELECT at, kind, detail FROM rca_changes
     WHERE (tenant_id = ? OR tenant_id IS NULL) AND at BETWEEN ? AND ?
     ORDER BY at DESC, id DESC LIMIT ${MAX_CHANGES}`,
  );
  const record: ChangeJournal['record'] = (tenantId, kind, detail, atMs) => {
    insert.run(tenantId, atMs, kind, detail.slice(0, MAX_DETAIL_CHARS));
  };
  return {
    record,
    async changes(tenantId, fromMs, toMs) {
      const journalled = (
        select.all(tenantId, fromMs, toMs) as { at: number; kind: string; detail: string }[]
      ).map((r) => ({ atMs: r.at, kind: r.kind, detail: r.detail }));
      let revoked: Awaited<ReturnType<RevocationSource>> = [];
      try {
        revoked = await revocations(tenantId, fromMs, toMs, MAX_CHANGES);
      } catch (error) {
        log(`[rca] reading token revocations failed: ${(error as Error).message}`, {
          tenant: tenantId,
          subsystem: 'rca',
          level: 'warn',
        });
      }
      const tokens = revoked.map((r) => ({
        atMs: r.atMs,
        kind: 'token-revoked',
        // The token's name only: its id and secret are no part of the evidence.
        detail: `token "${r.name}", which granted ${tenantId}, was revoked`,
      }));
      return [...journalled, ...tokens]
        .sort((a, b) => a.atMs - b.atMs)
        .slice(-MAX_CHANGES)
        .map((c) => ({ at: isoTime(c.atMs), kind: c.kind, detail: c.detail }));
    },
    tenantsChanged(before, after, atMs) {
      for (const [id, next] of after) {
        const previous = before.get(id);
        if (!previous) {
          record(id, 'tenant-settings', `tenant ${id} created (${sourceKey(next.source)})`, atMs);
          continue;
        }
        const old = settings(previous);
        const now = settings(next);
        const diffs = Object.keys(now)
          .filter((key) => old[key] !== now[key])
          .map((key) => `${key} ${old[key]} -> ${now[key]}`);
        if (diffs.length > 0) record(id, 'tenant-settings', diffs.join('; '), atMs);
      }
    },
  };
}
