// JSON schemas of the policy gate (core/api/policy.ts): promotions, the policy report, the audit
// log and impact analysis.
import {
  MAX_OVERRIDE_REASON_CHARS,
  MIN_OVERRIDE_REASON_CHARS,
  PROMOTION_KINDS,
  type AuditEntry,
  type AuditPage,
  type DecidingPolicy,
  type ImpactReport,
  type PolicyReport,
  type PolicySummary,
  type Promotion,
  type PromotionEvaluation,
  type PromotionFigures,
  type PromotionList,
} from '../../core/api/policy';
import { MAX_GPU_THRESHOLD, MAX_LIVE_SIDE, MAX_SLO_MS } from '../tenants/tenant-spec';
import { TENANT_PATTERN, type ObjectSchemaOf } from '../incidents/schemas';

const tenant = { type: 'string', pattern: TENANT_PATTERN } as const;
const decision = { type: 'string', enum: ['allow', 'deny'] } as const;
const isoTime = { type: 'string', format: 'date-time' } as const;
const number = { type: 'number' } as const;
const nullableNumber = { type: ['number', 'null'] } as const;
const head = {
  type: ['object', 'null'],
  required: ['seq', 'hash'],
  properties: { seq: { type: 'integer' }, hash: { type: 'string' } },
} as const;

export const TenantSettingsChangeSchema = {
  type: 'object',
  additionalProperties: false,
  required: [],
  properties: {
    sloMs: { type: 'number', exclusiveMinimum: 0, maximum: MAX_SLO_MS },
    visibility: { type: 'string', enum: ['public', 'private'] },
    gpuThreshold: { type: ['integer', 'null'], minimum: 0, maximum: MAX_GPU_THRESHOLD },
    lattice: {
      type: 'object',
      additionalProperties: false,
      required: ['width', 'height'],
      properties: {
        width: { type: 'integer', minimum: 1, maximum: MAX_LIVE_SIDE },
        height: { type: 'integer', minimum: 1, maximum: MAX_LIVE_SIDE },
      },
    },
    trace: { type: 'string', minLength: 1, maxLength: 4096 },
  },
} as const;

export const PromotionRequestBody = {
  type: 'object',
  additionalProperties: false,
  required: ['tenant', 'kind', 'change'],
  properties: {
    tenant,
    kind: { type: 'string', enum: [...PROMOTION_KINDS] },
    change: TenantSettingsChangeSchema,
  },
} as const;

export const OverrideBody = {
  type: 'object',
  additionalProperties: false,
  required: ['reason'],
  properties: {
    reason: {
      type: 'string',
      minLength: MIN_OVERRIDE_REASON_CHARS,
      maxLength: MAX_OVERRIDE_REASON_CHARS,
      description: 'Why the denial is overridden, for the audit log.',
    },
  },
} as const;

export const DecidingPolicySchema = {
  type: 'object',
  required: ['id', 'effect', 'message'],
  properties: {
    id: { type: 'string' },
    effect: { type: 'string', enum: ['permit', 'forbid'] },
    message: { type: 'string' },
  },
} as const satisfies ObjectSchemaOf<DecidingPolicy>;

export const PromotionFiguresSchema = {
  type: 'object',
  required: ['latency', 'cost', 'carbon', 'spinsBefore', 'spinsAfter', 'windowS'],
  properties: {
    latency: {
      type: 'object',
      required: ['measured', 'p95Ms', 'projectedP95Ms', 'sloMs'],
      properties: {
        measured: { type: 'boolean' },
        p95Ms: nullableNumber,
        projectedP95Ms: nullableNumber,
        sloMs: number,
      },
    },
    cost: {
      type: 'object',
      required: ['egressUsdPerDay', 'projectedEgressUsdPerDay', 'usdPerGb'],
      properties: { egressUsdPerDay: number, projectedEgressUsdPerDay: number, usdPerGb: number },
    },
    carbon: {
      type: 'object',
      required: [
        'cpuSecondsPerDay',
        'projectedCpuSecondsPerDay',
        'gramsPerDay',
        'projectedGramsPerDay',
        'wattsPerCore',
        'gridGramsPerKwh',
      ],
      properties: {
        cpuSecondsPerDay: number,
        projectedCpuSecondsPerDay: number,
        gramsPerDay: number,
        projectedGramsPerDay: number,
        wattsPerCore: number,
        gridGramsPerKwh: number,
      },
    },
    spinsBefore: { type: 'integer' },
    spinsAfter: { type: 'integer' },
    windowS: { type: 'integer' },
  },
} as const satisfies ObjectSchemaOf<PromotionFigures>;

const evaluationProperties = {
  decision,
  deciding: { type: 'array', items: DecidingPolicySchema },
  errors: { type: 'array', items: { type: 'string' } },
  figures: PromotionFiguresSchema,
} as const;

