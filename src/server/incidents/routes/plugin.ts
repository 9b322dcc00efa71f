// The Kaizen REST API under /api: tickets, their changes, MTTR, the Alertmanager receiver and the
// OpenAPI document. Registered as an encapsulated plugin, so its error handler (core/api's
// ErrorBody naming the faulty field) applies to these routes only.
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { Kaizen } from '../kaizen';
import { registerAlertmanagerRoute } from './alertmanager';
import type { DocumentedRoutes, RouteContext } from './context';
import { ticketRoutesErrorHandler } from './error-handler';
import { createGuards } from './guards';
import { registerMttrRoute } from './mttr';
import { registerOpenApiRoute } from './openapi';
import type { ResolveScope } from './scope';
import { registerTicketChangeRoutes } from './ticket-changes';
import { registerTicketRoutes } from './tickets';

export interface KaizenRoutesOptions {
  kaizen: Kaizen;
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
  };
  registerTicketRoutes(context);
  registerTicketChangeRoutes(context);
  registerMttrRoute(context);
  registerAlertmanagerRoute(context);
  registerOpenApiRoute(context);
};

/** Adds the Kaizen routes to `fastify` (before it listens). */
export function registerKaizenRoutes(fastify: FastifyInstance, options: KaizenRoutesOptions): void {
  fastify.register(kaizenRoutesPlugin, options);
}
