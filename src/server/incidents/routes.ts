// The Kaizen REST API under /api: tickets, MTTR, the Alertmanager receiver and the OpenAPI
// document. Registered as an encapsulated plugin, so its error handler (JSON `{ error, message }`
// naming the faulty field) applies to these routes only.
import { randomUUID } from 'node:crypto';
import type {
  FastifyError,
  FastifyInstance,
  FastifyPluginAsync,
  FastifyReply,
  FastifyRequest,
} from 'fastify';
import { bearerMatches, receiveAlerts, type AlertmanagerPayload } from './alertmanager';
import type { Kaizen } from './kaizen';
import { computeMttr } from './mttr';
import { buildOpenApiDocument, type RouteSpec } from './openapi';
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
  TENANT_PATTERN,
} from './schemas';
import { TicketError, type TicketErrorCode } from './store';
import {
  AUTO,
  type Outcome,
  type Severity,
  type TicketRecord,
  type TicketEventRecord,
  type TicketSource,
  type TicketStatus,
} from './types';
import { parseWindow, WINDOW_PATTERN, WindowError } from './windows';

/** What the caller may do, from its credentials (the tenant registry's principal). */
export interface KaizenScope {
  /** Tenants whose tickets the caller may see; others answer 404 as if they did not exist. */
  tenants: ReadonlySet<string>;
  /** Tenants whose tickets it may change; defaults to `tenants`. Visible but not here: 403. */
  writableTenants?: ReadonlySet<string>;
  /** The person behind the credentials; when set, it is the actor and a body's `by` is ignored. */
  actor?: string;
}

export type ScopeRefusal = { status: 401 | 403; message: string };
export type ResolveScope = (
  request: FastifyRequest,
) => KaizenScope | ScopeRefusal | Promise<KaizenScope | ScopeRefusal>;

export interface KaizenRoutesOptions {
  kaizen: Kaizen;
  resolveScope: ResolveScope;
}

const ERROR_CODES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  500: 'internal',
};

const TICKET_ERROR_STATUS: Record<TicketErrorCode, number> = {
  not_found: 404,
  conflict: 409,
  invalid: 400,
  too_large: 413,
};

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const errors = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((s) => [s, ErrorSchema])) as Record<number, object>;

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

export function ticketJson(ticket: TicketRecord) {
  return {
    id: ticket.id,
    tenant: ticket.tenantId,
    visibility: ticket.visibility,
    title: ticket.title,
    severity: ticket.severity,
    source: ticket.source,
    fingerprint: ticket.fingerprint,
    status: ticket.status,
    openedAt: iso(ticket.openedAtMs),
    acknowledgedAt: iso(ticket.acknowledgedAtMs),
    resolvedAt: iso(ticket.resolvedAtMs),
    resolvedBy: ticket.resolvedBy,
    outcome: ticket.outcome,
    resolutionSeconds:
      ticket.resolvedAtMs === null ? null : (ticket.resolvedAtMs - ticket.openedAtMs) / 1000,
    summary: ticket.summary,
    reopenCount: ticket.reopenCount,
    noteCount: ticket.noteCount,
  };
}

function eventJson(event: TicketEventRecord) {
  return {
    id: event.id,
    at: iso(event.atMs),
    kind: event.kind,
    actor: event.actor,
    detail: event.detail,
  };
}

