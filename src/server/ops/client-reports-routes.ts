// POST /api/client-reports: the app's own errors and rendering warnings. It is the console's one
// anonymous write, by design: a page reports before anyone signs in, and a report of a broken
// page must not depend on the page working. So it is bounded instead: per client a burst and a
// rate (429 with Retry-After beyond them), per request 20 reports in 64 KiB, every field capped
// and scrubbed of secrets, and the table capped in rows and age. Operators read them back.
import {
  CLIENT_REPORT_LIMITS,
  type ClientReportBatch,
  type ClientReportKind,
  type ClientReportReceipt,
} from '../../core/api/client-reports';
import type { ClientReports } from '../client-reports/service';
import { HttpError } from '../incidents/routes/http-error';
import { parseWindow } from '../incidents/windows';
import type { OpsContext } from './context';
import { addOpsRoute } from './table';

export function registerClientReportRoutes(context: OpsContext, reports: ClientReports): void {
  const { requireAdmin } = context;

  addOpsRoute(
    context,
    'postClientReports',
    async (request, reply) => {
      const batch = (request.body as ClientReportBatch).reports;
      const waitMs = reports.limiter.take(request.ip, batch.length, Date.now());
      if (waitMs > 0) {
        reports.rateLimited();
        reply.header('retry-after', String(Math.ceil(waitMs / 1000)));
        throw new HttpError(
          429,
          `too many browser reports from this client: try again in ${Math.ceil(waitMs / 1000)} s`,
        );
      }
      return reply
        .code(202)
        .send({ accepted: reports.accept(batch) } satisfies ClientReportReceipt);
    },
    CLIENT_REPORT_LIMITS.maxBodyBytes,
  );

  addOpsRoute(context, 'listClientReports', async (request) => {
    requireAdmin(request);
    const q = request.query as {
      kind?: ClientReportKind;
      tenant?: string;
      window?: string;
      limit: number;
    };
    let sinceMs: number | undefined;
    if (q.window !== undefined) {
      try {
        sinceMs = Date.now() - parseWindow(q.window);
      } catch (error) {
        throw new HttpError(400, `querystring.window: ${(error as Error).message}`);
      }
    }
    return reports.store.list({
      kind: q.kind,
      tenant: q.tenant,
      sinceMs,
      visible: null,
      limit: q.limit,
    });
  });
}
