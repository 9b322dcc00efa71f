// JSON schemas of the Kaizen API. The routes validate and serialize with these very objects and
// the OpenAPI document is generated from them, so the document cannot drift from the code; each
// answer's schema is checked against its core/api type, so neither can the TypeScript shapes.
import type { AlertmanagerResult } from '../../core/api/alertmanager';
import type { ErrorBody } from '../../core/api/errors';
import type {
  CreateTicketResult,
  MttrReport,
  ResolutionStats,
  SeverityMttr,
  Ticket,
  TicketDetail,
  TicketEvent,
  TicketPage,
  TrendPoint,
} from '../../core/api/tickets';
import { TENANT_ID_SOURCE } from '../../core/tenant-id';
import {
  EVENT_KINDS,
  OPEN_RESULTS,
  MAX_ACTOR_CHARS,
  MAX_FINGERPRINT_CHARS,
  MAX_NOTE_CHARS,
  MAX_TITLE_CHARS,
  OUTCOMES,
  SEVERITIES,
  SOURCES,
  STATUSES,
  VISIBILITIES,
} from './types';
import { WINDOW_PATTERN } from './windows';

/**
 * An object schema with a property for each field of T and no other: fastify serializes answers
 * with these schemas and silently drops a field they lack, so a field added to a core/api shape
 * without its schema, or a schema field the shape does not have, fails to compile instead.
 */
export type ObjectSchemaOf<T> = {
  type: 'object';
  required: readonly (keyof T)[];
  properties: { [K in keyof T]-?: object };
};

/** Same rule as the tenant registry's ids. */
export const TENANT_PATTERN = TENANT_ID_SOURCE;
export const MAX_PAGE_LIMIT = 200;
export const MAX_ALERTS_PER_REQUEST = 1000;

const isoTime = { type: 'string', format: 'date-time' } as const;
const nullableIsoTime = { type: ['string', 'null'], format: 'date-time' } as const;
const tenant = {
  type: 'string',
  pattern: TENANT_PATTERN,
  description: 'Tenant id: lower-case letters, digits, - and _, at most 63 characters.',
} as const;
const actor = {
  type: 'string',
  minLength: 1,
  maxLength: MAX_ACTOR_CHARS,
  description:
    'Who acts (a person\'s name). Required unless the caller\'s credentials name a person; "auto" is reserved.',
} as const;
const windowParam = {
  type: 'string',
  pattern: WINDOW_PATTERN,
  description: 'A trailing window: a count and a unit m, h or d (15m, 24h, 7d, 30d); at most 366d.',
} as const;

export const ErrorSchema = {
  type: 'object',
  required: ['error', 'message'],
  properties: {
    error: {
      type: 'string',
      description: 'Machine-readable code: bad_request, unauthorized, forbidden, not_found, ...',
    },
    message: { type: 'string', description: 'What was wrong, naming the field.' },
  },
} as const satisfies ObjectSchemaOf<ErrorBody>;

export const TicketSchema = {
  type: 'object',
  required: [
    'id',
    'tenant',
    'visibility',
    'title',
    'severity',
    'source',
    'fingerprint',
    'status',
    'openedAt',
    'receivedAt',
    'acknowledgedAt',
    'resolvedAt',
    'resolvedBy',
    'outcome',
    'resolutionSeconds',
    'summary',
    'reopenCount',
    'noteCount',
  ],
  properties: {
    id: { type: 'integer' },
    tenant,
    visibility: { type: 'string', enum: VISIBILITIES },
    title: { type: 'string' },
    severity: { type: 'string', enum: SEVERITIES },
    source: { type: 'string', enum: SOURCES },
    fingerprint: { type: 'string', description: 'Deduplication key within the tenant.' },
    status: { type: 'string', enum: STATUSES },
    openedAt: { ...isoTime, description: "When the incident began: an alert's startsAt." },
    receivedAt: {
      ...isoTime,
      description:
        "When the console recorded the ticket (its opened event): an alert's webhook arrival.",
    },
    acknowledgedAt: nullableIsoTime,
    resolvedAt: nullableIsoTime,
    resolvedBy: {
      type: ['string', 'null'],
      description: '"auto" when it resolved by itself, else the name of the person.',
    },
    outcome: {
      type: ['string', 'null'],
      enum: [...OUTCOMES, null],
      description: 'Set when a person resolves it.',
    },
    resolutionSeconds: {
      type: ['number', 'null'],
      description: 'resolvedAt - openedAt, the figure MTTR averages.',
    },
    summary: { type: 'string' },
    reopenCount: {
      type: 'integer',
      description: 'Times it fired again within the reopen window after resolving.',
    },
    noteCount: { type: 'integer' },
  },
} as const satisfies ObjectSchemaOf<Ticket>;

