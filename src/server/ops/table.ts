// The route table of the launch tooling under /api (observer mode, held notifications, decision
// gates, baselines, browser reports): registration and the OpenAPI document both read it.
import type { FastifyRequest } from 'fastify';
import type { OpsContext } from './context';
import { routeFromSpec, type RouteHandler } from '../incidents/routes/table';
import type { RouteSpec } from '../incidents/openapi';
import { ErrorSchema } from '../incidents/schemas';
import {
  HeldChangeResultSchema,
  HeldSelectionBody,
  NotificationListQuery,
  NotificationListSchema,
  ObserverChangeBody,
  ObserverStatusSchema,
} from './observer-schemas';
import {
  GatesReportSchema,
  SdkDemandBody,
  SdkDemandListSchema,
  SdkDemandRecordSchema,
} from './gates-schemas';
import {
  BaselineComparisonSchema,
  BaselineListSchema,
  BaselineNameParams,
  BaselineSchema,
} from './baselines-schemas';
import {
  ClientReportBatchBody,
  ClientReportListQuery,
  ClientReportListSchema,
  ClientReportReceiptSchema,
} from './client-reports-schemas';
import { TokenIdParams, TokenRevocationSchema } from './tokens-schemas';

/** The error answers of a route, one schema for each status. */
export const errors = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((s) => [s, ErrorSchema])) as Record<number, object>;

