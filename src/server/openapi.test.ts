// The OpenAPI document against the real server: every /api route the server registers is in it,
// every route in it exists, and what the server answers matches the schema it documents.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writePatternTrace } from '../testing/pattern-trace';
import { tempDir } from '../testing/temp-dir';
import { TestClient } from '../testing/test-client';
import { startTenantServer, type TestServer } from '../testing/test-server';

interface Schema {
  $ref?: string;
  type?: string | string[];
  required?: string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  enum?: unknown[];
  additionalProperties?: Schema | boolean;
}
interface Operation {
  operationId: string;
  parameters: { name: string; in: string }[];
  responses: Record<string, { content: { 'application/json': { schema: Schema } } }>;
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

let server: TestServer;
let document: Document;
let token: string;

beforeAll(async () => {
  const trace = path.join(tempDir('openapi'), 'pattern.bin');
  await writePatternTrace(trace, 12, 10, 20);
  server = await startTenantServer({ demoTrace: trace });
  token = server.issueToken(['small'], 'reader').token;
  document = (await (await fetch(`${server.url}/api/openapi.json`)).json()) as Document;
});
afterAll(async () => server?.close());

/** `METHOD /path/{param}` of every /api route the server registered (HEAD left out). */
function registeredRoutes(): string[] {
  const tree = server.app.fastify.printRoutes({ commonPrefix: false });
  const stack: string[] = [];
  const routes: string[] = [];
  for (const line of tree.split('\n')) {
    const match = /^((?:│ {3}| {4})*)[├└]── (\S+) \(([^)]+)\)$/.exec(line);
    if (!match) continue;
    const depth = match[1]!.length / 4;
    stack.length = depth;
    const url = (stack[depth - 1] ?? '') + match[2]!;
    stack.push(url);
    if (!url.startsWith('/api/')) continue;
    for (const method of match[3]!.split(', ')) {
      if (method !== 'HEAD') routes.push(`${method} ${url.replace(/:(\w+)/g, '{$1}')}`);
    }
  }
  return routes.sort();
}

/** What is wrong with `value` against `schema` (the document's subset of JSON Schema), or []. */
function mismatches(value: unknown, schema: Schema, where: string): string[] {
  if (schema.$ref) {
    const name = schema.$ref.replace('#/components/schemas/', '');
    return mismatches(value, document.components.schemas[name]!, where);
  }
  const types = schema.type === undefined ? [] : [schema.type].flat();
  const actual =
    value === null
      ? 'null'
      : Array.isArray(value)
        ? 'array'
        : Number.isInteger(value)
          ? 'integer'
          : typeof value;
  const typeOk =
    types.length === 0 ||
    types.includes(actual) ||
    (actual === 'integer' && types.includes('number'));
  if (!typeOk) return [`${where} is ${actual}, documented ${types.join(' or ')}`];
  if (schema.enum && !schema.enum.includes(value))
    return [`${where} is ${String(value)}, not in the enum`];
  if (actual === 'array' && schema.items) {
    return (value as unknown[]).flatMap((item, i) =>
      mismatches(item, schema.items!, `${where}[${i}]`),
    );
  }
  if (actual !== 'object') return [];
  const object = value as Record<string, unknown>;
  const missing = (schema.required ?? []).filter((key) => !(key in object));
  const undocumented = schema.properties
    ? Object.keys(object).filter((key) => !(key in schema.properties!))
    : [];
  return [
    ...missing.map((key) => `${where}.${key} is missing`),
    ...undocumented.map((key) => `${where}.${key} is not documented`),
    ...Object.entries(schema.properties ?? {}).flatMap(([key, property]) =>
      key in object ? mismatches(object[key], property, `${where}.${key}`) : [],
    ),
  ];
}

describe('the OpenAPI document', () => {
  it('describes every /api route the server serves, and no other', () => {
    const documented = Object.entries(document.paths)
      .flatMap(([url, operations]) =>
        Object.keys(operations).map((method) => `${method.toUpperCase()} ${url}`),
      )
      .sort();
    expect(documented).toEqual(registeredRoutes());
    for (const route of ['tenants', 'streams', 'bandwidth', 'latency', 'embed', 'session']) {
      expect(documented, route).toContain(`GET /api/${route}`);
    }
  });

  it.each([
    { url: '/api/tenants', auth: false },
    { url: '/api/tenants/small', auth: true },
    { url: '/api/tenants/demo/metrics', auth: false },
    { url: '/api/streams', auth: true },
    { url: '/api/bandwidth?tenant=demo&window=10', auth: false },
    { url: '/api/latency?tenant=demo&window=10', auth: false },
    { url: '/api/session', auth: true },
    { url: '/api/session', auth: false },
    { url: '/api/embed', auth: false },
    { url: '/api/tickets', auth: true },
    { url: '/api/mttr?window=1h', auth: false },
    { url: '/api/tenants/nope', auth: true },
  ])('matches what GET $url answers', async ({ url, auth }) => {
    // A watcher with latency reports, so the series have points to check.
    const client = new TestClient(server.wsUrl);
    await client.opened;
    await client.waitFor(() => client.frames().length >= 3);
    client.close();
    const response = await fetch(`${server.url}${url}`, {
      headers: auth ? { authorization: `Bearer ${token}` } : {},
    });
    const pathname = new URL(url, server.url).pathname;
    const [template, operations] = Object.entries(document.paths).find(([p]) =>
      new RegExp(`^${p.replace(/\{\w+\}/g, '[^/]+')}$`).test(pathname),
    )!;
    const documented = operations.get!.responses[String(response.status)];
    expect(documented, `${template} documents ${response.status}`).toBeDefined();
    const schema = documented!.content['application/json'].schema;
    expect(mismatches(await response.json(), schema, 'answer')).toEqual([]);
  });
});