// The route table: registration and the OpenAPI document both read it.
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
    auth: 'scope',
    schema: {
      body: CreateTicketBody,
      response: {
        200: CreateTicketResponse,
        201: CreateTicketResponse,
        ...errors(400, 401, 403, 404, 413, 415),
      },
    },
  },
  acknowledgeTicket: {
    method: 'POST',
    url: '/api/tickets/:id/ack',
    operationId: 'acknowledgeTicket',
    summary: 'Acknowledge an open ticket (idempotent; a resolved one is 409)',
    auth: 'scope',
    schema: {
      params: TicketIdParams,
      body: ActorBody,
      response: { 200: TicketSchema, ...errors(400, 401, 403, 404, 409, 415) },
    },
  },
  resolveTicket: {
    method: 'POST',
    url: '/api/tickets/:id/resolve',
    operationId: 'resolveTicket',
    summary: 'Resolve a ticket as a person, with the outcome of the alert',
    auth: 'scope',
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
    auth: 'scope',
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
      response: { 200: AlertmanagerResponse, ...errors(400, 401, 413, 415) },
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

function jsonPointerPath(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((part) => (/^\d+$/.test(part) ? `[${part}]` : `.${part}`))
    .join('');
}

function valueAt(root: unknown, pointer: string): unknown {
  let value = root;
  for (const part of pointer.split('/').slice(1)) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return value;
}

const PATTERN_NAMES: Record<string, string> = {
  [WINDOW_PATTERN]: 'a count and a unit m, h or d (like 15m, 24h, 7d)',
  [TENANT_PATTERN]:
    'a tenant id (a-z, 0-9, - and _, at most 63 characters, not starting with - or _)',
};

const shown = (value: unknown): string =>
  value === undefined ? 'nothing' : (JSON.stringify(value)?.slice(0, 60) ?? String(value));

/** `body.alerts[2].labels.severity must be one of critical, error, warning, info, got "page"` */
function validationMessage(error: FastifyError, request: FastifyRequest): string {
  const context = error.validationContext ?? 'body';
  const first = error.validation?.[0];
  if (!first) return error.message;
  const root =
    context === 'querystring'
      ? request.query
      : context === 'params'
        ? request.params
        : request.body;
  const where = `${context}${jsonPointerPath(first.instancePath)}`;
  const params = first.params as Record<string, unknown>;
  const value = valueAt(root, first.instancePath);
  switch (first.keyword) {
    case 'required':
      return `${where}.${String(params.missingProperty)} is required`;
    case 'enum':
      return `${where} must be one of ${(params.allowedValues as unknown[]).join(', ')}, got ${shown(value)}`;
    case 'maxLength':
      return `${where} is ${String(value).length} characters; at most ${String(params.limit)} allowed`;
    case 'pattern':
      return `${where} must be ${PATTERN_NAMES[String(params.pattern)] ?? `like ${String(params.pattern)}`}, got ${shown(value)}`;
    case 'type':
      return `${where} must be ${String(params.type)}, got ${shown(value)}`;
    default:
      return `${where} ${first.message ?? 'is invalid'}, got ${shown(value)}`;
  }
}

const kaizenRoutesPlugin: FastifyPluginAsync<KaizenRoutesOptions> = async (fastify, options) => {
  const { kaizen, resolveScope } = options;
  const { store } = kaizen;
  const openApi = buildOpenApiDocument(Object.values(KAIZEN_ROUTES));

  fastify.setErrorHandler((error: FastifyError, request, reply) => {
    let status: number;
    let message: string;
    if (error.validation) {
      status = 400;
      message = validationMessage(error, request);
    } else if (error instanceof TicketError) {
      status = TICKET_ERROR_STATUS[error.code];
      message = error.message;
    } else if (error instanceof WindowError) {
      status = 400;
      message = error.message.replace(/^\[kaizen\] /, '');
    } else if (error instanceof HttpError) {
      status = error.status;
      message = error.message;
    } else if (
      error.statusCode !== undefined &&
      error.statusCode >= 400 &&
      error.statusCode < 500
    ) {
      status = error.statusCode; // body too large, bad JSON, wrong content type
      message = error.message;
    } else {
      request.log.error(error);
      status = 500;
      message = 'internal error; the server log has the details';
    }
    return reply.code(status).send({ error: ERROR_CODES[status] ?? 'error', message });
  });

  const scopeOf = async (request: FastifyRequest): Promise<KaizenScope> => {
    const scope = await resolveScope(request);
    if ('status' in scope) throw new HttpError(scope.status, scope.message);
    return scope;
  };

  const requireVisibleTenant = (scope: KaizenScope, tenantId: string): void => {
    if (!scope.tenants.has(tenantId)) {
      throw new HttpError(404, `no tenant "${tenantId}" among those you may see`);
    }
  };

  /** The ticket, if the caller may see it: others are 404 exactly like missing ones. */
  const visibleTicket = (scope: KaizenScope, id: number): TicketRecord => {
    const ticket = store.get(id);
    if (!ticket || !scope.tenants.has(ticket.tenantId)) throw new HttpError(404, `no ticket ${id}`);
    return ticket;
  };

  const requireWritable = (scope: KaizenScope, tenantId: string): void => {
    if (scope.writableTenants && !scope.writableTenants.has(tenantId)) {
      throw new HttpError(
        403,
        `changing tickets of tenant "${tenantId}" needs credentials that grant it`,
      );
    }
  };

  const actorOf = (scope: KaizenScope, by: string | undefined): string => {
    const actor = scope.actor ?? by;
    if (actor === undefined) throw new HttpError(400, 'body.by is required (who acts)');
    if (actor === AUTO)
      throw new HttpError(400, `body.by "${AUTO}" is reserved for automatic resolution`);
    return actor;
  };

  const route = <R extends keyof typeof KAIZEN_ROUTES>(
    name: R,
    handler: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>,
    bodyLimit?: number,
  ): void => {
    const spec: RouteSpec = KAIZEN_ROUTES[name];
    fastify.route({
      method: spec.method,
      url: spec.url,
      schema: spec.schema,
      ...(bodyLimit ? { bodyLimit } : {}),
      handler,
    });
  };

  route('listTickets', async (request) => {
    const scope = await scopeOf(request);
    const q = request.query as {
      tenant?: string;
      severity?: Severity[];
      status?: TicketStatus[];
      source?: TicketSource[];
      resolvedBy?: 'auto' | 'person';
      window?: string;
      windowOn: 'opened' | 'resolved';
      limit: number;
      cursor?: string;
    };
    if (q.tenant !== undefined) requireVisibleTenant(scope, q.tenant);
    const sinceMs = q.window === undefined ? undefined : kaizen.now() - parseWindow(q.window);
    const page = store.list(
      {
        tenants: scope.tenants,
        tenant: q.tenant,
        severities: q.severity,
        statuses: q.status,
        sources: q.source,
        resolvedBy: q.resolvedBy,
        openedSinceMs: q.windowOn === 'opened' ? sinceMs : undefined,
        resolvedSinceMs: q.windowOn === 'resolved' ? sinceMs : undefined,
      },
      { limit: q.limit, cursor: q.cursor },
    );
    return {
      tickets: page.tickets.map(ticketJson),
      total: page.total,
      nextCursor: page.nextCursor,
    };
  });

  route('getTicket', async (request) => {
    const scope = await scopeOf(request);
    const { id } = request.params as { id: number };
    visibleTicket(scope, id);
    const detail = store.get(id)!;
    return { ticket: ticketJson(detail), events: detail.events.map(eventJson) };
  });

  route(
    'createTicket',
    async (request, reply) => {
      const scope = await scopeOf(request);
      const body = request.body as {
        tenant: string;
        title: string;
        severity: Severity;
        summary?: string;
        fingerprint?: string;
        by?: string;
      };
      requireVisibleTenant(scope, body.tenant);
      requireWritable(scope, body.tenant);
      const actor = actorOf(scope, body.by);
      const { result, ticket } = store.openOrDedup({
        tenantId: body.tenant,
        visibility: kaizen.visibilityOf(body.tenant),
        title: body.title,
        severity: body.severity,
        source: 'manual',
        fingerprint: body.fingerprint ?? `manual:${randomUUID()}`,
        summary: body.summary,
        actor,
      });
      return reply
        .code(result === 'opened' ? 201 : 200)
        .send({ result, ticket: ticketJson(ticket) });
    },
    64 * 1024,
  );

  route('acknowledgeTicket', async (request) => {
    const scope = await scopeOf(request);
    const { id } = request.params as { id: number };
    const ticket = visibleTicket(scope, id);
    requireWritable(scope, ticket.tenantId);
    const actor = actorOf(scope, (request.body as { by?: string } | undefined)?.by);
    return ticketJson(store.acknowledge(id, actor));
  });

  route(
    'resolveTicket',
    async (request) => {
      const scope = await scopeOf(request);
      const { id } = request.params as { id: number };
      const body = request.body as { by?: string; outcome: Outcome; note?: string };
      const ticket = visibleTicket(scope, id);
      requireWritable(scope, ticket.tenantId);
      const by = actorOf(scope, body.by);
      return ticketJson(store.resolve(id, { by, outcome: body.outcome, detail: body.note }));
    },
    64 * 1024,
  );

  route(
    'addNote',
    async (request, reply) => {
      const scope = await scopeOf(request);
      const { id } = request.params as { id: number };
      const body = request.body as { by?: string; text: string };
      const ticket = visibleTicket(scope, id);
      requireWritable(scope, ticket.tenantId);
      const event = store.addNote(id, actorOf(scope, body.by), body.text);
      return reply.code(201).send(eventJson(event));
    },
    64 * 1024,
  );

  route('getMttr', async (request) => {
    const scope = await scopeOf(request);
    const q = request.query as { tenant?: string; window: string };
    if (q.tenant !== undefined) requireVisibleTenant(scope, q.tenant);
    const windowMs = parseWindow(q.window);
    const toMs = kaizen.now();
    const fromMs = toMs - windowMs;
    const filter = { tenants: scope.tenants, tenant: q.tenant };
    const report = computeMttr(store.resolvedBetween(filter, fromMs, toMs), { fromMs, toMs });
    const open = new Map<Severity, number>();
    for (const row of store.unresolvedCounts()) {
      if (!scope.tenants.has(row.tenantId)) continue;
      if (q.tenant !== undefined && row.tenantId !== q.tenant) continue;
      open.set(row.severity, (open.get(row.severity) ?? 0) + row.count);
    }
    return {
      tenant: q.tenant ?? null,
      window: q.window,
      from: iso(fromMs),
      to: iso(toMs),
      bucketSeconds: report.bucketMs / 1000,
      severities: report.severities.map((s) => {
        const drill = new URLSearchParams({
          ...(q.tenant !== undefined ? { tenant: q.tenant } : {}),
          severity: s.severity,
          status: 'resolved',
          window: q.window,
          windowOn: 'resolved',
        });
        return {
          severity: s.severity,
          all: s.all,
          auto: s.auto,
          person: s.person,
          open: open.get(s.severity) ?? 0,
          trend: s.trend.map((p) => ({
            start: iso(p.startMs),
            count: p.count,
            meanSeconds: p.meanSeconds,
            medianSeconds: p.medianSeconds,
          })),
          tickets: `/api/tickets?${drill.toString()}`,
        };
      }),
    };
  });

  route(
    'receiveAlertmanager',
    async (request, reply) => {
      const token = kaizen.config.alertmanagerToken;
      if (token !== null && !bearerMatches(request.headers.authorization, token)) {
        reply.header('www-authenticate', 'Bearer realm="alertmanager"');
        throw new HttpError(
          401,
          'the Alertmanager webhook needs "Authorization: Bearer TOKEN" (ALERTMANAGER_TOKEN)',
        );
      }
      return receiveAlerts(kaizen, request.body as AlertmanagerPayload);
    },
    4 * 1024 * 1024,
  );

  route('openApi', async () => openApi);
};

/** Adds the Kaizen routes to `fastify` (before it listens). */
export function registerKaizenRoutes(fastify: FastifyInstance, options: KaizenRoutesOptions): void {
  fastify.register(kaizenRoutesPlugin, options);
}

/** For tests and tools: every tenant visible and writable, no person behind the calls. */
export function allTenantsScope(tenants: Iterable<string>): ResolveScope {
  const scope: KaizenScope = { tenants: new Set(tenants) };
  return () => scope;
}
