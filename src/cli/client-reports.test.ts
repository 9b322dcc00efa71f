// Browser reports on a real server: anonymous posts are stored scrubbed of secrets and counted,
// bounded per client (429 with Retry-After) and per request (400, 413), listed to an admin only,
// and by the CLI from the same data directory.
import path from 'node:path';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientReportList } from '../core/api/client-reports';
import type { ErrorBody } from '../core/api/errors';
import { createClientReports } from '../server/client-reports/service';
import { scrub } from '../core/secret-scrub';
import { openDatabase } from '../server/storage/database';
import { writePatternTrace } from '../testing/pattern-trace';
import { tempDir } from '../testing/temp-dir';
import { startTestServer, type TestServer } from '../testing/test-server';
import { runKaizen } from './kaizen';

const TOKEN = 'A'.repeat(20) + 'b-_'.repeat(7) + 'x'.repeat(2);

describe('scrubbing', () => {
  it("removes console tokens, bearer credentials and URLs' secrets, keeping the rest", () => {
    expect(TOKEN).toHaveLength(43);
    expect(scrub(`fetch failed: Bearer ${TOKEN} at /api`)).toBe(
      'fetch failed: Bearer [redacted] at /api',
    );
    expect(scrub(`ws bearer.${TOKEN}`)).toBe('ws bearer.[redacted]');
    expect(scrub('https://ana:hunter2@console.example/?tenant=demo&token=abc123&view=3d')).toBe(
      'https://[redacted]@console.example/?tenant=demo&token=[redacted]&view=3d',
    );
    expect(scrub('GET /x?api_key=k1&sig=s2#access_token=t3')).toBe(
      'GET /x?api_key=[redacted]&sig=[redacted]#access_token=[redacted]',
    );
    expect(scrub('WebGL: CONTEXT_LOST_WEBGL')).toBe('WebGL: CONTEXT_LOST_WEBGL');
  });
});

describe('POST /api/client-reports', () => {
  let server: TestServer;
  let adminToken: string;
  const post = (body: unknown, raw?: string) =>
    fetch(`${server.url}/api/client-reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: raw ?? JSON.stringify(body),
    });

  beforeAll(async () => {
    const trace = path.join(tempDir('reports'), 'pattern.bin');
    await writePatternTrace(trace, 16, 8, 20);
    const dataDir = tempDir('reports-data');
    server = await startTestServer(trace, {}, { dataDir });
    adminToken = server.issueToken(
      [...server.tenancy.directory.tenants.keys()],
      'admin',
      'admin',
    ).token;
  });
  afterAll(async () => server?.close());

  it("stores a report anonymously, scrubbed, with the browser's WebGL facts, and counts it", async () => {
    const response = await post({
      reports: [
        {
          kind: 'webgl_context_lost',
          message: `context lost while drawing; token ${TOKEN}`,
          tenant: 'demo',
          page: '/?tenant=demo&token=secret-value',
          browser: 'Mozilla/5.0 HeadlessChrome/156',
          webglRenderer: 'ANGLE (SwiftShader)',
          maxTextureSize: 8192,
        },
        {
          kind: 'renderer_fallback',
          message: 'canvas',
          reason: 'below the GPU threshold',
          count: 3,
        },
      ],
    });
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ accepted: 2 });
    const list = await fetch(`${server.url}/api/client-reports?kind=webgl_context_lost`, {
      headers: { authorization: `Bearer ${adminToken}` },
    });
    const body = (await list.json()) as ClientReportList;
    expect(body.total).toBe(1);
    expect(body.reports[0]).toMatchObject({
      kind: 'webgl_context_lost',
      message: 'context lost while drawing; token [redacted]',
      page: '/?tenant=demo&token=[redacted]',
      webglRenderer: 'ANGLE (SwiftShader)',
      maxTextureSize: 8192,
    });
    const metrics = await (
      await fetch(`${server.url}/metrics`, {
        headers: { authorization: server.metricsAuthorization() },
      })
    ).text();
    expect(metrics).toMatch(/^client_reports_total\{kind="renderer_fallback"\} 3$/m);
    expect(metrics).toMatch(/^client_reports_total\{kind="webgl_context_lost"\} 1$/m);
  });

  it('refuses bad and oversized requests with a message, and lists only to an admin', async () => {
    const unknown = await post({ reports: [{ kind: 'panic', message: 'x' }] });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as ErrorBody).message).toMatch(/kind/);
    expect((await post({ reports: [] })).status).toBe(400);
    expect((await post(undefined, '{"reports": [')).status).toBe(400);
    const many = Array.from({ length: 21 }, () => ({ kind: 'console_error', message: 'e' }));
    expect((await post({ reports: many })).status).toBe(400);
    const huge = await post({ reports: [{ kind: 'exception', message: 'x'.repeat(70_000) }] });
    expect(huge.status).toBe(413);
    expect((await fetch(`${server.url}/api/client-reports`)).status).toBe(401);
  });

  it('limits each client to its burst, then answers 429 with Retry-After', async () => {
    const one = { reports: [{ kind: 'console_warning', message: 'slow frame' }] };
    let status = 202;
    let sent = 0;
    while (status === 202 && sent < 200) {
      status = (await post(one)).status;
      sent += 1;
    }
    expect(status).toBe(429);
    // At least the burst of 60, less the 2 reports of the first test; a little more may have
    // dripped back in meanwhile (30 a minute).
    expect(sent - 1).toBeGreaterThanOrEqual(58);
    const refused = await post(one);
    expect(refused.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
    expect(((await refused.json()) as ErrorBody).error).toBe('too_many_requests');
    expect(
      await (
        await fetch(`${server.url}/metrics`, {
          headers: { authorization: server.metricsAuthorization() },
        })
      ).text(),
    ).toMatch(/^client_reports_rate_limited_total [1-9]/m);
  });

  it('is listed by the CLI from the data directory', async () => {
    const out: string[] = [];
    const code = await runKaizen(
      ['client-reports', '--kind', 'renderer_fallback', '--data', server.dataDir],
      {},
      { out: (t) => void out.push(t), err: () => {} },
    );
    expect(code).toBe(0);
    expect(out[0]).toBe('1 browser report in the last 24h: renderer_fallback 1');
    expect(out[1]).toMatch(/renderer_fallback x3 {2}canvas \(below the GPU threshold\)$/);
  });
});

describe('the report table', () => {
  it('keeps at most its cap, the newest', () => {
    const db = openDatabase(':memory:');
    const reports = createClientReports(db, new Registry(), { maxReports: 5 });
    for (let i = 0; i < 8; i++) reports.accept([{ kind: 'console_error', message: `e${i}` }]);
    const list = reports.store.list({ limit: 100 });
    expect(list.total).toBe(5);
    expect(list.reports.map((r) => r.message)).toEqual(['e7', 'e6', 'e5', 'e4', 'e3']);
  });
});
