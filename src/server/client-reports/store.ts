// Browser reports in the console database, bounded: at most `maxReports` (the oldest go first)
// and none older than the retention, so an anonymous sender can fill neither disk nor memory.
import {
  CLIENT_REPORT_KINDS,
  CLIENT_REPORT_LIMITS,
  type ClientReport,
  type ClientReportInput,
  type ClientReportKind,
  type ClientReportList,
} from '../../core/api/client-reports';
import { migrate, type Db, type Migration } from '../storage/database';
import { scrub } from '../../core/secret-scrub';

export const CLIENT_REPORTS_COMPONENT = 'client-reports';
export const DEFAULT_MAX_REPORTS = 10_000;
export const REPORT_RETENTION_MS = 14 * 86_400_000;
const MAX_FIELD_CHARS = 500;

const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'browser reports',
    up: (db) =>
      db.exec(`
        CREATE TABLE client_reports (
          id INTEGER PRIMARY KEY,
          received_at INTEGER NOT NULL,
          kind TEXT NOT NULL,
          message TEXT NOT NULL,
          at TEXT,
          stack TEXT,
          reason TEXT,
          tenant TEXT,
          page TEXT,
          browser TEXT,
          webgl_renderer TEXT,
          max_texture_size INTEGER,
          count INTEGER NOT NULL DEFAULT 1
        );
        CREATE INDEX client_reports_received ON client_reports (received_at);
      `),
  },
];

interface Row {
  id: number;
  received_at: number;
  kind: ClientReportKind;
  message: string;
  at: string | null;
  stack: string | null;
  reason: string | null;
  tenant: string | null;
  page: string | null;
  browser: string | null;
  webgl_renderer: string | null;
  max_texture_size: number | null;
  count: number;
}

export interface ClientReportFilter {
  kind?: ClientReportKind;
  tenant?: string;
  sinceMs?: number;
  /** Tenants the reader may see; reports of others (and of no tenant) are left out unless null. */
  visible?: ReadonlySet<string> | null;
  limit: number;
}

export interface ClientReportStore {
  add(reports: readonly ClientReportInput[], nowMs?: number): number;
  list(filter: ClientReportFilter): ClientReportList;
}

const clip = (text: string | undefined, max: number): string | null =>
  text === undefined ? null : scrub(text.length <= max ? text : `${text.slice(0, max - 1)}…`);

export function createClientReportStore(
  db: Db,
  options: { maxReports?: number } = {},
): ClientReportStore {
  migrate(db, CLIENT_REPORTS_COMPONENT, MIGRATIONS);
  const maxReports = options.maxReports ?? DEFAULT_MAX_REPORTS;
  const insert = db.prepare(
    `INSERT INTO client_reports (received_at, kind, message, at, stack, reason, tenant, page,
       browser, webgl_renderer, max_texture_size, count)
     VALUES (@receivedAt, @kind, @message, @at, @stack, @reason, @tenant, @page, @browser,
       @webglRenderer, @maxTextureSize, @count)`,
  );
  const trim = db.prepare(
    `DELETE FROM client_reports WHERE received_at < @oldestMs
       OR id <= (SELECT id FROM client_reports ORDER BY id DESC LIMIT 1 OFFSET @keep)`,
  );

  const where = (filter: ClientReportFilter) => {
    const clauses: string[] = [];
    const params: Record<string, unknown> = {};
    if (filter.kind) {
      clauses.push('kind = @kind');
      params.kind = filter.kind;
    }
    if (filter.tenant) {
      clauses.push('tenant = @tenant');
      params.tenant = filter.tenant;
    }
    if (filter.sinceMs !== undefined) {
      clauses.push('received_at >= @sinceMs');
      params.sinceMs = filter.sinceMs;
    }
    if (filter.visible) {
      clauses.push('tenant IN (SELECT value FROM json_each(@visible))');
      params.visible = JSON.stringify([...filter.visible]);
    }
    return { sql: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
  };

  return {
    add(reports, nowMs = Date.now()) {
      return db.transaction(() => {
        for (const r of reports) {
          insert.run({
            receivedAt: nowMs,
            kind: r.kind,
            message: clip(r.message, CLIENT_REPORT_LIMITS.maxMessageChars) ?? '',
            at: clip(r.at, 40),
            stack: clip(r.stack, CLIENT_REPORT_LIMITS.maxStackChars),
            reason: clip(r.reason, MAX_FIELD_CHARS),
            tenant: clip(r.tenant, 63),
            page: clip(r.page, MAX_FIELD_CHARS),
            browser: clip(r.browser, MAX_FIELD_CHARS),
            webglRenderer: clip(r.webglRenderer, MAX_FIELD_CHARS),
            maxTextureSize: r.maxTextureSize ?? null,
            count: r.count ?? 1,
          });
        }
        trim.run({ oldestMs: nowMs - REPORT_RETENTION_MS, keep: maxReports });
        return reports.length;
      })();
    },
    list(filter) {
      const { sql, params } = where(filter);
      const rows = db
        .prepare(`SELECT * FROM client_reports ${sql} ORDER BY id DESC LIMIT @limit`)
        .all({ ...params, limit: filter.limit }) as Row[];
      const total = db
        .prepare(`SELECT COUNT(*) FROM client_reports ${sql}`)
        .pluck()
        .get(params) as number;
      const kinds = db
        .prepare(`SELECT kind, COUNT(*) AS count FROM client_reports ${sql} GROUP BY kind`)
        .all(params) as { kind: ClientReportKind; count: number }[];
      return {
        reports: rows.map((r): ClientReport => ({
          id: r.id,
          receivedAt: new Date(r.received_at).toISOString(),
          kind: r.kind,
          message: r.message,
          at: r.at,
          stack: r.stack,
          reason: r.reason,
          tenant: r.tenant,
          page: r.page,
          browser: r.browser,
          webglRenderer: r.webgl_renderer,
          maxTextureSize: r.max_texture_size,
          count: r.count,
        })),
        total,
        byKind: CLIENT_REPORT_KINDS.map((kind) => ({
          kind,
          count: kinds.find((k) => k.kind === kind)?.count ?? 0,
        })),
      };
    },
  };
}
