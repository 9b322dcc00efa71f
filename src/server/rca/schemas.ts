// JSON schemas of the RCA routes: the routes validate and serialize with them and the OpenAPI
// document is built from them; each answer's schema is checked against its core/api type.
import type {
  Rca,
  RcaChange,
  RcaEffectiveness,
  RcaEvidence,
  RcaGroupStats,
  RcaLogLine,
  RcaMetrics,
  RcaReview,
  RcaSimilarTicket,
  RcaVersion,
} from '../../core/api/rca';
import {
  LOG_CAPTURE_RESULTS,
  RCA_ENGINES,
  RCA_REVIEW_OUTCOMES,
  RCA_SECTIONS,
  RCA_STATUSES,
} from '../../core/api/rca';
import { MAX_ACTOR_CHARS } from '../incidents/types';
import { TENANT_PATTERN, type ObjectSchemaOf } from '../incidents/schemas';
import { WINDOW_PATTERN } from '../incidents/windows';
import { MAX_RCA_MARKDOWN_CHARS, MAX_REVIEW_REASON_CHARS } from './store';

const isoTime = { type: 'string', format: 'date-time' } as const;
const nullableIsoTime = { type: ['string', 'null'], format: 'date-time' } as const;
const nullableNumber = { type: ['number', 'null'] } as const;
const engine = { type: ['string', 'null'], enum: [...RCA_ENGINES, null] } as const;
const by = {
  type: 'string',
  minLength: 1,
  maxLength: MAX_ACTOR_CHARS,
  description: "Who acts; ignored when the caller's token names a person.",
} as const;
const version = { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER } as const;

const LogLineSchema = {
  type: 'object',
  required: ['at', 'level', 'subsystem', 'message'],
  properties: {
    at: isoTime,
    level: { type: 'string', enum: ['info', 'warn', 'error'] },
    subsystem: { type: 'string' },
    message: { type: 'string', description: 'Secrets redacted.' },
  },
} as const satisfies ObjectSchemaOf<RcaLogLine>;

const ChangeSchema = {
  type: 'object',
  required: ['at', 'kind', 'detail'],
  properties: {
    at: isoTime,
    kind: { type: 'string', description: 'restart, tenant-settings or token-revoked.' },
    detail: { type: 'string' },
  },
} as const satisfies ObjectSchemaOf<RcaChange>;

const SimilarSchema = {
  type: 'object',
  required: ['id', 'title', 'openedAt', 'resolvedAt', 'match', 'approvedCause'],
  properties: {
    id: { type: 'integer' },
    title: { type: 'string' },
    openedAt: isoTime,
    resolvedAt: nullableIsoTime,
    match: { type: 'string', enum: ['same-incident', 'same-rule'] },
    approvedCause: { type: ['string', 'null'] },
  },
} as const satisfies ObjectSchemaOf<RcaSimilarTicket>;

const MetricsSchema = {
  type: 'object',
  required: [
    'from',
    'to',
    'latencyP95MsWorst',
    'latencyP95MsMean',
    'sloMs',
    'bytesSaved',
    'framesSkipped',
    'resyncs',
    'framesSent',
    'clients',
    'orderParameterR',
    'lastFrameAt',
  ],
  properties: {
    from: isoTime,
    to: isoTime,
    latencyP95MsWorst: nullableNumber,
    latencyP95MsMean: nullableNumber,
    sloMs: nullableNumber,
    bytesSaved: nullableNumber,
    framesSkipped: nullableNumber,
    resyncs: nullableNumber,
    framesSent: nullableNumber,
    clients: nullableNumber,
    orderParameterR: nullableNumber,
    lastFrameAt: nullableIsoTime,
  },
} as const satisfies ObjectSchemaOf<RcaMetrics>;

export const RcaEvidenceSchema = {
  type: 'object',
  required: ['collectedAt', 'alert', 'logs', 'metrics', 'changes', 'similar'],
  properties: {
    collectedAt: isoTime,
    alert: {
      type: 'object',
      required: [
        'title',
        'severity',
        'source',
        'fingerprint',
        'summary',
        'openedAt',
        'reopened',
        'rule',
        'signal',
      ],
      properties: {
        title: { type: 'string' },
        severity: { type: 'string' },
        source: { type: 'string' },
        fingerprint: { type: 'string' },
        summary: { type: 'string' },
        openedAt: isoTime,
        reopened: { type: 'boolean' },
        rule: { type: ['string', 'null'] },
        signal: { type: 'string' },
      },
    },
    logs: {
      type: 'object',
      required: ['from', 'to', 'capture', 'lines'],
      properties: {
        from: isoTime,
        to: isoTime,
        capture: { type: 'string', enum: LOG_CAPTURE_RESULTS },
        lines: { type: 'array', items: LogLineSchema },
      },
    },
    metrics: MetricsSchema,
    changes: { type: 'array', items: ChangeSchema },
    similar: { type: 'array', items: SimilarSchema },
  },
} as const satisfies ObjectSchemaOf<RcaEvidence>;

const VersionSchema = {
  type: 'object',
  required: ['version', 'revision', 'kind', 'engine', 'author', 'at', 'markdown'],
  properties: {
    version,
    revision: { type: 'integer' },
    kind: { type: 'string', enum: ['draft', 'edit'] },
    engine,
    author: { type: 'string' },
    at: isoTime,
    markdown: { type: 'string' },
  },
} as const satisfies ObjectSchemaOf<RcaVersion>;

