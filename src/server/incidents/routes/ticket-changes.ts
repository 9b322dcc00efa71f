// What people do to a ticket: acknowledge it, resolve it with the alert's outcome, add a note.
// Each needs a scope that may change the ticket's tenant; the actor is the token's name.
import type { Outcome } from '../types';
import { TICKET_WRITE_BODY_LIMIT_BYTES, type RouteContext } from './context';
import { eventJson, ticketJson } from './json';
import { addRoute } from './table';

export function registerTicketChangeRoutes(context: RouteContext): void {
  const { kaizen, guards } = context;
  const { tickets } = kaizen;

  addRoute(
    context,
    'acknowledgeTicket',
    async (request) => {
      const scope = await guards.scopeOf(request);
      const { id } = request.params as { id: number };
      const ticket = await guards.visibleTicket(scope, id);
      guards.requireWritable(scope, ticket.tenantId);
      const actor = guards.actorOf(scope, (request.body as { by?: string } | undefined)?.by);
      return ticketJson(await tickets.acknowledge(id, actor));
    },
    TICKET_WRITE_BODY_LIMIT_BYTES,
  );

  addRoute(
    context,
    'resolveTicket',
    async (request) => {
      const scope = await guards.scopeOf(request);
      const { id } = request.params as { id: number };
      const body = request.body as { by?: string; outcome: Outcome; note?: string };
      const ticket = await guards.visibleTicket(scope, id);
      guards.requireWritable(scope, ticket.tenantId);
      const by = guards.actorOf(scope, body.by);
      return ticketJson(
        await tickets.resolve(id, { by, outcome: body.outcome, detail: body.note }),
      );
    },
    TICKET_WRITE_BODY_LIMIT_BYTES,
  );

  addRoute(
    context,
    'addNote',
    async (request, reply) => {
      const scope = await guards.scopeOf(request);
      const { id } = request.params as { id: number };
      const body = request.body as { by?: string; text: string };
      const ticket = await guards.visibleTicket(scope, id);
      guards.requireWritable(scope, ticket.tenantId);
      const event = await tickets.addNote(id, guards.actorOf(scope, body.by), body.text);
      return reply.code(201).send(eventJson(event));
    },
    TICKET_WRITE_BODY_LIMIT_BYTES,
  );
}
