// The routes of the console outside Kaizen (tenants, streams, panels, session, embedding) as the
// OpenAPI document describes them: their parameters are the very schemas the routes validate with,
// and each answer's schema is checked against its core/api type by ObjectSchemaOf, so a field added
// to a shape without its schema fails to compile. src/server/openapi.test.ts checks that every /api
// route the server registers is in the document, and that the answers match.
import type { SessionInfo } from '../core/api/session';
import type { BandwidthReport, LatencyReport, LatencySecond } from '../core/api/panels';
import type { TenantList, TenantMetrics, TenantSummary } from '../core/api/tenants';
import { TOKEN_ROLES } from '../core/api/session';
import type { StreamInfo } from '../core/wire/envelope';
import type { RouteSpec } from './incidents/openapi';
import { ErrorSchema, TENANT_PATTERN, type ObjectSchemaOf } from './incidents/schemas';
import { PANEL_QUERY_SCHEMA } from './panel-query';

const tenantId = { type: 'string', pattern: TENANT_PATTERN } as const;
const count = { type: 'number', minimum: 0 } as const;

export const TenantSummarySchema = {
  type: 'object',
  required: [
    'id',
    'name',
    'visibility',
    'width',
    'height',
    'source',
    'sloMs',
    'gpuThreshold',
    'gpuThresholdSource',
  ],
  properties: {
    id: tenantId,
    name: { type: 'string' },
    visibility: { type: 'string', enum: ['public', 'private'] },
    width: { type: 'integer' },
    height: { type: 'integer' },
    source: { type: 'string', enum: ['replay', 'live'] },
    sloMs: { type: 'number', description: 'The p95 frame latency objective, ms.' },
    gpuThreshold: {
      type: 'integer',
      minimum: 0,
      description: 'Spins below which the app draws this tenant on the CPU canvas.',
    },
    gpuThresholdSource: {
      type: 'string',
      enum: ['tenant', 'server'],
      description: "The tenant's own threshold, or the server's --gpu-threshold.",
    },
  },
} as const satisfies ObjectSchemaOf<TenantSummary>;

const TenantListSchema = {
  type: 'object',
  required: ['tenants'],
  properties: { tenants: { type: 'array', items: TenantSummarySchema } },
} as const satisfies ObjectSchemaOf<TenantList>;

const TenantMetricsSchema = {
  type: 'object',
  required: ['tenant', 'stream', 'metrics'],
  properties: {
    tenant: tenantId,
    stream: {
      type: ['object', 'null'],
      required: ['running', 'subscribers', 'framesProduced'],
      properties: { running: { type: 'boolean' }, subscribers: count, framesProduced: count },
    },
    metrics: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name', 'type', 'values'],
        properties: {
          name: { type: 'string' },
          type: { type: 'string' },
          values: {
            type: 'array',
            items: {
              type: 'object',
              required: ['name', 'labels', 'value'],
              properties: {
                name: { type: 'string' },
                labels: { type: 'object', additionalProperties: { type: ['string', 'number'] } },
                value: { type: 'number' },
              },
            },
          },
        },
      },
    },
  },
} as const satisfies ObjectSchemaOf<TenantMetrics>;

export const StreamInfoSchema = {
  type: 'object',
  required: ['tenant', 'width', 'height', 'frameCount', 'intervalUs', 'source'],
  properties: {
    tenant: tenantId,
    width: { type: 'integer' },
    height: { type: 'integer' },
    frameCount: { type: 'integer', description: '0 for a live source.' },
    intervalUs: { type: 'integer' },
    source: { type: 'string', enum: ['replay', 'live'] },
  },
} as const satisfies ObjectSchemaOf<StreamInfo>;