const ReviewSchema = {
  type: 'object',
  required: [
    'revision',
    'version',
    'outcome',
    'by',
    'at',
    'reason',
    'editDistanceRatio',
    'reviewSeconds',
  ],
  properties: {
    revision: { type: 'integer' },
    version: { type: 'integer' },
    outcome: { type: 'string', enum: RCA_REVIEW_OUTCOMES },
    by: { type: 'string' },
    at: isoTime,
    reason: { type: 'string' },
    editDistanceRatio: nullableNumber,
    reviewSeconds: nullableNumber,
  },
} as const satisfies ObjectSchemaOf<RcaReview>;

export const RcaSchema = {
  type: 'object',
  required: [
    'ticketId',
    'tenant',
    'status',
    'revision',
    'markdown',
    'version',
    'engine',
    'engineNote',
    'evidence',
    'sectionsFilled',
    'approved',
    'versions',
    'reviews',
    'updatedAt',
  ],
  properties: {
    ticketId: { type: 'integer' },
    tenant: { type: 'string' },
    status: { type: 'string', enum: RCA_STATUSES },
    revision: { type: 'integer' },
    markdown: { type: 'string' },
    version: { type: 'integer' },
    engine,
    engineNote: { type: ['string', 'null'] },
    evidence: { anyOf: [RcaEvidenceSchema, { type: 'null' }] },
    sectionsFilled: { type: 'array', items: { type: 'string', enum: RCA_SECTIONS } },
    approved: {
      anyOf: [
        {
          type: 'object',
          required: ['revision', 'version', 'markdown', 'at', 'by'],
          properties: {
            revision: { type: 'integer' },
            version: { type: 'integer' },
            markdown: { type: 'string' },
            at: isoTime,
            by: { type: 'string' },
          },
        },
        { type: 'null' },
      ],
    },
    versions: { type: 'array', items: VersionSchema, description: 'Every version, oldest first.' },
    reviews: { type: 'array', items: ReviewSchema },
    updatedAt: isoTime,
  },
} as const satisfies ObjectSchemaOf<Rca>;

export const RcaEditBodySchema = {
  type: 'object',
  required: ['markdown'],
  additionalProperties: false,
  properties: {
    markdown: { type: 'string', minLength: 1, maxLength: MAX_RCA_MARKDOWN_CHARS },
    baseVersion: {
      ...version,
      description: 'The version the edit started from; a newer one is 409.',
    },
    by,
  },
} as const;

export const RcaApproveBodySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    reason: { type: 'string', maxLength: MAX_REVIEW_REASON_CHARS },
    version: { ...version, description: 'The version approved; a newer one is 409.' },
    by,
  },
} as const;

export const RcaRejectBodySchema = {
  type: 'object',
  required: ['reason'],
  additionalProperties: false,
  properties: {
    reason: { type: 'string', minLength: 1, maxLength: MAX_REVIEW_REASON_CHARS },
    version: { ...version, description: 'The version rejected; a newer one is 409.' },
    by,
  },
} as const;

export const RcaDraftBodySchema = {
  type: 'object',
  additionalProperties: false,
  properties: { by },
} as const;

const GroupSchema = {
  type: 'object',
  required: [
    'tickets',
    'approved',
    'rejected',
    'medianSecondsToApproved',
    'meanSecondsToApproved',
    'sectionsFilledShare',
    'sections',
    'meanEditDistanceRatio',
  ],
  properties: {
    tickets: { type: 'integer' },
    approved: { type: 'integer' },
    rejected: { type: 'integer', description: 'Tickets whose RCA was rejected at least once.' },
    medianSecondsToApproved: nullableNumber,
    meanSecondsToApproved: nullableNumber,
    sectionsFilledShare: nullableNumber,
    sections: {
      type: 'array',
      items: {
        type: 'object',
        required: ['section', 'filledShare'],
        properties: {
          section: { type: 'string', enum: RCA_SECTIONS },
          filledShare: { type: 'number' },
        },
      },
    },
    meanEditDistanceRatio: nullableNumber,
  },
} as const satisfies ObjectSchemaOf<RcaGroupStats>;

export const RcaEffectivenessSchema = {
  type: 'object',
  required: ['tenant', 'window', 'from', 'to', 'withDraft', 'withoutDraft'],
  properties: {
    tenant: { type: ['string', 'null'] },
    window: { type: 'string' },
    from: isoTime,
    to: isoTime,
    withDraft: GroupSchema,
    withoutDraft: GroupSchema,
  },
} as const satisfies ObjectSchemaOf<RcaEffectiveness>;

export const RcaEffectivenessQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    tenant: { type: 'string', pattern: TENANT_PATTERN },
    window: {
      type: 'string',
      pattern: WINDOW_PATTERN,
      default: '30d',
      description: 'Tickets opened in this trailing window (15m, 24h, 30d); at most 366d.',
    },
  },
} as const;

export const RCA_NAMED_SCHEMAS = {
  Rca: RcaSchema,
  RcaEvidence: RcaEvidenceSchema,
  RcaEffectiveness: RcaEffectivenessSchema,
} as const;
