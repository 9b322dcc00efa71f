// GET /api/latency: the tenant's frame latency p95 over a window, per step and as a whole, with its
// SLO and a verdict that does not flap, for the latency panel (the same samples feed
// mcp_message_latency_seconds for Prometheus).
import type { FastifyInstance } from 'fastify';
import type { ErrorBody } from '../core/api/errors';
import type { LatencyReport } from '../core/api/panels';
import type { ServerMetrics } from './metrics';
import type { Refusal } from './tenants/access';
import { sendRefusal } from './tenants/reply';
import { latencyFigures } from './panel-figures';
import { DEFAULT_PANEL_WINDOW_S, PANEL_QUERY_SCHEMA, type PanelQuery } from './panel-query';

export interface LatencyRoutesOptions {
  metrics: ServerMetrics;
  /** The tenant's p95 objective in ms, or undefined for an unknown tenant (404). */
  sloMs: (tenantId: string) => number | undefined;
  /**
   * The caller's refusal for the tenant (401 bad credentials, 404 unknown or not visible, alike),
   * or null to allow; checked before anything is said about the tenant.
   */
  authorize?: (authorization: string | undefined, tenantId: string) => Refusal | null;
}

export function registerLatencyRoutes(
  fastify: FastifyInstance,
  options: LatencyRoutesOptions,
): void {
  fastify.get<{ Querystring: PanelQuery }>(
    '/api/latency',
    {
      schema: { querystring: PANEL_QUERY_SCHEMA },
    },
    async (request, reply) => {
      const { tenant, window: windowS = DEFAULT_PANEL_WINDOW_S } = request.query;
      const refusal = options.authorize?.(request.headers.authorization, tenant);
      if (refusal) return sendRefusal(reply, refusal);
      const sloMs = options.sloMs(tenant);
      if (sloMs === undefined) {
        return reply
          .code(404)
          .send({ error: 'not_found', message: `unknown tenant "${tenant}"` } satisfies ErrorBody);
      }
      const { stepS, points } = options.metrics.panelHistory(tenant, windowS);
      return {
        tenant,
        windowS,
        stepS,
        sloMs,
        ...latencyFigures(points, windowS, sloMs),
      } satisfies LatencyReport;
    },
  );
}
