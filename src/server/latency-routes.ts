// GET /api/latency: the tenant's frame latency p95 per second over a window, with its SLO, for
// the latency panel (the same samples feed mcp_message_latency_seconds for Prometheus).
import { TENANT_ID_SOURCE } from '../core/tenant-id';
import type { FastifyInstance } from 'fastify';
import type { ServerMetrics } from './metrics';

export interface LatencyRoutesOptions {
  metrics: ServerMetrics;
  /** The tenant's p95 objective in ms, or undefined for an unknown tenant (404). */
  sloMs: (tenantId: string) => number | undefined;
  authorize?: (
    authorization: string | undefined,
    tenantId: string,
  ) => { status: number; message: string } | null;
}

export function registerLatencyRoutes(
  fastify: FastifyInstance,
  options: LatencyRoutesOptions,
): void {
  fastify.get<{ Querystring: { tenant: string; window?: number } }>(
    '/api/latency',
    {
      schema: {
        querystring: {
          type: 'object',
          required: ['tenant'],
          additionalProperties: false,
          properties: {
            tenant: { type: 'string', pattern: TENANT_ID_SOURCE },
            window: { type: 'integer', minimum: 5, maximum: 600, default: 60 },
          },
        },
      },
    },
    async (request, reply) => {
      const { tenant, window: windowS = 60 } = request.query;
      const sloMs = options.sloMs(tenant);
      if (sloMs === undefined) {
        return reply.code(404).send({ error: 'not_found', message: `unknown tenant "${tenant}"` });
      }
      const refusal = options.authorize?.(request.headers.authorization, tenant);
      if (refusal)
        return reply.code(refusal.status).send({ error: 'forbidden', message: refusal.message });
      const series = options.metrics.latencySamples(tenant, windowS);
      const weighted = series.reduce((sum, s) => sum + s.p95Ms * s.count, 0);
      const count = series.reduce((sum, s) => sum + s.count, 0);
      return {
        tenant,
        windowS,
        sloMs,
        samples: count,
        // The worst second and the count-weighted mean of the per-second p95s over the window.
        p95MsWorst: series.length > 0 ? Math.max(...series.map((s) => s.p95Ms)) : null,
        p95MsMean: count > 0 ? weighted / count : null,
        series,
      };
    },
  );
}
