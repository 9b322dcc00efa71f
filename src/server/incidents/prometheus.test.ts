// The operator's side of the Kaizen loop: the Prometheus rules and config in ops/ pass promtool,
// the console's /metrics passes `promtool check metrics`, and a real Prometheus scrapes it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ensureSecret, secretPath } from '../secrets';
import { freePort } from '../../testing/free-port';
import { writePatternTrace } from '../../testing/pattern-trace';
import { tempDir } from '../../testing/temp-dir';
import { TestClient } from '../../testing/test-client';
import { startTestServer, type TestServer } from '../../testing/test-server';
import { SEVERITIES } from './types';

const OPS = path.resolve('ops');
const PROMETHEUS = '/usr/bin/prometheus';
const hasPromtool = spawnSync('promtool', ['--version']).status === 0;
const hasPrometheus = existsSync(PROMETHEUS);
const NEEDS = 'needs promtool and prometheus: apt-get install -y prometheus';
if (!hasPromtool || !hasPrometheus) console.warn(`[kaizen] skipping Prometheus tests: ${NEEDS}`);

function promtool(args: string[], input?: string) {
  const result = spawnSync('promtool', args, { input, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe.skipIf(!hasPromtool)(`ops/prometheus with promtool (${NEEDS})`, () => {
  it.each([
    { name: 'the alert rules are valid', args: ['check', 'rules', `${OPS}/prometheus/rules.yml`] },
    {
      name: 'the rules pass their unit tests',
      args: ['test', 'rules', `${OPS}/prometheus/rules.test.yml`],
    },
  ])('$name', ({ args }) => {
    const { status, output } = promtool(args);
    expect(output).toContain('SUCCESS');
    expect(status, output).toBe(0);
  });

  it('the scrape config (with its rules) is valid, its secret file where a console wrote one', () => {
    // promtool checks that the credentials file exists: a copy points at one in a temporary data
    // directory, as a console writes it, and keeps everything else.
    const dir = tempDir('prometheus-config');
    const dataDir = path.join(dir, 'data');
    ensureSecret(dataDir, 'metrics');
    const config = readFileSync(`${OPS}/prometheus/prometheus.yml`, 'utf8');
    const deployed = '/var/lib/phase-console/metrics-scrape.secret';
    expect(config).toContain(deployed);
    writeFileSync(
      path.join(dir, 'prometheus.yml'),
      config.replace(deployed, secretPath(dataDir, 'metrics')),
    );
    writeFileSync(path.join(dir, 'rules.yml'), readFileSync(`${OPS}/prometheus/rules.yml`, 'utf8'));
    const { status, output } = promtool(['check', 'config', path.join(dir, 'prometheus.yml')]);
    expect(output).toContain('SUCCESS');
    expect(status, output).toBe(0);
  });

  it('fails a rule file with a bad `for:`, so the check above can fail', () => {
    const bad = path.join(tempDir('rules'), 'bad.yml');
    const rules = readFileSync(`${OPS}/prometheus/rules.yml`, 'utf8');
    writeFileSync(bad, rules.replace('for: 1m', 'for: one minute'));
    const { status, output } = promtool(['check', 'rules', bad]);
    expect(status).not.toBe(0);
    expect(output).toMatch(/one minute/);
  });

  it('accepts a compound `for:` such as 1h30m', () => {
    const compound = path.join(tempDir('rules'), 'compound.yml');
    const rules = readFileSync(`${OPS}/prometheus/rules.yml`, 'utf8');
    writeFileSync(compound, rules.replace('for: 1m', 'for: 1h30m'));
    const { status, output } = promtool(['check', 'rules', compound]);
    expect(output).toContain('SUCCESS');
    expect(status, output).toBe(0);
  });
});

describe('ops files', () => {
  const rules = readFileSync(`${OPS}/prometheus/rules.yml`, 'utf8');

  it('gives every alert a severity the ticket receiver accepts, and a summary', () => {
    const alerts = rules.split(/^ {6}- alert: /m).slice(1);
    expect(alerts.length).toBeGreaterThanOrEqual(4);
    for (const alert of alerts) {
      const name = alert.split('\n')[0];
      const severity = /^ {10}severity: (\S+)$/m.exec(alert)?.[1];
      expect(SEVERITIES, `${name} severity`).toContain(severity);
      expect(alert, `${name} summary`).toMatch(/^ {10}summary: /m);
    }
  });

  it('points Alertmanager at the receiver, with resolved notifications and the webhook secret', () => {
    const config = readFileSync(`${OPS}/alertmanager/alertmanager.yml`, 'utf8');
    expect(config).toMatch(/url: http:\/\/[^\s]+\/api\/alertmanager$/m);
    expect(config).toMatch(/send_resolved: true$/m);
    expect(config).toMatch(/type: Bearer$/m);
    expect(config).toMatch(/credentials_file: \S+\/alertmanager-webhook\.secret$/m);
  });

  it('has Prometheus present the scrape secret to /metrics', () => {
    const config = readFileSync(`${OPS}/prometheus/prometheus.yml`, 'utf8');
    expect(config).toMatch(
      /job_name: phase-console\n(?:.*\n)*? {4}authorization:\n {6}credentials_file: \S+\/metrics-scrape\.secret$/m,
    );
  });

  it('provisions a dashboard with MTTR stats that drill down, a latency heatmap, bandwidth and a tenant variable', () => {
    const provider = readFileSync(`${OPS}/grafana/provisioning/dashboards/provider.yml`, 'utf8');
    expect(provider).toMatch(/^apiVersion: 1$/m);
    expect(provider).toMatch(/type: file$/m);
    const dashboard = JSON.parse(readFileSync(`${OPS}/grafana/dashboards/kaizen.json`, 'utf8')) as {
      uid: string;
      templating: { list: { name: string; type: string }[] };
      panels: {
        type: string;
        title: string;
        targets?: { expr: string; datasource: { uid: string } }[];
        fieldConfig?: { defaults: { links?: { url: string }[] } };
      }[];
    };
    expect(dashboard.templating.list.map((v) => v.name)).toEqual(
      expect.arrayContaining(['datasource', 'tenant', 'window']),
    );
    const panels = dashboard.panels.filter((p) => p.type !== 'row');
    const exprs = panels.flatMap((p) => p.targets ?? []).map((t) => t.expr);
    for (const panel of panels) {
      for (const target of panel.targets ?? []) {
        expect(target.datasource.uid).toBe('${datasource}');
        expect(target.expr, panel.title).toContain('tenant_id="$tenant"');
      }
    }
    const mttrStats = panels.filter(
      (p) => p.type === 'stat' && p.targets?.some((t) => t.expr.includes('kaizen_mttr_seconds')),
    );
    expect(mttrStats.length).toBeGreaterThanOrEqual(1);
    for (const stat of mttrStats) {
      const url = stat.fieldConfig?.defaults.links?.[0]?.url ?? '';
      expect(url).toContain('/?view=tickets&tenant=${tenant}&severity=${__field.labels.severity}');
    }
    expect(
      panels.some(
        (p) =>
          p.type === 'heatmap' &&
          p.targets?.some((t) => t.expr.includes('mcp_message_latency_seconds_bucket')),
      ),
    ).toBe(true);
    expect(exprs.some((e) => /rate\(delta_bytes_saved_total\{/.test(e))).toBe(true);
    // Every series a panel reads is exported by the console or recorded by rules.yml.
    const known = new Set([
      ...['ws_bytes_sent_total', 'delta_bytes_saved_total', 'mcp_message_latency_seconds_bucket'],
      'ws_fanout_seconds_bucket',
      ...['kaizen_mttr_seconds', 'kaizen_resolved_tickets', 'kaizen_open_tickets'],
      ...['kaizen_latency_slo_seconds', 'kaizen_resolution_seconds_bucket', 'kaizen_alerts_total'],
      ...['kaizen_tickets_opened_total', 'codec_encode_cpu_seconds_sum'],
      ...[...rules.matchAll(/record: (\S+)/g)].map((m) => m[1]!),
    ]);
    for (const expr of exprs) {
      for (const [, name] of expr.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\{/g))
        expect(known, expr).toContain(name);
    }
  });
});

describe.skipIf(!hasPromtool || !hasPrometheus)(`the console's /metrics (${NEEDS})`, () => {
  let server: TestServer;
  let client: TestClient;

  beforeAll(async () => {
    const tracePath = path.join(tempDir('kaizen-prom'), 'pattern.bin');
    await writePatternTrace(tracePath, 24, 16, 50);
    server = await startTestServer(tracePath);
    const { kaizen } = server;
    const { store } = kaizen;
    const open = (fingerprint: string) =>
      store.openOrDedup({
        tenantId: 'demo',
        visibility: 'public',
        title: fingerprint,
        severity: 'error',
        source: 'manual',
        fingerprint,
        actor: 'ana',
      }).ticket;
    store.resolve(open('a').id, { by: 'ana', outcome: 'true_positive' });
    store.resolveIncident('demo', open('b').fingerprint, {});
    open('c');
    kaizen.detector.setTenantSlo('demo', 7);
    // A watching client, so the stream's per-tenant counters exist.
    client = new TestClient(server.wsUrl);
    await client.opened;
    await client.waitFor(() => client.frames().length >= 5);
  });

  afterAll(async () => {
    client?.close();
    await server?.close();
  });

  it('refuses a scrape without the scrape secret, naming where to find it', async () => {
    const anonymous = await fetch(`${server.url}/metrics`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer realm="phase-console"');
    const body = await anonymous.text();
    expect(body).toContain('secret show metrics');
    expect(body).not.toContain('tenant_id');
    const wrong = await fetch(`${server.url}/metrics`, {
      headers: { authorization: `Bearer ${'x'.repeat(43)}` },
    });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });

  it('passes promtool check metrics, Kaizen metrics included', async () => {
    const text = await (
      await fetch(`${server.url}/metrics`, {
        headers: { authorization: server.metricsAuthorization() },
      })
    ).text();
    for (const family of [
      'kaizen_mttr_seconds gauge',
      'kaizen_resolution_seconds histogram',
      'kaizen_alerts_total counter',
      'kaizen_open_tickets gauge',
      'delta_bytes_saved_total counter',
    ]) {
      expect(text).toContain(`# TYPE ${family}`);
    }
    const { output } = promtool(['check', 'metrics'], text);
    const complaints = output
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l.length > 0);
    expect(complaints.filter((l) => l.includes('kaizen_'))).toEqual([]);
    expect(complaints).toEqual([]);
  });

  it('is scraped by a real Prometheus: delta_bytes_saved_total and kaizen_mttr_seconds query back', async () => {
    const dir = tempDir('prometheus');
    const port = await freePort();
    const config = path.join(dir, 'prometheus.yml');
    writeFileSync(
      config,
      [
        'global:',
        '  scrape_interval: 1s',
        'scrape_configs:',
        '  - job_name: phase-console',
        '    authorization:',
        `      credentials_file: ${secretPath(server.dataDir, 'metrics')}`,
        '    static_configs:',
        `      - targets: ['${new URL(server.url).host}']`,
        '',
      ].join('\n'),
    );
    const prometheus: ChildProcess = spawn(
      PROMETHEUS,
      [
        `--config.file=${config}`,
        `--storage.tsdb.path=${path.join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--log.level=warn',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    prometheus.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<void>((resolve) => prometheus.once('exit', () => resolve()));
    const query = async (expr: string) => {
      const url = `http://127.0.0.1:${port}/api/v1/query?query=${encodeURIComponent(expr)}`;
      const body = (await (await fetch(url)).json()) as {
        data: { result: { metric: Record<string, string>; value: [number, string] }[] };
      };
      return body.data.result;
    };
    try {
      const deadline = Date.now() + 30_000;
      let saved: Awaited<ReturnType<typeof query>> = [];
      while (saved.length === 0) {
        if (Date.now() > deadline || prometheus.exitCode !== null) {
          throw new Error(`Prometheus returned no delta_bytes_saved_total in 30 s: ${stderr}`);
        }
        await new Promise((r) => setTimeout(r, 500));
        saved = await query('delta_bytes_saved_total').catch(() => []);
      }
      expect(saved[0]!.metric).toMatchObject({ tenant_id: 'demo', job: 'phase-console' });
      expect(Number(saved[0]!.value[1])).toBeGreaterThanOrEqual(0);
      const mttr = await query('kaizen_mttr_seconds{stat="median", window="24h"}');
      expect(mttr.map((r) => r.metric.severity)).toEqual(['error']);
    } finally {
      prometheus.kill('SIGTERM');
      await exited;
    }
  });
});
