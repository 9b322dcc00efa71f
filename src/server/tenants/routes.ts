// REST for tenants: which ones the caller may see, one tenant, that tenant's own stream metrics,
// and the caller's own session. The tenant comes from the path and is checked against the caller's
// token; refusals are JSON `{error, message}`: 401 for credentials that are no good, 404 for a
// tenant that does not exist or that the caller may not see (the two answer alike).
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ErrorBody } from '../../core/api/errors';
import type { SessionInfo } from '../../core/api/session';
import type { StreamList } from '../../core/api/streams';
import type {
  TenantList,
  TenantMetrics,
  TenantMetricValue,
  TenantSummary,
} from '../../core/api/tenants';
import type { ServerMetrics } from '../metrics';
import type { StreamRegistry } from '../stream/registry';
import { deniedRefusal, isAccessDenied, refusalFor, type TenantAccess } from './access';
import type { TenantDirectory } from './directory';
import { sendRefusal } from './reply';
import type { TenantRecord } from './tenant-spec';

export interface TenantRoutesOptions {
  access: TenantAccess;
  directory: TenantDirectory;
  registry: StreamRegistry;
  metrics: ServerMetrics;
  /** --gpu-threshold: the GPU threshold of tenants without their own. */
  gpuThreshold: number;
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
    if (isAccessDenied(principal)) return sendRefusal(reply, deniedRefusal(principal));
    const visible = [...directory.tenants.values()]
      .filter((t) => principal.tenants.has(t.id))
      .map(summary)
      .filter((s): s is TenantSummary => s !== null);
    return { tenants: visible } satisfies TenantList;
  });

  // The streams the caller may watch (anonymous callers: the public ones).
  fastify.get('/api/streams', async (request, reply) => {
    const principal = access.resolvePrincipal(request.headers.authorization);
    if (isAccessDenied(principal)) return sendRefusal(reply, deniedRefusal(principal));
    const streams: StreamList = [...directory.tenants.keys()]
      .filter((id) => principal.tenants.has(id))
      .flatMap((id) => registry.info(id) ?? []);
    return streams;
  });

  // The caller as the server sees it: its token, what it may read and change, whether it is an
  // admin. The app asks before offering buttons that would be refused.
  fastify.get('/api/session', async (request, reply) => {
    const principal = access.resolvePrincipal(request.headers.authorization);
    if (isAccessDenied(principal)) return sendRefusal(reply, deniedRefusal(principal));
    const sorted = (ids: ReadonlySet<string>): string[] => [...ids].sort();
    return {
      token:
        principal.tokenId !== null && principal.name !== null && principal.role !== null
          ? { id: principal.tokenId, name: principal.name, role: principal.role }
          : null,
      read: sorted(principal.tenants),
      write: sorted(principal.writable),
      admin: principal.admin,
    } satisfies SessionInfo;
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
