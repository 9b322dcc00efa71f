// Fuzz target `http`: mutated bodies, query strings, path parameters, content types and
// credentials on the /api routes (tickets, MTTR, Alertmanager, bandwidth, latency, tenants,
// streams, session) of a real server process, and bodies nested from a few levels to hundreds of
// thousands deep. Every answer must be 2xx, or 4xx with JSON {error, message}; never 5xx, never a
// hang; a write without credentials is refused before its body is read (401), and a body nested
// deeper than the server takes is a 400 that says so.
import type { Rng } from '../../src/sim/rng';
import { round } from '../support/round';
import { caseRng, newReport, count, runCases, type FuzzOptions, type FuzzReport } from './harness';
import {
  EDGE_NUMBERS,
  chance,
  describeBytes,
  int,
  mutateJson,
  pick,
  randomBytes,
  randomString,
  randomValue,
} from './input-kit';
import { requestLarge } from './raw-http-request';

interface HttpCase {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
  /** Nested this deep (objects and arrays, balanced): the server takes at most MAX_JSON_DEPTH. */
  depth?: number;
}

/** What the server takes (src/server/json-body.ts), checked on every nested case. */
const MAX_JSON_DEPTH = 32;

/** `valid` with one of its fields replaced by arrays and objects nested `depth` deep, balanced. */
function nested(rng: Rng, valid: object, depth: number): string {
  const open = Array.from({ length: depth }, () => (chance(rng, 0.5) ? '[' : '{"k":'));
  const close = open.map((o) => (o === '[' ? ']' : '}')).reverse();
  const keys = Object.keys(valid);
  const key = keys.length > 0 ? pick(rng, keys) : 'x';
  const json = JSON.stringify({ ...valid, [key]: '\u0000' });
  return json.replace('"\\u0000"', `${open.join('')}1${close.join('')}`);
}

const VALID_TICKET = {
  tenant: 'demo',
  title: 'Fuzz ticket',
  severity: 'warning',
  summary: 'x',
  by: 'fuzz',
};
const VALID_ALERT = {
  version: '4',
  groupKey: '{}:{alertname="PhaseStreamStalled"}',
  truncatedAlerts: 0,
  status: 'firing',
  receiver: 'phase-console',
  groupLabels: { alertname: 'PhaseStreamStalled' },
  commonLabels: { alertname: 'PhaseStreamStalled', severity: 'critical', tenant_id: 'demo' },
  commonAnnotations: { summary: 'Stream demo stalled' },
  externalURL: 'http://alertmanager:9093',
  alerts: [
    {
      status: 'firing',
      labels: { alertname: 'PhaseStreamStalled', severity: 'critical', tenant_id: 'demo' },
      annotations: { summary: 'Stream demo stalled', description: 'No frames.' },
      startsAt: '2026-03-01T12:01:00Z',
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: 'http://prometheus:9090/graph',
      fingerprint: 'c4c1f3d6a3b7e0f2',
    },
  ],
};

/** encodeURIComponent that takes lone surrogates (as U+FFFD) instead of throwing. */
const enc = (text: string): string =>
  encodeURIComponent(
    text.replace(
      /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
      '\ufffd',
    ),
  );

function randomQuery(rng: Rng, keys: string[]): string {
  const params: string[] = [];
  for (let n = int(rng, 0, 5); n > 0; n--) {
    const key = chance(rng, 0.8) ? pick(rng, keys) : randomString(rng, 10);
    const r = rng.nextFloat();
    const value =
      r < 0.2
        ? pick(rng, [
            'demo',
            '1h',
            '24h',
            '7d',
            '0',
            '5',
            '60',
            '200',
            '201',
            'open',
            'error',
            'manual',
            'auto',
            'resolved',
          ])
        : r < 0.3
          ? String(pick(rng, EDGE_NUMBERS))
          : randomString(rng, 30);
    params.push(
      chance(rng, 0.9) ? `${enc(key)}=${enc(value)}` : `${key}=${value.replace(/[\s#&]/g, '')}`,
    );
  }
  if (chance(rng, 0.05)) params.push('%E0%A4%A', '%', 'a=%ZZ');
  return params.length ? `?${params.join('&')}` : '';
}

