// The Kaizen REST API under /api: tickets, their changes, MTTR, the Alertmanager receiver and the
// OpenAPI document. Registered as an encapsulated plugin, so its error handler (core/api's
// ErrorBody naming the faulty field) applies to these routes only.
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { RcaService } from '../../rca/service';
import type { Kaizen } from '../kaizen';
import { registerAlertmanagerRoute } from './alertmanager';
import type { DocumentedRoutes, RouteContext } from './context';
import { ticketRoutesErrorHandler } from './error-handler';
import { createGuards } from './guards';
import { registerMttrRoute } from './mttr';
import { registerOpenApiRoute } from './openapi';
import { registerRcaRoutes } from './rca';
import type { ResolveScope } from './scope';
import { registerTicketChangeRoutes } from './ticket-changes';
import { registerTicketRoutes } from './tickets';

export interface KaizenRoutesOptions {
  kaizen: Kaizen;
  /** The tickets' RCAs (/api/tickets/ID/rca, /api/rca/effectiveness). */
  rca?: RcaService;
  resolveScope: ResolveScope;
  /** The server's other routes, for the OpenAPI document. */
  documented?: DocumentedRoutes;
}

const kaizenRoutesPlugin: FastifyPluginAsync<KaizenRoutesOptions> = async (fastify, options) => {
  fastify.setErrorHandler(ticketRoutesErrorHandler);
  const context: RouteContext = {
    fastify,
    kaizen: options.kaizen,
    guards: createGuards(options.kaizen, options.resolveScope),
    documented: options.documented,
    rca: options.rca,
  };
  registerTicketRoutes(context);
  registerTicketChangeRoutes(context);
  registerMttrRoute(context);
  registerAlertmanagerRoute(context);
  if (context.rca) registerRcaRoutes(context, context.rca);
  registerOpenApiRoute(context);
};

/** Adds the Kaizen routes to `fastify` (before it listens). */
export function registerKaizenRoutes(fastify: FastifyInstance, options: KaizenRoutesOptions): void {
  fastify.register(kaizenRoutesPlugin, options);
}