const BandwidthReportSchema = {
  type: 'object',
  required: [
    'tenant',
    'windowS',
    'stepS',
    'baseline',
    'totals',
    'totalsSinceMs',
    'savingsRatio',
    'window',
    'series',
  ],
  properties: {
    tenant: tenantId,
    windowS: { type: 'integer' },
    stepS: { type: 'integer', description: 'Seconds between two points of the series.' },
    baseline: {
      type: 'string',
      enum: ['raw-u16'],
      description: 'Bytes saved are measured against every frame sent as raw 16-bit phases.',
    },
    totals: {
      type: 'object',
      required: ['bytesSent', 'bytesSaved', 'rawBytes', 'framesSent', 'framesSkipped', 'resyncs'],
      properties: {
        bytesSent: count,
        bytesSaved: count,
        rawBytes: count,
        framesSent: count,
        framesSkipped: count,
        resyncs: count,
      },
    },
    totalsSinceMs: { ...count, description: 'When the server began counting the stream.' },
    savingsRatio: { type: 'number' },
    window: {
      type: 'object',
      required: [
        'fromMs',
        'toMs',
        'bytesSent',
        'bytesSaved',
        'rawBytes',
        'framesSent',
        'savingsRatio',
        'activeS',
        'savedBytesPerActiveS',
      ],
      properties: {
        fromMs: count,
        toMs: count,
        bytesSent: count,
        bytesSaved: count,
        rawBytes: count,
        framesSent: count,
        savingsRatio: { type: 'number' },
        activeS: { ...count, description: 'Seconds of the window in which frames went out.' },
        savedBytesPerActiveS: { type: ['number', 'null'] },
      },
    },
    series: {
      type: 'array',
      items: {
        type: 'object',
        required: ['atMs', 'sentBytesPerS', 'savedBytesPerS', 'rawBytesPerS'],
        properties: {
          atMs: count,
          sentBytesPerS: { type: 'number' },
          savedBytesPerS: { type: 'number' },
          rawBytesPerS: { type: 'number' },
        },
      },
    },
  },
} as const satisfies ObjectSchemaOf<BandwidthReport>;

const LatencySecondSchema = {
  type: 'object',
  required: ['atMs', 'p95Ms', 'count', 'windowP95Ms'],
  properties: {
    atMs: count,
    p95Ms: {
      type: 'number',
      description:
        "p95 of the point's samples; each second's figure is the median over the tenant's " +
        "reporting clients of each client's p95.",
    },
    count,
    windowP95Ms: {
      type: ['number', 'null'],
      description: 'p95 over the window ending at this point: the figure the verdict follows.',
    },
  },
} as const satisfies ObjectSchemaOf<LatencySecond>;

const LatencyReportSchema = {
  type: 'object',
  required: [
    'tenant',
    'windowS',
    'stepS',
    'sloMs',
    'samples',
    'p95Ms',
    'p95MsWorst',
    'p95MsMean',
    'verdict',
    'verdictSinceMs',
    'minSamples',
    'withinBelowMs',
    'series',
  ],
  properties: {
    tenant: tenantId,
    windowS: { type: 'integer' },
    stepS: { type: 'integer' },
    sloMs: { type: 'number' },
    samples: count,
    p95Ms: { type: ['number', 'null'] },
    p95MsWorst: { type: ['number', 'null'] },
    p95MsMean: { type: ['number', 'null'] },
    verdict: { type: 'string', enum: ['within', 'over', 'insufficient'] },
    verdictSinceMs: { type: ['number', 'null'] },
    minSamples: count,
    withinBelowMs: { type: 'number' },
    series: { type: 'array', items: LatencySecondSchema },
  },
} as const satisfies ObjectSchemaOf<LatencyReport>;

