// A ticket's RCA: read by whoever may see the ticket; drafted, edited, approved and rejected by
// an operator whose token grants the ticket's tenant, exactly as the ticket's own changes. The
// actor is the token's name. The effectiveness report covers the tenants the caller may see.
import type { RcaService } from '../../rca/service';
import { parseWindow } from '../windows';
import { TICKET_WRITE_BODY_LIMIT_BYTES, type RouteContext } from './context';
import { HttpError } from './http-error';
import { rcaJson } from './rca-json';
import { addRoute } from './table';

/** The largest RCA write: the Markdown cap in UTF-8 with JSON escapes, and room for the rest. */
export const RCA_WRITE_BODY_LIMIT_BYTES = 256 * 1024;

export function registerRcaRoutes(context: RouteContext, rca: RcaService): void {
  const { kaizen, guards } = context;

  /** The ticket, if the caller may see it, and whether they may change it. */
  const ticketOf = async (request: Parameters<typeof guards.scopeOf>[0]) => {
    const scope = await guards.scopeOf(request);
    const { id } = request.params as { id: number };
    const ticket = await guards.visibleTicket(scope, id);
    return { scope, id, ticket };
  };

  const writableTicket = async (request: Parameters<typeof guards.scopeOf>[0]) => {
    const found = await ticketOf(request);
    guards.requireWritable(found.scope, found.ticket.tenantId);
    const by = (request.body as { by?: string } | undefined)?.by;
    return { ...found, actor: guards.actorOf(found.scope, by) };
  };

  const existing = (id: number) => {
    const record = rca.store.get(id);
    if (!record) {
      throw new HttpError(
        404,
        `ticket ${id} has no RCA yet: POST /api/tickets/${id}/rca drafts one`,
      );
    }
    return record;
  };

  addRoute(
    context,
    'draftRca',
    async (request, reply) => {
      const { id, ticket } = await writableTicket(request);
      return reply.code(202).send(rcaJson(rca.request(id, ticket.tenantId)));
    },
    TICKET_WRITE_BODY_LIMIT_BYTES,
  );

  addRoute(context, 'getRca', async (request) => {
    const { scope, id, ticket } = await ticketOf(request);
    const record = existing(id);
    // Editor time starts when someone who may edit first opens the draft.
    const mayEdit =
      !scope.writeRefusal && (!scope.writableTenants || scope.writableTenants.has(ticket.tenantId));
    if (mayEdit && record.status === 'draft' && record.firstOpenedAtMs === null) {
      rca.opened(id);
    }
    return rcaJson(record);
  });

  addRoute(
    context,
    'editRca',
    async (request) => {
      const { id, ticket, actor } = await writableTicket(request);
      const body = request.body as { markdown: string; baseVersion?: number };
      return rcaJson(
        rca.edit(id, ticket.tenantId, {
          markdown: body.markdown,
          author: actor,
          baseVersion: body.baseVersion,
        }),
      );
    },
    RCA_WRITE_BODY_LIMIT_BYTES,
  );

  for (const [name, outcome] of [
    ['approveRca', 'approved'],
    ['rejectRca', 'rejected'],
  ] as const) {
    addRoute(
      context,
      name,
      async (request) => {
        const { id, actor } = await writableTicket(request);
        existing(id);
        const body = request.body as { reason?: string; version?: number };
        return rcaJson(
          rca.review(id, { outcome, by: actor, reason: body.reason ?? '', version: body.version }),
        );
      },
      TICKET_WRITE_BODY_LIMIT_BYTES,
    );
  }

  addRoute(context, 'rcaEffectiveness', async (request) => {
    const scope = await guards.scopeOf(request);
    const q = request.query as { tenant?: string; window: string };
    if (q.tenant !== undefined) guards.requireVisibleTenant(scope, q.tenant);
    return rca.effectiveness({
      tenants: scope.tenants,
      tenant: q.tenant,
      window: q.window,
      fromMs: kaizen.now() - parseWindow(q.window),
    });
  });
}
