// JSON schemas of the decision gates (core/api/gates.ts).
import type {
  Gate,
  GateCondition,
  GateMeasure,
  GatesReport,
  SdkDemandList,
  SdkDemandRecord,
} from '../../core/api/gates';
import { SDK_LANGUAGES } from '../../core/api/gates';
import type { ObjectSchemaOf } from '../incidents/schemas';
import { MAX_REASON_CHARS, MIN_REASON_CHARS } from '../gates/sdk-demand';
import { ObserverStatusSchema } from './observer-schemas';

const verdict = { type: 'string', enum: ['met', 'not_met', 'no_data'] } as const;

export const GateMeasureSchema = {
  type: 'object',
  required: ['name', 'value', 'unit', 'comparator', 'threshold', 'verdict'],
  properties: {
    name: { type: 'string' },
    value: { type: ['number', 'null'] },
    unit: { type: 'string', enum: ['ms', 'tickets/day', 'clients', 'bytes/s', 'cores', 'records'] },
    comparator: { type: 'string', enum: ['<', '>=', '>', 'within'] },
    threshold: {
      anyOf: [
        { type: 'number' },
        {
          type: 'object',
          required: ['low', 'high'],
          properties: { low: { type: 'number' }, high: { type: 'number' } },
        },
      ],
    },
    verdict,
  },
} as const satisfies ObjectSchemaOf<GateMeasure>;

export const GateConditionSchema = {
  type: 'object',
  required: ['id', 'title', 'verdict', 'measures', 'detail'],
  properties: {
    id: { type: 'string' },
    title: { type: 'string' },
    verdict,
    measures: { type: 'array', items: GateMeasureSchema },
    detail: { type: 'string' },
  },
} as const satisfies ObjectSchemaOf<GateCondition>;

export const GateSchema = {
  type: 'object',
  required: ['id', 'title', 'requires', 'verdict', 'decision', 'conditions'],
  properties: {
    id: { type: 'string', enum: ['phase-0', 'wire-format'] },
    title: { type: 'string' },
    requires: { type: 'integer' },
    verdict,
    decision: { type: 'string' },
    conditions: { type: 'array', items: GateConditionSchema },
  },
} as const satisfies ObjectSchemaOf<Gate>;

export const GatesReportSchema = {
  type: 'object',
  required: ['at', 'gates', 'observer', 'latencyByTenant'],
  properties: {
    at: { type: 'string', format: 'date-time' },
    gates: { type: 'array', items: GateSchema },
    observer: ObserverStatusSchema,
    latencyByTenant: {
      type: 'array',
      items: {
        type: 'object',
        required: ['tenant', 'p95Ms', 'samples'],
        properties: {
          tenant: { type: 'string' },
          p95Ms: { type: ['number', 'null'] },
          samples: { type: 'integer' },
        },
      },
    },
  },
} as const satisfies ObjectSchemaOf<GatesReport>;

export const SdkDemandRecordSchema = {
  type: 'object',
  required: ['id', 'sdk', 'reason', 'recordedBy', 'recordedAt'],
  properties: {
    id: { type: 'integer' },
    sdk: { type: 'string', enum: SDK_LANGUAGES },
    reason: { type: 'string' },
    recordedBy: { type: 'string' },
    recordedAt: { type: 'string', format: 'date-time' },
  },
} as const satisfies ObjectSchemaOf<SdkDemandRecord>;

export const SdkDemandListSchema = {
  type: 'object',
  required: ['records'],
  properties: { records: { type: 'array', items: SdkDemandRecordSchema } },
} as const satisfies ObjectSchemaOf<SdkDemandList>;

export const SdkDemandBody = {
  type: 'object',
  required: ['sdk', 'reason'],
  additionalProperties: false,
  properties: {
    sdk: { type: 'string', enum: SDK_LANGUAGES },
    reason: {
      type: 'string',
      minLength: MIN_REASON_CHARS,
      maxLength: MAX_REASON_CHARS,
      description: 'Who asks for the SDK, and why.',
    },
  },
} as const;
