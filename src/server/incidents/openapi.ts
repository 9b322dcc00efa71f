// An OpenAPI 3.1 document built from the route table the server registers, so each route's
// parameters, bodies and responses are the schemas fastify validates and serializes with.
import { OPS_NAMED_SCHEMAS } from '../ops/named-schemas';
import { RCA_NAMED_SCHEMAS } from '../rca/schemas';
import { NAMED_SCHEMAS } from './schemas';

export interface RouteSchema {
  querystring?: object;
  params?: object;
  body?: object;
  response: Record<number, object>;
}

export interface RouteSpec {
  method: 'GET' | 'POST' | 'PUT';
  url: string;
  operationId: string;
  summary: string;
  description?: string;
  /**
   * 'scope': the console's bearer credentials, or none for public tenants; 'write': a token with
   * the operator role; 'admin': a token with the admin role (src/server/admin-guard.ts);
   * 'alertmanager': the webhook secret; 'none': anyone.
   */
  auth: 'scope' | 'write' | 'admin' | 'alertmanager' | 'none';
  schema: RouteSchema;
  /** The document's group: `kaizen` (tickets, MTTR, the receiver) unless said otherwise. */
  tag?: string;
}

const STATUS_TEXT: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  202: 'Accepted: the work goes on in the background',
  400: 'Bad input: the message names the field',
  401: 'Missing or wrong credentials',
  403: 'Credentials that may see the tenant but not change it',
  404: 'No such ticket or tenant among those the caller may see',
  409: 'The ticket or promotion is in a state that does not allow this',
  413: 'Body or text too large',
  415: 'Not JSON',
  429: 'Too many requests (or tickets opened for the tenant at once): retry after Retry-After seconds',
  503: 'The tenant exists but its stream is not served now',
};

/** Replaces each named schema, wherever it appears, by a $ref to its component. */
function hoister(named: Readonly<Record<string, object>>) {
  const hoist = (value: unknown, skip?: object): unknown => {
    if (Array.isArray(value)) return value.map((v) => hoist(v));
    if (typeof value !== 'object' || value === null) return value;
    if (value !== skip) {
      for (const [name, schema] of Object.entries(named)) {
        if (value === schema) return { $ref: `#/components/schemas/${name}` };
      }
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, hoist(v)]));
  };
  return hoist;
}

interface ObjectSchema {
  properties?: Record<string, { type?: unknown; description?: string }>;
  required?: readonly string[];
}

function parameters(
  hoist: (value: unknown) => unknown,
  schema: object | undefined,
  where: 'path' | 'query',
): object[] {
  const { properties = {}, required = [] } = (schema ?? {}) as ObjectSchema;
  return Object.entries(properties).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || required.includes(name),
    ...(property.description ? { description: property.description } : {}),
    ...(property.type === 'array' ? { style: 'form', explode: true } : {}),
    schema: hoist(property),
  }));
}

/**
 * The document of `routes`; `namedSchemas` (beside the Kaizen ones) become components that the
 * routes refer to.
 */
export function buildOpenApiDocument(
  routes: readonly RouteSpec[],
  namedSchemas: Readonly<Record<string, object>> = {},
): object {
  const named = { ...NAMED_SCHEMAS, ...RCA_NAMED_SCHEMAS, ...OPS_NAMED_SCHEMAS, ...namedSchemas };
  const hoist = hoister(named);
  const paths: Record<string, Record<string, object>> = {};
  for (const route of routes) {
    const path = route.url.replace(/:([A-Za-z]+)/g, '{$1}');
    const responses = Object.fromEntries(
      Object.entries(route.schema.response).map(([status, schema]) => [
        status,
        {
          description: STATUS_TEXT[Number(status)] ?? status,
          content: { 'application/json': { schema: hoist(schema) } },
        },
      ]),
    );
    paths[path] ??= {};
    paths[path][route.method.toLowerCase()] = {
      operationId: route.operationId,
      summary: route.summary,
      ...(route.description ? { description: route.description } : {}),
      tags: [route.tag ?? 'kaizen'],
      security:
        route.auth === 'scope'
          ? [{ consoleToken: [] }, {}]
          : route.auth === 'write'
            ? [{ consoleToken: [] }]
            : route.auth === 'admin'
              ? [{ adminToken: [] }]
              : route.auth === 'alertmanager'
                ? [{ alertmanagerToken: [] }]
                : [],
      parameters: [
        ...parameters(hoist, route.schema.params, 'path'),
        ...parameters(hoist, route.schema.querystring, 'query'),
      ],
      ...(route.schema.body
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: hoist(route.schema.body) } },
            },
          }
        : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Phase console API',
      version: '1',
      description:
        "Tenants, streams, the panels' figures, the caller's session, the Kaizen tickets that " +
        'alerts open and close with the MTTR they add up to, and what the launch decides with: ' +
        'observer mode, decision gates, baselines, browser reports; and the RCA of each ticket. ' +
        'See docs/API.md and docs/RCA.md.',
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    paths,
    components: {
      schemas: Object.fromEntries(
        Object.entries(named).map(([name, schema]) => [name, hoist(schema, schema)]),
      ),
      securitySchemes: {
        consoleToken: {
          type: 'http',
          scheme: 'bearer',
          description:
            'A console token: its grants decide which private tenants the caller may read, its ' +
            'role (viewer, operator, admin) whether it may change their tickets.',
        },
        adminToken: {
          type: 'http',
          scheme: 'bearer',
          description: 'A console token with the admin role.',
        },
        alertmanagerToken: {
          type: 'http',
          scheme: 'bearer',
          description:
            "The webhook secret of the console's data directory (npm run admin -- secret show " +
            'alertmanager), or ALERTMANAGER_TOKEN when the server has one.',
        },
      },
    },
  };
}