export const PromotionEvaluationSchema = {
  type: 'object',
  required: ['decision', 'deciding', 'errors', 'figures'],
  properties: evaluationProperties,
} as const satisfies ObjectSchemaOf<PromotionEvaluation>;

export const PromotionSchema = {
  type: 'object',
  required: [
    'id',
    'tenant',
    'kind',
    'change',
    'createdAt',
    'by',
    'status',
    'override',
    'decision',
    'deciding',
    'errors',
    'figures',
  ],
  properties: {
    ...evaluationProperties,
    id: { type: 'integer' },
    tenant,
    kind: { type: 'string', enum: [...PROMOTION_KINDS] },
    change: TenantSettingsChangeSchema,
    createdAt: isoTime,
    by: { type: 'string' },
    status: { type: 'string', enum: ['applied', 'denied', 'overridden'] },
    override: {
      type: ['object', 'null'],
      required: ['by', 'reason', 'at'],
      properties: { by: { type: 'string' }, reason: { type: 'string' }, at: isoTime },
    },
  },
} as const satisfies ObjectSchemaOf<Promotion>;

export const PromotionListSchema = {
  type: 'object',
  required: ['promotions'],
  properties: { promotions: { type: 'array', items: PromotionSchema } },
} as const satisfies ObjectSchemaOf<PromotionList>;

export const PromotionListQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    tenant,
    limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 },
  },
} as const;

export const PromotionIdParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'integer', minimum: 1 } },
} as const;

export const PolicySummarySchema = {
  type: 'object',
  required: ['id', 'effect', 'message', 'figure', 'budget', 'text'],
  properties: {
    id: { type: 'string' },
    effect: { type: 'string', enum: ['permit', 'forbid'] },
    message: { type: 'string' },
    figure: { type: ['string', 'null'] },
    budget: { type: ['string', 'null'] },
    text: { type: 'string' },
  },
} as const satisfies ObjectSchemaOf<PolicySummary>;

export const PolicyReportSchema = {
  type: 'object',
  required: ['engine', 'policies', 'tenant', 'figures', 'over', 'context'],
  properties: {
    engine: { type: 'string' },
    policies: { type: 'array', items: PolicySummarySchema },
    tenant,
    figures: PromotionFiguresSchema,
    over: { type: 'array', items: { type: 'string' } },
    context: { type: 'object', additionalProperties: true },
  },
} as const satisfies ObjectSchemaOf<PolicyReport>;

export const PolicyReportQuery = {
  type: 'object',
  additionalProperties: false,
  required: ['tenant'],
  properties: { tenant },
} as const;

export const AuditEntrySchema = {
  type: 'object',
  required: [
    'seq',
    'at',
    'kind',
    'actor',
    'tenant',
    'promotionId',
    'decision',
    'detail',
    'prevHash',
    'hash',
  ],
  properties: {
    seq: { type: 'integer' },
    at: isoTime,
    kind: { type: 'string', enum: ['decision', 'override'] },
    actor: { type: 'string' },
    tenant,
    promotionId: { type: 'integer' },
    decision,
    detail: { type: 'object', additionalProperties: true },
    prevHash: { type: 'string' },
    hash: { type: 'string' },
  },
} as const satisfies ObjectSchemaOf<AuditEntry>;

export const AuditPageSchema = {
  type: 'object',
  required: ['entries', 'head'],
  properties: { entries: { type: 'array', items: AuditEntrySchema }, head },
} as const satisfies ObjectSchemaOf<AuditPage>;

export const AuditQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 },
    before: { type: 'integer', minimum: 1, description: 'Rows older than this sequence number.' },
  },
} as const;

export const ImpactBody = {
  type: 'object',
  additionalProperties: false,
  required: ['policies'],
  properties: {
    policies: { type: 'string', minLength: 1, maxLength: 256 * 1024 },
    limit: { type: 'integer', minimum: 1, maximum: 1000 },
  },
} as const;

export const ImpactReportSchema = {
  type: 'object',
  required: ['evaluated', 'flips', 'today'],
  properties: {
    evaluated: { type: 'integer' },
    flips: {
      type: 'array',
      items: {
        type: 'object',
        required: ['promotionId', 'tenant', 'createdAt', 'before', 'after', 'deciding'],
        properties: {
          promotionId: { type: 'integer' },
          tenant,
          createdAt: isoTime,
          before: decision,
          after: decision,
          deciding: { type: 'array', items: DecidingPolicySchema },
        },
      },
    },
    today: {
      type: 'array',
      items: {
        type: 'object',
        required: ['tenant', 'before', 'after', 'deciding'],
        properties: {
          tenant,
          before: decision,
          after: decision,
          deciding: { type: 'array', items: DecidingPolicySchema },
        },
      },
    },
  },
} as const satisfies ObjectSchemaOf<ImpactReport>;
