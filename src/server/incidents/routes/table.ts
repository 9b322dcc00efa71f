// The tickets API's route table: registration and the OpenAPI document both read it, so what is
// served and what is documented are one list. Each resource's module adds its routes through
// addRoute by name.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RouteSpec } from '../openapi';
import type { RouteContext } from './context';
import { RCA_ROUTES } from './rca-table';
import {
  ActorBody,
  AlertmanagerBody,
  AlertmanagerResponse,
  CreateTicketBody,
  CreateTicketResponse,
  ErrorSchema,
  MttrQuery,
  MttrResponse,
  NoteBody,
  ResolveBody,
  TicketDetailSchema,
  TicketEventSchema,
  TicketIdParams,
  TicketListQuery,
  TicketPageSchema,
  TicketSchema,
} from '../schemas';

const errors = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((s) => [s, ErrorSchema])) as Record<number, object>;

export const KAIZEN_ROUTES = {
  listTickets: {
    method: 'GET',
    url: '/api/tickets',
    operationId: 'listTickets',
    summary: 'Tickets of the tenants the caller may see, newest first, with filters and paging',
    auth: 'scope',
    schema: {
      querystring: TicketListQuery,
      response: { 200: TicketPageSchema, ...errors(400, 401, 403, 404) },
    },
  },
  getTicket: {
    method: 'GET',
    url: '/api/tickets/:id',
    operationId: 'getTicket',
    summary: 'One ticket with its timeline',
    auth: 'scope',
    schema: {
      params: TicketIdParams,
      response: { 200: TicketDetailSchema, ...errors(400, 401, 403, 404) },
    },
  },
  createTicket: {
    method: 'POST',
    url: '/api/tickets',
    operationId: 'createTicket',
    summary: 'Open a ticket by hand (201), or deduplicate into / reopen one by fingerprint (200)',
    auth: 'write',
    schema: {
      body: CreateTicketBody,
      response: {
        200: CreateTicketResponse,
        201: CreateTicketResponse,
        ...errors(400, 401, 403, 404, 413, 415, 429),
      },
    },
  },
  acknowledgeTicket: {
    method: 'POST',
    url: '/api/tickets/:id/ack',
    operationId: 'acknowledgeTicket',
    summary: 'Acknowledge an open ticket (idempotent; a resolved one is 409)',
    auth: 'write',
    schema: {
      params: TicketIdParams,
      body: ActorBody,
      response: { 200: TicketSchema, ...errors(400, 401, 403, 404, 409, 413, 415) },
    },
  },
  resolveTicket: {
    method: 'POST',
    url: '/api/tickets/:id/resolve',
    operationId: 'resolveTicket',
    summary: 'Resolve a ticket as a person, with the outcome of the alert',
    auth: 'write',
    schema: {
      params: TicketIdParams,
      body: ResolveBody,
      response: { 200: TicketSchema, ...errors(400, 401, 403, 404, 409, 413, 415) },
    },
  },
  addNote: {
    method: 'POST',
    url: '/api/tickets/:id/notes',
    operationId: 'addNote',
    summary: 'Add a note to the timeline (at most 10,000 characters)',
    auth: 'write',
    schema: {
      params: TicketIdParams,
      body: NoteBody,
      response: { 201: TicketEventSchema, ...errors(400, 401, 403, 404, 413, 415) },
    },
  },
  getMttr: {
    method: 'GET',
    url: '/api/mttr',
    operationId: 'getMttr',
    summary: 'Time to resolve per severity over a window: count, mean, median, p90, trend',
    auth: 'scope',
    schema: {
      querystring: MttrQuery,
      response: { 200: MttrResponse, ...errors(400, 401, 403, 404) },
    },
  },
  receiveAlertmanager: {
    method: 'POST',
    url: '/api/alertmanager',
    operationId: 'receiveAlertmanager',
    summary: "Alertmanager's webhook (payload version 4): firing opens, resolved resolves",
    description:
      'Tenant from the tenant_id label (else the server default), severity from the severity ' +
      'label (critical, error, warning or info; anything else rejects the request), matched by ' +
      'fingerprint. All or nothing: a 4xx stores none of the alerts.',
    auth: 'alertmanager',
    schema: {
      body: AlertmanagerBody,
      response: { 200: AlertmanagerResponse, ...errors(400, 401, 413, 415, 429) },
    },
  },
  openApi: {
    method: 'GET',
    url: '/api/openapi.json',
    operationId: 'getOpenApi',
    summary: 'This document',
    auth: 'none',
    schema: { response: {} },
  },
} satisfies Record<string, RouteSpec>;

/** The tickets' routes and their RCA's (rca-table.ts), which are served with an RCA service. */
const ROUTES = { ...KAIZEN_ROUTES, ...RCA_ROUTES };

export type RouteName = keyof typeof ROUTES;

export type RouteHandler = (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

/**
 * Registers the route of the table named `name`. Its credentials are checked in onRequest, before
 * Fastify reads and validates the body, so an anonymous or unauthorised caller costs no parsing.
 */
export function addRoute(
  { fastify, guards }: RouteContext,
  name: RouteName,
  handler: RouteHandler,
  bodyLimit?: number,
): void {
  const spec: RouteSpec = ROUTES[name];
  routeFromSpec(fastify, spec, handler, {
    bodyLimit,
    onRequest: (request) => guards.authenticate(request, spec.auth),
  });
}

/**
 * Registers a route as its table entry describes it: the schema validates and serializes, and
 * `onRequest` (the credentials check) runs before the body is read.
 */
export function routeFromSpec(
  fastify: FastifyInstance,
  spec: RouteSpec,
  handler: RouteHandler,
  options: { bodyLimit?: number; onRequest?: (request: FastifyRequest) => Promise<void> } = {},
): void {
  fastify.route({
    method: spec.method,
    url: spec.url,
    schema: spec.schema,
    ...(options.bodyLimit ? { bodyLimit: options.bodyLimit } : {}),
    ...(options.onRequest ? { onRequest: options.onRequest } : {}),
    handler,
  });
}
