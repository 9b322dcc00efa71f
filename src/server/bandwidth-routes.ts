// GET /api/bandwidth: what the delta protocol saved for a tenant, with a per-second series over
// a window, for the bandwidth panel (the same counts /metrics exports for Prometheus).
import { TENANT_ID_SOURCE } from '../core/tenant-id';
import type { FastifyInstance } from 'fastify';
import type { ServerMetrics } from './metrics';

export interface BandwidthRoutesOptions {
  metrics: ServerMetrics;
  /** Whether the tenant exists (unknown ones answer 404). */
  hasTenant: (tenantId: string) => boolean;
  /** Extra access check; answers an HTTP status to refuse, or null to allow. */
  authorize?: (
    authorization: string | undefined,
    tenantId: string,
  ) => { status: number; message: string } | null;
}

export const BANDWIDTH_WINDOW_MAX_S = 600;

export function registerBandwidthRoutes(
  fastify: FastifyInstance,
  options: BandwidthRoutesOptions,
): void {
  fastify.get<{ Querystring: { tenant: string; window?: number } }>(
    '/api/bandwidth',
    {
      schema: {
        querystring: {
          type: 'object',
          required: ['tenant'],
          additionalProperties: false,
          properties: {
            tenant: { type: 'string', pattern: TENANT_ID_SOURCE },
            window: { type: 'integer', minimum: 5, maximum: BANDWIDTH_WINDOW_MAX_S, default: 60 },
          },
        },
      },
    },
    async (request, reply) => {
      const { tenant, window: windowS = 60 } = request.query;
      if (!options.hasTenant(tenant)) {
        return reply.code(404).send({ error: 'not_found', message: `unknown tenant "${tenant}"` });
      }
      const refusal = options.authorize?.(request.headers.authorization, tenant);
      if (refusal)
        return reply.code(refusal.status).send({ error: 'forbidden', message: refusal.message });
      const totals = options.metrics.forTenant(tenant).totals;
      const samples = options.metrics.bandwidthSamples(tenant, windowS);
      const series = samples.slice(1).map((s, i) => {
        const prev = samples[i]!;
        const seconds = (s.atMs - prev.atMs) / 1000;
        return {
          atMs: s.atMs,
          sentBytesPerS: (s.totals.bytesSent - prev.totals.bytesSent) / seconds,
          savedBytesPerS: (s.totals.bytesSaved - prev.totals.bytesSaved) / seconds,
          rawBytesPerS: (s.totals.rawBytes - prev.totals.rawBytes) / seconds,
        };
      });
      return {
        tenant,
        windowS,
        totals,
        savingsRatio: totals.rawBytes > 0 ? totals.bytesSaved / totals.rawBytes : 0,
        series,
      };
    },
  );
}
