// JSON schemas of the browser reports (core/api/client-reports.ts).
import {
  CLIENT_REPORT_KINDS,
  CLIENT_REPORT_LIMITS,
  type ClientReport,
  type ClientReportList,
  type ClientReportReceipt,
} from '../../core/api/client-reports';
import type { ObjectSchemaOf } from '../incidents/schemas';

const short = { type: 'string', maxLength: CLIENT_REPORT_LIMITS.maxFieldChars } as const;

export const ClientReportInputSchema = {
  type: 'object',
  required: ['kind', 'message'],
  additionalProperties: false,
  properties: {
    kind: { type: 'string', enum: CLIENT_REPORT_KINDS },
    message: { type: 'string', maxLength: CLIENT_REPORT_LIMITS.maxMessageChars },
    stack: { type: 'string', maxLength: CLIENT_REPORT_LIMITS.maxStackChars },
    reason: short,
    tenant: { type: 'string', maxLength: 63 },
    page: short,
    browser: short,
    webglRenderer: short,
    maxTextureSize: { type: 'integer', minimum: 0, maximum: 1_048_576 },
    count: { type: 'integer', minimum: 1, maximum: CLIENT_REPORT_LIMITS.maxCount },
    at: { type: 'string', maxLength: 40 },
  },
} as const;

export const ClientReportBatchBody = {
  type: 'object',
  required: ['reports'],
  additionalProperties: false,
  properties: {
    reports: {
      type: 'array',
      minItems: 1,
      maxItems: CLIENT_REPORT_LIMITS.maxBatch,
      items: ClientReportInputSchema,
    },
  },
} as const;

export const ClientReportReceiptSchema = {
  type: 'object',
  required: ['accepted'],
  properties: { accepted: { type: 'integer' } },
} as const satisfies ObjectSchemaOf<ClientReportReceipt>;

const nullableString = { type: ['string', 'null'] } as const;

export const ClientReportSchema = {
  type: 'object',
  required: [
    'id',
    'receivedAt',
    'kind',
    'message',
    'at',
    'stack',
    'reason',
    'tenant',
    'page',
    'browser',
    'webglRenderer',
    'maxTextureSize',
    'count',
  ],
  properties: {
    id: { type: 'integer' },
    receivedAt: { type: 'string', format: 'date-time' },
    kind: { type: 'string', enum: CLIENT_REPORT_KINDS },
    message: { type: 'string' },
    at: nullableString,
    stack: nullableString,
    reason: nullableString,
    tenant: nullableString,
    page: nullableString,
    browser: nullableString,
    webglRenderer: nullableString,
    maxTextureSize: { type: ['integer', 'null'] },
    count: { type: 'integer' },
  },
} as const satisfies ObjectSchemaOf<ClientReport>;

export const ClientReportListSchema = {
  type: 'object',
  required: ['reports', 'total', 'byKind'],
  properties: {
    reports: { type: 'array', items: ClientReportSchema },
    total: { type: 'integer' },
    byKind: {
      type: 'array',
      items: {
        type: 'object',
        required: ['kind', 'count'],
        properties: { kind: { type: 'string' }, count: { type: 'integer' } },
      },
    },
  },
} as const satisfies ObjectSchemaOf<ClientReportList>;

export const ClientReportListQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    kind: { type: 'string', enum: CLIENT_REPORT_KINDS },
    tenant: { type: 'string', maxLength: 63 },
    window: { type: 'string', pattern: '^[1-9][0-9]{0,2}[mhd]$', description: 'Like 24h or 7d.' },
    limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 },
  },
} as const;