export const TicketEventSchema = {
  type: 'object',
  required: ['id', 'at', 'kind', 'actor', 'detail'],
  properties: {
    id: { type: 'integer' },
    at: isoTime,
    kind: { type: 'string', enum: EVENT_KINDS },
    actor: { type: 'string' },
    detail: { type: 'string' },
  },
} as const satisfies ObjectSchemaOf<TicketEvent>;

export const TicketDetailSchema = {
  type: 'object',
  required: ['ticket', 'events'],
  properties: {
    ticket: TicketSchema,
    events: { type: 'array', items: TicketEventSchema, description: 'Timeline, oldest first.' },
  },
} as const satisfies ObjectSchemaOf<TicketDetail>;

export const TicketPageSchema = {
  type: 'object',
  required: ['tickets', 'total', 'nextCursor'],
  properties: {
    tickets: { type: 'array', items: TicketSchema },
    total: { type: 'integer', description: 'Tickets matching the filters, on all pages.' },
    nextCursor: { type: ['string', 'null'], description: 'Pass as cursor for the next page.' },
  },
} as const satisfies ObjectSchemaOf<TicketPage>;

const enumList = (values: readonly string[], what: string) => ({
  type: 'array',
  items: { type: 'string', enum: values },
  description: `${what}; repeat the parameter for several (${values.join(', ')}).`,
});

export const TicketListQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    tenant,
    severity: enumList(SEVERITIES, 'Severities'),
    status: enumList(STATUSES, 'Statuses'),
    source: enumList(SOURCES, 'Sources'),
    resolvedBy: {
      type: 'string',
      enum: ['auto', 'person'],
      description: 'Only tickets resolved automatically, or by a person.',
    },
    window: windowParam,
    windowOn: {
      type: 'string',
      enum: ['opened', 'resolved'],
      default: 'opened',
      description: 'Whether window bounds openedAt or resolvedAt (MTTR drill-downs use resolved).',
    },
    limit: { type: 'integer', minimum: 1, maximum: MAX_PAGE_LIMIT, default: 50 },
    cursor: { type: 'string', maxLength: 100, description: 'nextCursor of the previous page.' },
  },
} as const;

export const TicketIdParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER } },
} as const;

export const CreateTicketBody = {
  type: 'object',
  required: ['tenant', 'title', 'severity'],
  additionalProperties: false,
  properties: {
    tenant,
    title: { type: 'string', minLength: 1, maxLength: MAX_TITLE_CHARS },
    severity: { type: 'string', enum: SEVERITIES },
    summary: { type: 'string', maxLength: MAX_NOTE_CHARS },
    fingerprint: {
      type: 'string',
      minLength: 1,
      maxLength: MAX_FINGERPRINT_CHARS,
      description: 'Give one to deduplicate repeated reports of one incident; default: unique.',
    },
    by: actor,
  },
} as const;

export const CreateTicketResponse = {
  type: 'object',
  required: ['result', 'ticket'],
  properties: {
    result: { type: 'string', enum: OPEN_RESULTS },
    ticket: TicketSchema,
  },
} as const satisfies ObjectSchemaOf<CreateTicketResult>;

export const ActorBody = {
  type: 'object',
  additionalProperties: false,
  properties: { by: actor },
} as const;

export const ResolveBody = {
  type: 'object',
  required: ['outcome'],
  additionalProperties: false,
  properties: {
    by: actor,
    outcome: {
      type: 'string',
      enum: OUTCOMES,
      description: 'Was the alert worth raising? Counted in kaizen_alerts_total{outcome}.',
    },
    note: { type: 'string', maxLength: MAX_NOTE_CHARS, description: 'Added to the timeline.' },
  },
} as const;

export const NoteBody = {
  type: 'object',
  required: ['text'],
  additionalProperties: false,
  properties: {
    by: actor,
    text: { type: 'string', minLength: 1, maxLength: MAX_NOTE_CHARS },
  },
} as const;

export const MttrQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { tenant, window: { ...windowParam, default: '24h' } },
} as const;

const nullableSeconds = { type: ['number', 'null'] } as const;

