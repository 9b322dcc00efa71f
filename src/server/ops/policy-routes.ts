// The policy gate over REST: anyone who may see a tenant may read its policy report and try a
// change on it; promoting, overriding, reading the audit log and weighing modified policies need
// an admin token that may see the tenant.
import type { FastifyRequest } from 'fastify';
import type { ImpactRequest, PromotionRequest } from '../../core/api/policy';
import { HttpError } from '../incidents/routes/http-error';
import { PolicyBundleError } from '../policy/engine';
import { PromotionError, type PromotionGate } from '../policy/gate';
import type { OpsContext } from './context';
import { addPolicyRoute } from './policy-table';

const DEFAULT_IMPACT_LIMIT = 50;

export function registerPolicyRoutes(context: OpsContext, gate: PromotionGate): void {
  const { requireAdmin, visibleTenants } = context;

  /** The tenant, if the caller may see it; an unknown one and a hidden one answer the same 404. */
  const seen = (request: FastifyRequest, tenant: string): void => {
    if (!visibleTenants(request).has(tenant)) throw new HttpError(404, `no tenant "${tenant}"`);
  };
  const answer = async <T>(work: () => T | Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      if (error instanceof PromotionError) throw new HttpError(error.status, error.message);
      if (error instanceof PolicyBundleError) throw new HttpError(400, error.message);
      throw error;
    }
  };
  /** Who a try is evaluated as: the admin it would be promoted by, else "try". */
  const tryPrincipal = (request: FastifyRequest): string => {
    try {
      return requireAdmin(request).actor;
    } catch {
      return 'try';
    }
  };

  addPolicyRoute(context, 'getPolicy', async (request) => {
    const { tenant } = request.query as { tenant: string };
    seen(request, tenant);
    return answer(() => gate.report(tenant));
  });

  addPolicyRoute(context, 'evaluatePromotion', async (request) => {
    const body = request.body as PromotionRequest;
    seen(request, body.tenant);
    const principal = tryPrincipal(request);
    // A trace change opens a file on the server: its answer would tell anyone which paths exist.
    if (body.change.trace !== undefined && principal === 'try') {
      throw new HttpError(
        403,
        'trying a trace change opens a file on the server: it needs an admin token',
      );
    }
    return answer(() => gate.evaluate({ ...body, by: 'try', principal }));
  });

  addPolicyRoute(context, 'createPromotion', async (request, reply) => {
    const { actor } = requireAdmin(request);
    const body = request.body as PromotionRequest;
    seen(request, body.tenant);
    const promotion = await answer(() => gate.promote({ ...body, by: actor, principal: actor }));
    return reply.code(201).send(promotion);
  });

  addPolicyRoute(context, 'listPromotions', async (request) => {
    const { tenant, limit } = request.query as { tenant?: string; limit: number };
    const visible = visibleTenants(request);
    if (tenant !== undefined) seen(request, tenant);
    return { promotions: await gate.list({ tenant, limit, visible }) };
  });

  addPolicyRoute(context, 'getPromotion', async (request) => {
    const { id } = request.params as { id: number };
    const promotion = await gate.get(id);
    if (!promotion || !visibleTenants(request).has(promotion.tenant)) {
      throw new HttpError(404, `no promotion ${id}`);
    }
    return promotion;
  });

  addPolicyRoute(context, 'overridePromotion', async (request) => {
    const { actor } = requireAdmin(request);
    const { id } = request.params as { id: number };
    const promotion = await gate.get(id);
    if (!promotion || !visibleTenants(request).has(promotion.tenant)) {
      throw new HttpError(404, `no promotion ${id}`);
    }
    const { reason } = request.body as { reason: string };
    if (reason.trim().length === 0) throw new HttpError(400, 'body/reason must say why');
    return answer(() => gate.override(id, actor, reason.trim()));
  });

  addPolicyRoute(context, 'getAudit', async (request) => {
    requireAdmin(request);
    const { limit, before } = request.query as { limit: number; before?: number };
    return {
      entries: await gate.ledger.audit({ limit, beforeSeq: before }),
      head: await gate.ledger.head(),
    };
  });

  addPolicyRoute(
    context,
    'analyzeImpact',
    async (request) => {
      requireAdmin(request);
      const body = request.body as ImpactRequest;
      return answer(() =>
        gate.impact(body.policies, body.limit ?? DEFAULT_IMPACT_LIMIT, visibleTenants(request)),
      );
    },
    512 * 1024,
  );
}