function randomPathParam(rng: Rng): string {
  return pick(rng, [
    String(int(rng, 1, 50)),
    String(int(rng, -5, 0)),
    '99999999999999999999',
    '1.5',
    '1e3',
    'abc',
    '%20',
    enc(randomString(rng, 20)) || 'x',
    '0x10',
  ]);
}

function httpCase(rng: Rng, token: string, webhook: string): HttpCase {
  const auth = (): Record<string, string> => {
    const r = rng.nextFloat();
    if (r < 0.4) return { authorization: `Bearer ${token}` };
    if (r < 0.5) return { authorization: webhook };
    if (r < 0.7) return {};
    return {
      authorization: pick(rng, [
        'Bearer ',
        'Bearer x',
        `Basic ${token}`,
        `Bearer ${token}x`,
        randomString(rng, 40).replace(/[^\x20-\x7e]/g, ''),
      ]),
    };
  };
  const jsonBody = (valid: unknown): { body: string | Uint8Array; type: string } => {
    const r = rng.nextFloat();
    const type = pick(rng, [
      'application/json',
      'application/json',
      'application/json; charset=utf-8',
      'text/plain',
      'application/x-www-form-urlencoded',
      'application/json; charset=latin1',
      '',
    ]);
    if (r < 0.55) return { body: JSON.stringify(mutateJson(rng, valid)), type };
    if (r < 0.65) return { body: JSON.stringify(randomValue(rng)), type };
    if (r < 0.75) return { body: JSON.stringify(valid).slice(0, int(rng, 0, 60)), type };
    if (r < 0.85) return { body: randomBytes(rng, int(rng, 0, 200)), type };
    if (r < 0.9) return { body: '{"a":' + '['.repeat(int(rng, 10, 5000)), type };
    if (r < 0.995) return { body: JSON.stringify(valid), type };
    // Over the route's body limit (64 KiB for tickets, 4 MiB for the Alertmanager receiver).
    return {
      body: JSON.stringify({
        ...(valid as object),
        summary: 'x'.repeat(int(rng, 65_000, 4_300_000)),
      }),
      type,
    };
  };
  const route = int(rng, 0, 12);
  const ticketKeys = [
    'tenant',
    'severity',
    'status',
    'source',
    'resolvedBy',
    'window',
    'windowOn',
    'limit',
    'cursor',
  ];
  const post = (p: string, valid: unknown): HttpCase => {
    const { body, type } = jsonBody(valid);
    return {
      method: 'POST',
      path: p,
      headers: { ...auth(), ...(type ? { 'content-type': type } : {}) },
      body,
    };
  };
  switch (route) {
    case 0:
      return {
        method: 'GET',
        path: `/api/tickets${randomQuery(rng, ticketKeys)}`,
        headers: auth(),
      };
    case 1:
      return { method: 'GET', path: `/api/tickets/${randomPathParam(rng)}`, headers: auth() };
    case 2:
    case 3:
      return post('/api/tickets', VALID_TICKET);
    case 4:
      return post(
        `/api/tickets/${randomPathParam(rng)}/${pick(rng, ['ack', 'resolve', 'notes'])}`,
        pick(rng, [
          { by: 'fuzz' },
          { by: 'fuzz', outcome: 'true_positive', note: 'n' },
          { by: 'fuzz', text: 'note' },
        ]),
      );
    case 5:
      return {
        method: 'GET',
        path: `/api/mttr${randomQuery(rng, ['tenant', 'window'])}`,
        headers: auth(),
      };
    case 6:
    case 7:
      return post('/api/alertmanager', VALID_ALERT);
    case 8:
      return {
        method: 'GET',
        path: `/api/bandwidth${randomQuery(rng, ['tenant', 'window'])}`,
        headers: auth(),
      };
    case 9:
      return {
        method: 'GET',
        path: `/api/latency${randomQuery(rng, ['tenant', 'window'])}`,
        headers: auth(),
      };
    case 10:
      return {
        method: 'GET',
        path:
          pick(rng, [
            '/api/tenants',
            '/api/streams',
            `/api/tenants/${randomPathParam(rng)}`,
            `/api/tenants/${pick(rng, ['demo', 'live', 'small', randomPathParam(rng)])}/metrics`,
          ]) + randomQuery(rng, ['tenant', 'window']),
        headers: auth(),
      };
    case 11: {
      // Deep nesting, from harmless to the finding's 400 KB, on the writes and the receiver.
      const [path, valid] = pick(rng, [
        ['/api/alertmanager', VALID_ALERT],
        ['/api/tickets', VALID_TICKET],
        [`/api/tickets/${int(rng, 1, 20)}/notes`, { by: 'fuzz', text: 'note' }],
        [`/api/tickets/${int(rng, 1, 20)}/ack`, { by: 'fuzz' }],
      ] as const);
      const depth = pick(rng, [int(rng, 1, 40), int(rng, 30, 2000), int(rng, 10_000, 200_000)]);
      return {
        method: 'POST',
        path,
        headers: { ...auth(), 'content-type': 'application/json' },
        body: nested(rng, valid, depth),
        depth,
      };
    }
    default:
      return {
        method: 'GET',
        path: `/api/${enc(randomString(rng, 12)) || 'x'}${randomQuery(rng, [...ticketKeys, 'tenant'])}`,
        headers: auth(),
      };
  }
}

