// The policy gate's routes under /api: registration and the OpenAPI document both read this table.
import type { RouteSpec } from '../incidents/openapi';
import type { RouteHandler } from '../incidents/routes/table';
import type { OpsContext } from './context';
import { addSpecRoute, errors } from './table';
import {
  AuditPageSchema,
  AuditQuery,
  ImpactBody,
  ImpactReportSchema,
  OverrideBody,
  PolicyReportQuery,
  PolicyReportSchema,
  PromotionEvaluationSchema,
  PromotionIdParams,
  PromotionListQuery,
  PromotionListSchema,
  PromotionRequestBody,
  PromotionSchema,
} from './policy-schemas';

export const POLICY_ROUTES = {
  getPolicy: {
    method: 'GET',
    url: '/api/policy',
    operationId: 'getPolicy',
    summary: "The policy bundle, and the tenant's figures today against each budget",
    auth: 'scope',
    tag: 'policy',
    schema: {
      querystring: PolicyReportQuery,
      response: { 200: PolicyReportSchema, ...errors(400, 401, 404) },
    },
  },
  evaluatePromotion: {
    method: 'POST',
    url: '/api/promotions/evaluate',
    operationId: 'evaluatePromotion',
    summary: 'Try a change: the decision and why, nothing applied or recorded',
    auth: 'scope',
    tag: 'policy',
    schema: {
      body: PromotionRequestBody,
      response: { 200: PromotionEvaluationSchema, ...errors(400, 401, 404, 415) },
    },
  },
  createPromotion: {
    method: 'POST',
    url: '/api/promotions',
    operationId: 'createPromotion',
    summary: 'Promote a change (admin): evaluated, recorded in the audit log, applied if allowed',
    description:
      'Answers 201 with the promotion for either decision: status "applied" when the bundle ' +
      'allows it, "denied" with the deciding policies otherwise (an admin may override it).',
    auth: 'admin',
    tag: 'policy',
    schema: {
      body: PromotionRequestBody,
      response: { 201: PromotionSchema, ...errors(400, 401, 403, 404, 415) },
    },
  },
  listPromotions: {
    method: 'GET',
    url: '/api/promotions',
    operationId: 'listPromotions',
    summary: 'Promotions of the tenants the caller may see, newest first',
    auth: 'scope',
    tag: 'policy',
    schema: {
      querystring: PromotionListQuery,
      response: { 200: PromotionListSchema, ...errors(400, 401, 404) },
    },
  },
  getPromotion: {
    method: 'GET',
    url: '/api/promotions/:id',
    operationId: 'getPromotion',
    summary: 'One promotion: its change, figures, decision and override',
    auth: 'scope',
    tag: 'policy',
    schema: {
      params: PromotionIdParams,
      response: { 200: PromotionSchema, ...errors(400, 401, 404) },
    },
  },
  overridePromotion: {
    method: 'POST',
    url: '/api/promotions/:id/override',
    operationId: 'overridePromotion',
    summary: 'Override a denial with a reason (admin): the change is applied and audited',
    auth: 'admin',
    tag: 'policy',
    schema: {
      params: PromotionIdParams,
      body: OverrideBody,
      response: { 200: PromotionSchema, ...errors(400, 401, 403, 404, 409, 415) },
    },
  },
  getAudit: {
    method: 'GET',
    url: '/api/audit',
    operationId: 'getAudit',
    summary: 'The policy audit log, newest first, each row with its chained hash (admin)',
    auth: 'admin',
    tag: 'policy',
    schema: {
      querystring: AuditQuery,
      response: { 200: AuditPageSchema, ...errors(400, 401, 403) },
    },
  },
  analyzeImpact: {
    method: 'POST',
    url: '/api/policy/impact',
    operationId: 'analyzeImpact',
    summary:
      'Weigh modified policies (admin): the recent promotions and the tenants today whose decision would flip',
    auth: 'admin',
    tag: 'policy',
    schema: {
      body: ImpactBody,
      response: { 200: ImpactReportSchema, ...errors(400, 401, 403, 413, 415) },
    },
  },
} satisfies Record<string, RouteSpec>;

export type PolicyRouteName = keyof typeof POLICY_ROUTES;

/** Registers a route of the table; an admin route checks the role before the body is read. */
export function addPolicyRoute(
  context: Pick<OpsContext, 'fastify' | 'requireAdmin'>,
  name: PolicyRouteName,
  handler: RouteHandler,
  bodyLimit?: number,
): void {
  addSpecRoute(context, POLICY_ROUTES[name], handler, bodyLimit);
}