export const OPS_ROUTES = {
  getObserver: {
    method: 'GET',
    url: '/api/observer',
    operationId: 'getObserver',
    summary: 'Whether observer mode holds notifications, since when, and how many are held',
    auth: 'none',
    tag: 'launch',
    schema: { response: { 200: ObserverStatusSchema } },
  },
  setObserver: {
    method: 'PUT',
    url: '/api/observer',
    operationId: 'setObserver',
    summary: 'Switch observer mode on or off (admin)',
    auth: 'admin',
    tag: 'launch',
    schema: {
      body: ObserverChangeBody,
      response: { 200: ObserverStatusSchema, ...errors(400, 401, 403, 415) },
    },
  },
  listNotifications: {
    method: 'GET',
    url: '/api/notifications',
    operationId: 'listNotifications',
    summary: 'Notifications of the outbox by status, held ones by default, oldest first (admin)',
    auth: 'admin',
    tag: 'launch',
    schema: {
      querystring: NotificationListQuery,
      response: { 200: NotificationListSchema, ...errors(400, 401, 403) },
    },
  },
  releaseNotifications: {
    method: 'POST',
    url: '/api/notifications/release',
    operationId: 'releaseNotifications',
    summary: 'Send held notifications: some ids, or all (admin)',
    auth: 'admin',
    tag: 'launch',
    schema: {
      body: HeldSelectionBody,
      response: { 200: HeldChangeResultSchema, ...errors(400, 401, 403, 415) },
    },
  },
  discardNotifications: {
    method: 'POST',
    url: '/api/notifications/discard',
    operationId: 'discardNotifications',
    summary: 'Drop held notifications for good: some ids, or all (admin)',
    auth: 'admin',
    tag: 'launch',
    schema: {
      body: HeldSelectionBody,
      response: { 200: HeldChangeResultSchema, ...errors(400, 401, 403, 415) },
    },
  },
  getGates: {
    method: 'GET',
    url: '/api/gates',
    operationId: 'getGates',
    summary:
      "The decision gates (Phase 0, wire format): each condition's live value, threshold and verdict",
    auth: 'none',
    tag: 'launch',
    schema: { response: { 200: GatesReportSchema, ...errors(401) } },
  },
  listSdkDemand: {
    method: 'GET',
    url: '/api/gates/sdk-demand',
    operationId: 'listSdkDemand',
    summary: 'External SDK demand recorded for the wire-format gate, with reasons (a token)',
    auth: 'scope',
    tag: 'launch',
    schema: { response: { 200: SdkDemandListSchema, ...errors(401) } },
  },
  recordSdkDemand: {
    method: 'POST',
    url: '/api/gates/sdk-demand',
    operationId: 'recordSdkDemand',
    summary: 'Record external SDK demand with a reason (admin)',
    auth: 'admin',
    tag: 'launch',
    schema: {
      body: SdkDemandBody,
      response: { 201: SdkDemandRecordSchema, ...errors(400, 401, 403, 415) },
    },
  },
  listBaselines: {
    method: 'GET',
    url: '/api/baselines',
    operationId: 'listBaselines',
    summary: 'The baselines (npm run kaizen -- baseline create), oldest first, each with its hash',
    auth: 'none',
    tag: 'launch',
    schema: { response: { 200: BaselineListSchema, ...errors(401) } },
  },
  getBaseline: {
    method: 'GET',
    url: '/api/baselines/:name',
    operationId: 'getBaseline',
    summary: 'One baseline: its snapshot, per-tenant figures of the tenants the caller may see',
    auth: 'none',
    tag: 'launch',
    schema: {
      params: BaselineNameParams,
      response: { 200: BaselineSchema, ...errors(400, 401, 404, 409) },
    },
  },
  compareBaseline: {
    method: 'GET',
    url: '/api/baselines/:name/comparison',
    operationId: 'compareBaseline',
    summary: 'A baseline and the same figures now, over a window as long as its own',
    auth: 'none',
    tag: 'launch',
    schema: {
      params: BaselineNameParams,
      response: { 200: BaselineComparisonSchema, ...errors(400, 401, 404, 409) },
    },
  },
  postClientReports: {
    method: 'POST',
    url: '/api/client-reports',
    operationId: 'postClientReports',
    summary: "The app's errors and rendering warnings (anonymous, rate-limited per client, 64 KiB)",
    auth: 'none',
    tag: 'launch',
    schema: {
      body: ClientReportBatchBody,
      response: { 202: ClientReportReceiptSchema, ...errors(400, 413, 415, 429) },
    },
  },
  listClientReports: {
    method: 'GET',
    url: '/api/client-reports',
    operationId: 'listClientReports',
    summary: 'Browser reports, newest first, with counts per kind (admin)',
    auth: 'admin',
    tag: 'launch',
    schema: {
      querystring: ClientReportListQuery,
      response: { 200: ClientReportListSchema, ...errors(400, 401, 403) },
    },
  },
  revokeToken: {
    method: 'POST',
    url: '/api/tokens/:tokenId/revoke',
    operationId: 'revokeToken',
    summary: 'Revoke a token: its connections close on every server of the cluster (admin)',
    auth: 'admin',
    tag: 'console',
    schema: {
      params: TokenIdParams,
      response: { 200: TokenRevocationSchema, ...errors(400, 401, 403, 404) },
    },
  },
} satisfies Record<string, RouteSpec>;

export type OpsRouteName = keyof typeof OPS_ROUTES;

/**
 * Registers the route of the table named `name`. An admin route checks the caller's role in
 * onRequest, before Fastify reads the body; its handler asks again for the actor it records.
 */
export function addOpsRoute(
  context: Pick<OpsContext, 'fastify' | 'requireAdmin'>,
  name: OpsRouteName,
  handler: RouteHandler,
  bodyLimit?: number,
): void {
  addSpecRoute(context, OPS_ROUTES[name], handler, bodyLimit);
}

/** Registers a route of the launch tooling's tables from its spec, with the admin check above. */
export function addSpecRoute(
  { fastify, requireAdmin }: Pick<OpsContext, 'fastify' | 'requireAdmin'>,
  spec: RouteSpec,
  handler: RouteHandler,
  bodyLimit?: number,
): void {
  routeFromSpec(fastify, spec, handler, {
    bodyLimit,
    ...(spec.auth === 'admin'
      ? {
          onRequest: async (request: FastifyRequest) => {
            requireAdmin(request);
          },
        }
      : {}),
  });
}
