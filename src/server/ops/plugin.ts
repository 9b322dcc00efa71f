// The launch tooling's REST API under /api, as an encapsulated plugin with the tickets API's error
// answers ({ error, message } naming the field).
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { ticketRoutesErrorHandler } from '../incidents/routes/error-handler';
import type { OpsContext } from './context';
import { registerObserverRoutes } from './observer-routes';
import { registerGateRoutes } from './gates-routes';
import { registerBaselineRoutes } from './baselines-routes';
import { registerClientReportRoutes } from './client-reports-routes';
import { registerTokenRoutes, type RevokeToken } from './token-routes';
import type { ClientReports } from '../client-reports/service';
import type { Gates } from '../gates/service';
import type { PromotionGate } from '../policy/gate';
import { registerPolicyRoutes } from './policy-routes';

export type OpsServices = Omit<OpsContext, 'fastify'> & {
  /** The decision gates; without them /api/gates is not served. */
  gates?: Gates;
  /** The data directory, whose baselines/ /api/baselines serves. */
  dataDir?: string;
  /** Browser reports; without them /api/client-reports is not served. */
  clientReports?: ClientReports;
  /** The policy gate; without it /api/promotions, /api/policy and /api/audit are not served. */
  policy?: PromotionGate;
  /** Revokes a token and tells every server; without it /api/tokens is not served. */
  revokeToken?: RevokeToken;
};
/** What the server hands over; the access checks come from its tenancy (http-app.ts). */
export type OpsDependencies = Omit<OpsServices, 'requireAdmin' | 'visibleTenants'>;

const opsRoutesPlugin: FastifyPluginAsync<OpsServices> = async (fastify, services) => {
  fastify.setErrorHandler(ticketRoutesErrorHandler);
  const context: OpsContext = { ...services, fastify };
  registerObserverRoutes(context);
  if (services.gates) registerGateRoutes(context, services.gates);
  if (services.dataDir) registerBaselineRoutes(context, services.dataDir);
  if (services.clientReports) registerClientReportRoutes(context, services.clientReports);
  if (services.policy) registerPolicyRoutes(context, services.policy);
  if (services.revokeToken) registerTokenRoutes(context, services.revokeToken);
};

/** Adds the launch tooling's routes to `fastify` (before it listens). */
export function registerOpsRoutes(fastify: FastifyInstance, services: OpsServices): void {
  fastify.register(opsRoutesPlugin, services);
}