export const ResolutionStatsSchema = {
  type: 'object',
  required: ['count', 'meanSeconds', 'medianSeconds', 'p90Seconds'],
  properties: {
    count: { type: 'integer', description: 'Tickets behind the figures; null figures when 0.' },
    meanSeconds: nullableSeconds,
    medianSeconds: nullableSeconds,
    p90Seconds: nullableSeconds,
  },
} as const satisfies ObjectSchemaOf<ResolutionStats>;

const TrendPointSchema = {
  type: 'object',
  required: ['start', 'count', 'meanSeconds', 'medianSeconds'],
  properties: {
    start: isoTime,
    count: { type: 'integer' },
    meanSeconds: nullableSeconds,
    medianSeconds: nullableSeconds,
  },
} as const satisfies ObjectSchemaOf<TrendPoint>;

const SeverityMttrSchema = {
  type: 'object',
  required: ['severity', 'all', 'auto', 'person', 'open', 'trend', 'tickets'],
  properties: {
    severity: { type: 'string', enum: SEVERITIES },
    all: ResolutionStatsSchema,
    auto: ResolutionStatsSchema,
    person: ResolutionStatsSchema,
    open: { type: 'integer', description: 'Unresolved tickets now.' },
    trend: { type: 'array', items: TrendPointSchema },
    tickets: {
      type: 'string',
      description: 'GET this for exactly the tickets behind the figures.',
    },
  },
} as const satisfies ObjectSchemaOf<SeverityMttr>;

export const MttrResponse = {
  type: 'object',
  required: ['tenant', 'window', 'from', 'to', 'bucketSeconds', 'severities'],
  properties: {
    tenant: { type: ['string', 'null'], description: 'null: all tenants the caller may see.' },
    window: { type: 'string' },
    from: isoTime,
    to: isoTime,
    bucketSeconds: { type: 'integer', description: 'Width of each trend point.' },
    severities: {
      type: 'array',
      description: 'Every severity, most severe first, empty ones with count 0.',
      items: SeverityMttrSchema,
    },
  },
} as const satisfies ObjectSchemaOf<MttrReport>;

const labelSet = { type: 'object', additionalProperties: { type: 'string' } } as const;

export const AlertSchema = {
  type: 'object',
  required: ['status', 'labels', 'startsAt'],
  properties: {
    status: { type: 'string', enum: ['firing', 'resolved'] },
    labels: {
      type: 'object',
      required: ['alertname', 'severity'],
      properties: {
        alertname: { type: 'string', minLength: 1 },
        severity: { type: 'string', enum: SEVERITIES },
        tenant_id: tenant,
      },
      additionalProperties: { type: 'string' },
    },
    annotations: labelSet,
    startsAt: isoTime,
    endsAt: isoTime,
    generatorURL: { type: 'string' },
    fingerprint: { type: 'string', minLength: 1, maxLength: 64 },
  },
} as const;

export const AlertmanagerBody = {
  type: 'object',
  required: ['version', 'status', 'alerts'],
  properties: {
    version: { type: 'string', enum: ['4'] },
    groupKey: { type: 'string' },
    truncatedAlerts: { type: 'integer', minimum: 0 },
    status: { type: 'string', enum: ['firing', 'resolved'] },
    receiver: { type: 'string' },
    groupLabels: labelSet,
    commonLabels: labelSet,
    commonAnnotations: labelSet,
    externalURL: { type: 'string' },
    alerts: { type: 'array', maxItems: MAX_ALERTS_PER_REQUEST, items: AlertSchema },
  },
} as const;

export const AlertmanagerResponse = {
  type: 'object',
  required: ['received', 'opened', 'deduplicated', 'reopened', 'resolved', 'ignored'],
  properties: {
    received: { type: 'integer' },
    opened: { type: 'integer' },
    deduplicated: { type: 'integer' },
    reopened: { type: 'integer' },
    resolved: { type: 'integer' },
    ignored: {
      type: 'integer',
      description: 'Resolved alerts with no unresolved ticket (already resolved, or never seen).',
    },
  },
} as const satisfies ObjectSchemaOf<AlertmanagerResult>;

/** Hoisted into components.schemas of the OpenAPI document, by identity. */
export const NAMED_SCHEMAS = {
  Error: ErrorSchema,
  Ticket: TicketSchema,
  TicketEvent: TicketEventSchema,
  TicketDetail: TicketDetailSchema,
  TicketPage: TicketPageSchema,
  ResolutionStats: ResolutionStatsSchema,
  Mttr: MttrResponse,
  Alert: AlertSchema,
  AlertmanagerWebhook: AlertmanagerBody,
} as const;
