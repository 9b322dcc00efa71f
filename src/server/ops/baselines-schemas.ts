// JSON schemas of the baselines (core/api/baselines.ts). A snapshot is passed through whole
// (its figures are described in docs/API.md); the summary around it is checked field by field.
import type { BaselineComparison, BaselineList, BaselineSummary } from '../../core/api/baselines';
import type { ObjectSchemaOf } from '../incidents/schemas';
import { BASELINE_NAME_PATTERN } from '../baselines/artifacts';

const window = {
  type: 'object',
  required: ['from', 'to', 'label'],
  properties: { from: { type: 'string' }, to: { type: 'string' }, label: { type: 'string' } },
} as const;

export const SnapshotSchema = {
  type: 'object',
  additionalProperties: true,
  description:
    'window, mttr (all and per severity), alarms (total, perDay, perRule), bytesSaved (ratio, ' +
    'totals, per tenant), latency (p95 per tenant), dashboard (file, sha256, json).',
} as const;

const summaryProperties = {
  name: { type: 'string', pattern: BASELINE_NAME_PATTERN.source },
  createdAt: { type: 'string' },
  createdBy: { type: 'string' },
  window,
  sha256: { type: 'string' },
  intact: { type: 'boolean', description: 'False when the file no longer matches its hash.' },
} as const;

export const BaselineSummarySchema = {
  type: 'object',
  required: ['name', 'createdAt', 'createdBy', 'window', 'sha256', 'intact'],
  properties: summaryProperties,
} as const satisfies ObjectSchemaOf<BaselineSummary>;

export const BaselineSchema = {
  type: 'object',
  required: ['name', 'createdAt', 'createdBy', 'window', 'sha256', 'intact', 'snapshot'],
  properties: { ...summaryProperties, snapshot: SnapshotSchema },
} as const;

export const BaselineListSchema = {
  type: 'object',
  required: ['baselines'],
  properties: { baselines: { type: 'array', items: BaselineSummarySchema } },
} as const satisfies ObjectSchemaOf<BaselineList>;

export const BaselineComparisonSchema = {
  type: 'object',
  required: ['baseline', 'now'],
  properties: { baseline: BaselineSchema, now: SnapshotSchema },
} as const satisfies ObjectSchemaOf<BaselineComparison>;

export const BaselineNameParams = {
  type: 'object',
  required: ['name'],
  properties: { name: { type: 'string', pattern: BASELINE_NAME_PATTERN.source } },
} as const;