/** Bodies above this go through requestLarge. */
const LARGE_BODY_BYTES = 60_000;

export async function fuzzHttp(
  options: FuzzOptions & {
    url: string;
    token: string;
    webhookAuthorization: string;
    parallel?: number;
  },
): Promise<FuzzReport> {
  const report = newReport('http', options);
  const started = performance.now();
  const errorCodes: Record<string, number> = {};
  await runCases(options, options.parallel ?? 8, async (index) => {
    const rng = caseRng(options.seed, 'http', index);
    const c = httpCase(rng, options.token, options.webhookAuthorization);
    const describe = (): string =>
      `${c.method} ${c.path.slice(0, 200)} ${JSON.stringify(c.headers)} ${c.body === undefined ? '' : typeof c.body === 'string' ? c.body.slice(0, 200) : describeBytes(c.body)}`;
    const fail = (problem: string): void => {
      report.failures.push({
        target: 'http',
        seed: report.seed,
        index,
        input: describe(),
        problem,
      });
    };
    try {
      const large = c.body !== undefined && c.body.length > LARGE_BODY_BYTES;
      const res = large
        ? await requestLarge(`${options.url}${c.path}`, c)
        : await fetch(`${options.url}${c.path}`, {
            method: c.method,
            headers: c.headers,
            body:
              typeof c.body === 'string' || c.body === undefined ? c.body : new Uint8Array(c.body),
            signal: AbortSignal.timeout(10_000),
          });
      const text = await res.text();
      count(report, String(res.status));
      if (res.status >= 500) fail(`answered ${res.status}: ${text.slice(0, 200)}`);
      else if (res.status >= 400) {
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          fail(`answered ${res.status} with a body that is not JSON: ${text.slice(0, 120)}`);
          return;
        }
        const b = body as { error?: unknown; message?: unknown };
        if (typeof b.error !== 'string' || typeof b.message !== 'string') {
          fail(`answered ${res.status} without {error, message}: ${text.slice(0, 120)}`);
        } else
          errorCodes[`${res.status} ${b.error}`] =
            (errorCodes[`${res.status} ${b.error}`] ?? 0) + 1;
      }
      const credentials = c.headers.authorization !== undefined;
      if (c.method === 'POST' && !credentials && res.status !== 401 && res.status !== 404) {
        fail(`a write without credentials answered ${res.status}, not 401`);
      }
      if (c.depth !== undefined && c.depth > MAX_JSON_DEPTH && res.status < 400) {
        fail(`a body nested ${c.depth} deep was accepted (${res.status})`);
      }
      if (c.depth !== undefined && c.depth > MAX_JSON_DEPTH && res.status === 400) {
        count(report, 'nested: 400');
        if (!text.includes(`nests deeper than ${MAX_JSON_DEPTH}`)) {
          fail(
            `a body nested ${c.depth} deep answered 400 without saying why: ${text.slice(0, 120)}`,
          );
        }
      }
    } catch (error) {
      // Even over a route's limit the server reads the rest of the body (up to 16 MiB) so that
      // the client sees its 413: a reset or silence is a failure.
      fail(`no answer: ${(error as Error).name} ${(error as Error).message}`);
    }
    report.cases += 1;
  });
  report.errorCodes = errorCodes;
  report.seconds = round((performance.now() - started) / 1000, 2);
  return report;
}
