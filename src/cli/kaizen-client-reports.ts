// `npm run kaizen -- client-reports [--kind K] [--tenant T] [--since 24h] [--limit 50] [--json]`:
// the browsers' reports stored by POST /api/client-reports, newest first, with counts per kind.
import { CLIENT_REPORT_KINDS, type ClientReportKind } from '../core/api/client-reports';
import { isTenantId } from '../core/tenant-id';
import { createClientReportStore } from '../server/client-reports/store';
import { openDatabase } from '../server/storage/database';
import { parseDuration, UsageError, type CommandContext } from './kaizen-common';

export interface ClientReportsArgs {
  kind?: string;
  tenant?: string;
  since?: string;
  limit?: string;
  json: boolean;
}

export function clientReportsCommand(ctx: CommandContext, args: ClientReportsArgs): void {
  if (args.kind !== undefined && !(CLIENT_REPORT_KINDS as readonly string[]).includes(args.kind)) {
    throw new UsageError(`--kind must be one of ${CLIENT_REPORT_KINDS.join(', ')}`);
  }
  if (args.tenant !== undefined && !isTenantId(args.tenant)) {
    throw new UsageError(`--tenant "${args.tenant.slice(0, 70)}" is not a tenant id`);
  }
  const limit = args.limit === undefined ? 50 : Number(args.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
    throw new UsageError('--limit must be a whole number from 1 to 1000');
  }
  const since = args.since ?? '24h';
  const sinceMs = ctx.now() - parseDuration('since', since);
  const db = openDatabase(ctx.dataDir);
  try {
    const list = createClientReportStore(db).list({
      kind: args.kind as ClientReportKind | undefined,
      tenant: args.tenant,
      sinceMs,
      visible: null,
      limit,
    });
    if (args.json) return ctx.io.out(JSON.stringify(list, null, 2));
    const kinds = list.byKind.filter((k) => k.count > 0).map((k) => `${k.kind} ${k.count}`);
    ctx.io.out(
      `${list.total} browser report${list.total === 1 ? '' : 's'} in the last ${since}` +
        (kinds.length > 0 ? `: ${kinds.join(', ')}` : ''),
    );
    for (const r of list.reports) {
      const where = [
        r.tenant,
        r.webglRenderer,
        r.maxTextureSize ? `max texture ${r.maxTextureSize}` : null,
      ]
        .filter(Boolean)
        .join(', ');
      ctx.io.out(
        `${r.receivedAt}  ${r.kind}${r.count > 1 ? ` x${r.count}` : ''}  ${r.message}` +
          (r.reason ? ` (${r.reason})` : '') +
          (where ? `  [${where}]` : ''),
      );
    }
  } finally {
    db.close();
  }
}
