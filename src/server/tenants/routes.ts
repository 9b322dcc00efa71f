// REST for tenants: which ones the caller may see, one tenant, and that tenant's own stream
// metrics. The tenant comes from the path and is checked against the caller's token; refusals are
// JSON `{error, message}` with 401, 403 or 404.
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ErrorBody } from '../../core/api/errors';
import type { StreamList } from '../../core/api/streams';
import type {
  TenantList,
  TenantMetrics,
  TenantMetricValue,
  TenantSummary,
} from '../../core/api/tenants';
import type { ServerMetrics } from '../metrics';
import type { StreamRegistry } from '../stream/registry';
import { isAccessDenied, refusalFor, type Refusal, type TenantAccess } from './access';
import type { TenantDirectory } from './directory';
import type { TenantRecord } from './tenant-spec';

export interface TenantRoutesOptions {
  access: TenantAccess;
  directory: TenantDirectory;
  registry: StreamRegistry;
  metrics: ServerMetrics;
  /** --gpu-threshold: the GPU threshold of tenants without their own. */
  gpuThreshold: number;
}

export function sendRefusal(reply: FastifyReply, refusal: Refusal): FastifyReply {
  if (refusal.status === 401) reply.header('www-authenticate', 'Bearer realm="phase-console"');
  return reply
    .code(refusal.status)
    .send({ error: refusal.error, message: refusal.message } satisfies ErrorBody);
}

export function registerTenantRoutes(fastify: FastifyInstance, options: TenantRoutesOptions): void {
  const { access, directory, registry, metrics } = options;

  const summary = (tenant: TenantRecord): TenantSummary | null => {
    const info = registry.info(tenant.id);
    // A tenant whose trace could not be opened is not served, so it is not offered either.
    if (!info) return null;
    return {
      id: tenant.id,
      name: tenant.name,
      visibility: tenant.visibility,
      width: info.width,
      height: info.height,
      source: info.source,
      sloMs: tenant.sloMs,
      gpuThreshold: tenant.gpuThreshold ?? options.gpuThreshold,
      gpuThresholdSource: tenant.gpuThreshold === undefined ? 'server' : 'tenant',
    };
  };

  fastify.get('/api/tenants', async (request, reply) => {
    const principal = access.resolvePrincipal(request.headers.authorization);
    if (isAccessDenied(principal)) return sendRefusal(reply, refusalFor(401, principal, '')!);
    const visible = [...directory.tenants.values()]
      .filter((t) => principal.tenants.has(t.id))
      .map(summary)
      .filter((s): s is TenantSummary => s !== null);
    return { tenants: visible } satisfies TenantList;
  });

  // The streams the caller may watch (anonymous callers: the public ones).
  fastify.get('/api/streams', async (request, reply) => {
    const principal = access.resolvePrincipal(request.headers.authorization);
    if (isAccessDenied(principal)) return sendRefusal(reply, refusalFor(401, principal, '')!);
    const streams: StreamList = [...directory.tenants.keys()]
      .filter((id) => principal.tenants.has(id))
      .flatMap((id) => registry.info(id) ?? []);
    return streams;
  });

  /** The tenant of the path if the caller may see it; else the refusal was sent. */
  const guard = (
    authorization: string | undefined,
    tenantId: string,
    reply: FastifyReply,
  ): TenantRecord | null => {
    const principal = access.resolvePrincipal(authorization);
    const refusal = refusalFor(access.requireTenant(principal, tenantId), principal, tenantId);
    if (refusal) {
      void sendRefusal(reply, refusal);
      return null;
    }
    return directory.tenants.get(tenantId) ?? null;
  };

  fastify.get<{ Params: { tenantId: string } }>(
    '/api/tenants/:tenantId',
    async (request, reply) => {
      const tenant = guard(request.headers.authorization, request.params.tenantId, reply);
      if (!tenant) return reply;
      const shown = summary(tenant);
      if (!shown) {
        return reply.code(503).send({
          error: 'unavailable',
          message: `tenant "${tenant.id}" is not served now`,
        } satisfies ErrorBody);
      }
      return shown;
    },
  );

  // The Prometheus series labelled with this tenant, as JSON: what an operator of the tenant may
  // see of /metrics (which an operator's Prometheus scrapes whole).
  fastify.get<{ Params: { tenantId: string } }>(
    '/api/tenants/:tenantId/metrics',
    async (request, reply) => {
      const tenant = guard(request.headers.authorization, request.params.tenantId, reply);
      if (!tenant) return reply;
      const all = await metrics.registry.getMetricsAsJSON();
      const series = all.flatMap((metric) => {
        const values = metric.values
          .filter((v) => v.labels.tenant_id === tenant.id)
          .map((v): TenantMetricValue => {
            const labels: TenantMetricValue['labels'] = {};
            for (const [label, value] of Object.entries(v.labels)) {
              if (label !== 'tenant_id' && value !== undefined) labels[label] = value;
            }
            const name = (v as { metricName?: string }).metricName ?? metric.name;
            return { name, labels, value: v.value };
          });
        // prom-client declares `type` a numeric enum, but its JSON holds the name: "counter".
        const type = String(metric.type);
        return values.length > 0 ? [{ name: metric.name, type, values }] : [];
      });
      const stream = registry.status().find((s) => s.tenant === tenant.id);
      return {
        tenant: tenant.id,
        stream: stream
          ? {
              running: stream.running,
              subscribers: stream.subscribers,
              framesProduced: stream.framesProduced,
            }
          : null,
        metrics: series,
      } satisfies TenantMetrics;
    },
  );
}
