// GET /api/tickets (the list), GET /api/tickets/:id (one with its timeline) and POST /api/tickets
// (open one by hand, or deduplicate into or reopen one by fingerprint).
import { randomUUID } from 'node:crypto';
import type { CreateTicketResult } from '../../../core/api/tickets';
import type { OpenResult, Severity, TicketSource, TicketStatus } from '../types';
import { parseWindow } from '../windows';
import { TICKET_WRITE_BODY_LIMIT_BYTES, type RouteContext } from './context';
import { ticketDetailJson, ticketJson, ticketPageJson } from './json';
import { addRoute } from './table';

interface ListQuery {
  tenant?: string;
  severity?: Severity[];
  status?: TicketStatus[];
  source?: TicketSource[];
  resolvedBy?: 'auto' | 'person';
  window?: string;
  windowOn: 'opened' | 'resolved';
  limit: number;
  cursor?: string;
}

interface CreateBody {
  tenant: string;
  title: string;
  severity: Severity;
  summary?: string;
  fingerprint?: string;
  by?: string;
}

export function registerTicketRoutes(context: RouteContext): void {
  const { kaizen, guards } = context;
  const { tickets } = kaizen;

  addRoute(context, 'listTickets', async (request) => {
    const scope = await guards.scopeOf(request);
    const q = request.query as ListQuery;
    if (q.tenant !== undefined) guards.requireVisibleTenant(scope, q.tenant);
    const sinceMs = q.window === undefined ? undefined : kaizen.now() - parseWindow(q.window);
    const page = await tickets.list(
      {
        tenants: scope.tenants,
        tenant: q.tenant,
        severities: q.severity,
        statuses: q.status,
        sources: q.source,
        resolvedBy: q.resolvedBy,
        openedSinceMs: q.windowOn === 'opened' ? sinceMs : undefined,
        resolvedSinceMs: q.windowOn === 'resolved' ? sinceMs : undefined,
      },
      { limit: q.limit, cursor: q.cursor },
    );
    return ticketPageJson(page);
  });

  addRoute(context, 'getTicket', async (request) => {
    const scope = await guards.scopeOf(request);
    const { id } = request.params as { id: number };
    return ticketDetailJson(await guards.visibleTicket(scope, id));
  });

  addRoute(
    context,
    'createTicket',
    async (request, reply) => {
      const scope = await guards.scopeOf(request);
      const body = request.body as CreateBody;
      guards.requireVisibleTenant(scope, body.tenant);
      guards.requireWritable(scope, body.tenant);
      const actor = guards.actorOf(scope, body.by);
      const [filed] = await kaizen.ticketBurst.file(tickets, [
        {
          kind: 'open',
          input: {
            tenantId: body.tenant,
            visibility: kaizen.visibilityOf(body.tenant),
            title: body.title,
            severity: body.severity,
            source: 'manual',
            fingerprint: body.fingerprint ?? `manual:${randomUUID()}`,
            summary: body.summary,
            actor,
          },
        },
      ]);
      const result = filed!.outcome as OpenResult;
      const ticket = filed!.ticket!;
      return reply
        .code(result === 'opened' ? 201 : 200)
        .send({ result, ticket: ticketJson(ticket) } satisfies CreateTicketResult);
    },
    TICKET_WRITE_BODY_LIMIT_BYTES,
  );
}