const SessionSchema = {
  type: 'object',
  required: ['token', 'read', 'write', 'admin'],
  properties: {
    token: {
      type: ['object', 'null'],
      required: ['id', 'name', 'role'],
      properties: {
        id: { type: 'string', pattern: '^tok_[0-9a-f]{16}$' },
        name: { type: 'string', description: 'The actor its changes are recorded under.' },
        role: { type: 'string', enum: TOKEN_ROLES },
      },
    },
    read: { type: 'array', items: tenantId, description: 'Tenants the caller may read.' },
    write: {
      type: 'array',
      items: tenantId,
      description: 'Tenants whose tickets the caller may open, acknowledge, resolve and annotate.',
    },
    admin: { type: 'boolean', description: 'May change tenants, tokens and settings.' },
  },
} as const satisfies ObjectSchemaOf<SessionInfo>;

const EmbedSchema = {
  type: 'object',
  required: ['origins'],
  properties: { origins: { type: 'array', items: { type: 'string' } } },
} as const;

const TenantParams = {
  type: 'object',
  required: ['tenantId'],
  properties: { tenantId: { ...tenantId, description: 'A tenant id.' } },
} as const;

const errors = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((s) => [s, ErrorSchema])) as Record<number, object>;

export const CONSOLE_SCHEMAS = {
  TenantSummary: TenantSummarySchema,
  TenantList: TenantListSchema,
  TenantMetrics: TenantMetricsSchema,
  StreamInfo: StreamInfoSchema,
  BandwidthReport: BandwidthReportSchema,
  LatencyReport: LatencyReportSchema,
  Session: SessionSchema,
  Embed: EmbedSchema,
} as const;

const consoleRoute = (spec: Omit<RouteSpec, 'method' | 'tag' | 'auth'>): RouteSpec => ({
  method: 'GET',
  tag: 'console',
  auth: 'scope',
  ...spec,
});

export const CONSOLE_ROUTES: readonly RouteSpec[] = [
  consoleRoute({
    url: '/api/tenants',
    operationId: 'listTenants',
    summary: 'The tenants the caller may see (public ones, and private ones its token grants)',
    schema: { response: { 200: TenantListSchema, ...errors(401) } },
  }),
  consoleRoute({
    url: '/api/tenants/:tenantId',
    operationId: 'getTenant',
    summary: 'One tenant; an unknown one and one the caller may not see answer the same 404',
    schema: {
      params: TenantParams,
      response: { 200: TenantSummarySchema, ...errors(401, 404, 503) },
    },
  }),
  consoleRoute({
    url: '/api/tenants/:tenantId/metrics',
    operationId: 'getTenantMetrics',
    summary: "The tenant's own Prometheus series, as JSON, the tenant_id label left out",
    schema: { params: TenantParams, response: { 200: TenantMetricsSchema, ...errors(401, 404) } },
  }),
  consoleRoute({
    url: '/api/streams',
    operationId: 'listStreams',
    summary: "The streams of the tenants the caller may see, as the WebSocket's hello gives them",
    schema: { response: { 200: { type: 'array', items: StreamInfoSchema }, ...errors(401) } },
  }),
  consoleRoute({
    url: '/api/bandwidth',
    operationId: 'getBandwidth',
    summary: 'Bytes the delta protocol saved for a tenant, totals and a per-second series',
    schema: {
      querystring: PANEL_QUERY_SCHEMA,
      response: { 200: BandwidthReportSchema, ...errors(400, 401, 404) },
    },
  }),
  consoleRoute({
    url: '/api/latency',
    operationId: 'getLatency',
    summary: "A tenant's frame latency p95 per second against its SLO, one client weighing one",
    schema: {
      querystring: PANEL_QUERY_SCHEMA,
      response: { 200: LatencyReportSchema, ...errors(400, 401, 404) },
    },
  }),
  consoleRoute({
    url: '/api/session',
    operationId: 'getSession',
    summary: 'The caller as the server sees it: its token, what it may read and change',
    schema: { response: { 200: SessionSchema, ...errors(401) } },
  }),
  {
    ...consoleRoute({
      url: '/api/embed',
      operationId: 'getEmbedOrigins',
      summary: 'The origins allowed to embed the app (--embed-origins)',
      schema: { response: { 200: EmbedSchema } },
    }),
    auth: 'none',
  },
];
