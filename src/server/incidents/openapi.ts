// An OpenAPI 3.1 document built from the route table the server registers, so each route's
// parameters, bodies and responses are the schemas fastify validates and serializes with.
import { NAMED_SCHEMAS } from './schemas';

export interface RouteSchema {
  querystring?: object;
  params?: object;
  body?: object;
  response: Record<number, object>;
}

export interface RouteSpec {
  method: 'GET' | 'POST';
  url: string;
  operationId: string;
  summary: string;
  description?: string;
  /**
   * 'scope': the console's bearer credentials, or none for public tenants; 'write': a token with
   * the operator role; 'alertmanager': the webhook secret; 'none': anyone.
   */
  auth: 'scope' | 'write' | 'alertmanager' | 'none';
  schema: RouteSchema;
}

const STATUS_TEXT: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  400: 'Bad input: the message names the field',
  401: 'Missing or wrong credentials',
  403: 'Credentials that may see the tenant but not change it',
  404: 'No such ticket or tenant among those the caller may see',
  409: 'The ticket is in a state that does not allow this',
  413: 'Body or text too large',
  415: 'Not JSON',
};

/** Replaces each named schema, wherever it appears, by a $ref to its component. */
function hoist(value: unknown, skip?: object): unknown {
  if (Array.isArray(value)) return value.map((v) => hoist(v));
  if (typeof value !== 'object' || value === null) return value;
  if (value !== skip) {
    for (const [name, schema] of Object.entries(NAMED_SCHEMAS)) {
      if (value === schema) return { $ref: `#/components/schemas/${name}` };
    }
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, hoist(v)]));
}

interface ObjectSchema {
  properties?: Record<string, { type?: unknown; description?: string }>;
  required?: readonly string[];
}

function parameters(schema: object | undefined, where: 'path' | 'query'): object[] {
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

export function buildOpenApiDocument(routes: readonly RouteSpec[]): object {
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
      tags: ['kaizen'],
      security:
        route.auth === 'scope'
          ? [{ consoleToken: [] }, {}]
          : route.auth === 'alertmanager'
            ? [{ alertmanagerToken: [] }, {}]
            : [],
      parameters: [
        ...parameters(route.schema.params, 'path'),
        ...parameters(route.schema.querystring, 'query'),
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
      title: 'Phase console: Kaizen API',
      version: '1',
      description:
        'Tickets that alerts open and close, and the MTTR they add up to. See docs/API.md.',
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    paths,
    components: {
      schemas: Object.fromEntries(
        Object.entries(NAMED_SCHEMAS).map(([name, schema]) => [name, hoist(schema, schema)]),
      ),
      securitySchemes: {
        consoleToken: {
          type: 'http',
          scheme: 'bearer',
          description: 'A console token; it decides which tenants the caller may see.',
        },
        alertmanagerToken: {
          type: 'http',
          scheme: 'bearer',
          description: 'ALERTMANAGER_TOKEN, when the server has one.',
        },
      },
    },
  };
}
