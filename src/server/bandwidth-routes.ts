// GET /api/bandwidth: what the delta protocol saved for a tenant against raw 16-bit frames, since
// the server began counting and over a window, with a series and the rate while streaming, for
// the bandwidth panel (the same counts /metrics exports for Prometheus).
import type { FastifyInstance } from 'fastify';
import type { ErrorBody } from '../core/api/errors';
import type { BandwidthReport } from '../core/api/panels';
import type { ServerMetrics } from './metrics';
import type { Refusal } from './tenants/access';
import { sendRefusal } from './tenants/reply';
import { bandwidthFigures } from './panel-figures';
import { DEFAULT_PANEL_WINDOW_S, PANEL_QUERY_SCHEMA, type PanelQuery } from './panel-query';

export interface BandwidthRoutesOptions {
  metrics: ServerMetrics;
  /** Whether the tenant exists (unknown ones answer 404). */
  hasTenant: (tenantId: string) => boolean;
  /** Extra access check; answers an HTTP status to refuse, or null to allow. */
  /**
   * The caller's refusal for the tenant (401 bad credentials, 404 unknown or not visible, alike),
   * or null to allow; checked before anything is said about the tenant.
   */
  authorize?: (authorization: string | undefined, tenantId: string) => Refusal | null;
}

export function registerBandwidthRoutes(
  fastify: FastifyInstance,
  options: BandwidthRoutesOptions,
): void {
  fastify.get<{ Querystring: PanelQuery }>(
    '/api/bandwidth',
    {
      schema: { querystring: PANEL_QUERY_SCHEMA },
    },
    async (request, reply) => {
      const { tenant, window: windowS = DEFAULT_PANEL_WINDOW_S } = request.query;
      const refusal = options.authorize?.(request.headers.authorization, tenant);
      if (refusal) return sendRefusal(reply, refusal);
      if (!options.hasTenant(tenant)) {
        return reply
          .code(404)
          .send({ error: 'not_found', message: `unknown tenant "${tenant}"` } satisfies ErrorBody);
      }
      const { totals } = options.metrics.forTenant(tenant);
      const { stepS, points } = options.metrics.panelHistory(tenant, windowS);
      return {
        tenant,
        windowS,
        stepS,
        baseline: 'raw-u16',
        // Copied field by field so that a count added to the server's totals is not sent unnoticed.
        totals: {
          bytesSent: totals.bytesSent,
          bytesSaved: totals.bytesSaved,
          rawBytes: totals.rawBytes,
          framesSent: totals.framesSent,
          framesSkipped: totals.framesSkipped,
          resyncs: totals.resyncs,
        },
        totalsSinceMs: options.metrics.countingSinceMs(tenant) ?? Date.now(),
        savingsRatio: totals.rawBytes > 0 ? totals.bytesSaved / totals.rawBytes : 0,
        ...bandwidthFigures(points, windowS),
      } satisfies BandwidthReport;
    },
  );
}
