// The launch tooling in the app, against the real server and its real CLIs: the observer-mode
// banner follows a switch made with the admin CLI, the now-vs-baseline panel shows a baseline made
// with `kaizen baseline create`, the Gates panel shows what GET /api/gates judges, the page's own
// faults arrive as browser reports that admins read in the app, the heatmap follows the tenant's
// GPU threshold, and write controls a token may not use are disabled with the reason.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import type { BaselineComparison } from '../src/core/api/baselines';
import type { ClientReportList } from '../src/core/api/client-reports';
import type { GatesReport } from '../src/core/api/gates';
import type { Ticket } from '../src/core/api/tickets';
import {
  NO_DETECTOR_RULES,
  gotoSignedIn,
  issueToken,
  phaseViz,
  startServerWithRules,
  tempDir,
  waitForFrames,
  type RunningServer,
} from './support';

let server: RunningServer;
let dataDir: string;
let tokens: Record<'admin' | 'viewer' | 'stranger' | 'operator', string>;

function cli(script: 'admin' | 'kaizen', ...args: string[]): string {
  return execFileSync(
    process.execPath,
    ['--import', 'tsx', `src/cli/${script}.ts`, '--data', dataDir, ...args],
    { encoding: 'utf8' },
  );
}

async function api<T>(method: string, path: string, token: string, body?: unknown): Promise<T> {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok)
    throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** The panel's CSV export, as lines. */
async function csvLines(page: Page, id: string): Promise<string[]> {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId(`panel-csv-${id}`).click(),
  ]);
  return readFileSync(await download.path(), 'utf8')
    .trim()
    .split('\r\n');
}

async function openPanel(page: Page, id: string): Promise<void> {
  const toggle = page.getByTestId(`panel-toggle-${id}`);
  if ((await toggle.getAttribute('aria-expanded')) === 'false') await toggle.click();
}

test.beforeAll(async () => {
  dataDir = tempDir('launch');
  server = await startServerWithRules(NO_DETECTOR_RULES, { dataDir });
  tokens = {
    admin: issueToken(dataDir, 'demo,small', 'ana', 'admin'),
    viewer: issueToken(dataDir, 'demo', 'partner', 'viewer'),
    stranger: issueToken(dataDir, 'small', 'bo', 'operator'),
    operator: issueToken(dataDir, 'demo', 'cy', 'operator'),
  };
  // A real ticket, opened and resolved by an operator, then the baseline of the last hour made
  // with the CLI: it has an MTTR and an alarm, and gives the Phase 0 gate its alarm band.
  const opened = await api<{ ticket: Ticket }>('POST', '/api/tickets', tokens.operator, {
    tenant: 'demo',
    title: 'heatmap frozen in room 2',
    severity: 'error',
  });
  await api('POST', `/api/tickets/${opened.ticket.id}/resolve`, tokens.operator, {
    outcome: 'true_positive',
  });
  expect(cli('kaizen', 'baseline', 'create', '--name', 'v1.1', '--since', '1h')).toContain('v1.1');
});
test.afterAll(async () => {
  await server?.stop();
});

test('the observer banner shows while observer mode is on, switched by the admin CLI', async ({
  page,
}) => {
  await page.goto(`${server.url}/?tenant=demo`);
  await waitForFrames(page);
  await expect(page.getByTestId('observer-banner')).toHaveCount(0);

  cli('admin', 'observer', 'on', '--reason', 'Phase 0 burn-in', '--by', 'ana');
  const banner = page.getByTestId('observer-banner');
  await expect(banner).toBeVisible();
  await expect(banner).toContainText('Pages and Slack digests are held, not sent');
  await expect(banner).toContainText('by ana: “Phase 0 burn-in”');
  await expect(page.getByTestId('observer-held')).toHaveText('none held yet');

  cli('admin', 'observer', 'off', '--by', 'ana');
  await expect(banner).toHaveCount(0);
});

test('now vs baseline: a baseline made with the CLI beside the same figures now', async ({
  page,
}) => {
  await gotoSignedIn(page, `${server.url}/?tenant=demo`, tokens.operator);
  await openPanel(page, 'baseline');
  const panel = page.getByTestId('baseline-panel');
  await expect(page.getByTestId('baseline-select')).toHaveValue('v1.1');
  await expect(page.getByTestId('baseline-about')).toContainText('“v1.1”: 1h from');
  await expect(page.getByTestId('baseline-about')).toContainText('(intact)');

  const comparison = await api<BaselineComparison>(
    'GET',
    '/api/baselines/v1.1/comparison',
    tokens.operator,
  );
  const mttr = panel.getByTestId('baseline-row-mttr-all');
  await expect(mttr).toHaveAttribute(
    'data-baseline',
    String(comparison.baseline.snapshot.mttr.all.medianSeconds),
  );
  await expect(mttr).toContainText('(1 then, 1 now resolved)');
  await expect(panel.getByTestId('baseline-row-alarms-total')).toHaveAttribute(
    'data-baseline',
    '1',
  );
  await expect(panel.getByTestId('baseline-row-mttr-error')).toBeVisible();
  // A latency row per tenant either snapshot has figures for, an alarm row per rule.
  const latencyTenants = new Set(
    [...comparison.baseline.snapshot.latency, ...comparison.now.latency].map((l) => l.tenant),
  );
  await expect(panel.locator('[data-testid^="baseline-row-latency-"]')).toHaveCount(
    latencyTenants.size,
  );
  expect(comparison.baseline.snapshot.alarms.perRule.length).toBeGreaterThan(0);
  for (const rule of comparison.baseline.snapshot.alarms.perRule)
    await expect(panel.getByTestId('baseline-rules')).toContainText(rule.rule);
  const csv = await csvLines(page, 'baseline');
  expect(csv[0]).toBe('baseline,figure,unit,baseline_value,now_value,change');
  expect(csv).toContain(
    `v1.1,mttr-all,seconds,${comparison.baseline.snapshot.mttr.all.medianSeconds},${comparison.now.mttr.all.medianSeconds},same`,
  );
});

test('the Gates panel shows each condition with the live value, threshold and verdict the server judged', async ({
  page,
}) => {
  await page.goto(`${server.url}/?tenant=demo`);
  await waitForFrames(page);
  await openPanel(page, 'gates');
  const report = (await (await fetch(`${server.url}/api/gates`)).json()) as GatesReport;
  for (const gate of report.gates) {
    const section = page.getByTestId(`gate-${gate.id}`);
    await expect(section).toBeVisible();
    for (const condition of gate.conditions) {
      const rows = section.getByTestId(`gate-condition-${condition.id}`);
      await expect(rows.getByTestId('gate-measure')).toHaveCount(condition.measures.length);
    }
  }
  const latency = page.getByTestId('gate-condition-latency-p95').getByTestId('gate-measure');
  await expect(latency.getByTestId('gate-measure-threshold')).toHaveText('< 7.00 ms');
  // The baseline made above gives the alarm band: the Phase 0 gate judges alarm volume by it.
  const alarms = page.getByTestId('gate-condition-alarm-volume');
  await expect(alarms).not.toHaveAttribute('data-verdict', 'no_data');
  await expect(alarms.getByTestId('gate-measure-threshold')).toContainText('within 0–');
  const csv = await csvLines(page, 'gates');
  expect(csv[0]).toBe(
    'at,gate,gate_verdict,condition,condition_verdict,measure,value,unit,comparator,threshold_low,threshold_high,measure_verdict',
  );
  const measures = report.gates.flatMap((g) => g.conditions.flatMap((c) => c.measures));
  expect(csv).toHaveLength(1 + measures.length);
  const wire = page.getByTestId('gate-wire-format');
  await expect(wire).toContainText('any 2 of 3 conditions');
  await expect(page.getByTestId('gate-condition-sdk-demand')).toHaveAttribute(
    'data-verdict',
    'not_met',
  );

  // An admin records SDK demand; the panel follows within its refresh.
  await api('POST', '/api/gates/sdk-demand', tokens.admin, {
    sdk: 'rust',
    reason: 'Partner X builds a Rust client',
  });
  await expect(page.getByTestId('gate-condition-sdk-demand')).toHaveAttribute(
    'data-verdict',
    'met',
    { timeout: 20_000 },
  );
});

test("the page's faults arrive as browser reports, scrubbed, and admins read them in the app", async ({
  page,
  browser,
}) => {
  const secret = 'Q'.repeat(43);
  await page.goto(`${server.url}/?tenant=demo`);
  await waitForFrames(page);
  await expect(page.getByTestId('heatmap')).toHaveAttribute('data-render-mode', 'gpu');
  await page.evaluate((s) => {
    setTimeout(() => {
      throw new Error(`e2e boom with token ${s}`);
    });
    void Promise.reject(new Error('e2e rejected'));
    console.warn('e2e warning', { at: 'launch-tooling' });
    const canvas = document.querySelector('[data-testid="heatmap"]') as HTMLCanvasElement;
    const ext = canvas.getContext('webgl')!.getExtension('WEBGL_lose_context')!;
    (window as unknown as { loseExt: WEBGL_lose_context }).loseExt = ext;
    ext.loseContext();
  }, secret);
  await expect(page.getByTestId('heatmap')).toHaveAttribute('data-render-mode', 'cpu');
  await page.evaluate(() =>
    (window as unknown as { loseExt: WEBGL_lose_context }).loseExt.restoreContext(),
  );
  await expect(page.getByTestId('heatmap')).toHaveAttribute('data-render-mode', 'gpu');

  const kinds = [
    'exception',
    'unhandled_rejection',
    'console_warning',
    'webgl_context_lost',
    'webgl_context_restored',
    'renderer_fallback',
  ];
  let list: ClientReportList | undefined;
  await expect
    .poll(
      async () => {
        list = await api<ClientReportList>('GET', '/api/client-reports?window=1h', tokens.admin);
        return kinds.filter((k) => !list!.reports.some((r) => r.kind === k));
      },
      { timeout: 20_000 },
    )
    .toEqual([]);
  const thrown = list!.reports.find((r) => r.kind === 'exception')!;
  expect(thrown.message).toContain('e2e boom with token [redacted]');
  expect(JSON.stringify(list)).not.toContain(secret);
  expect(thrown).toMatchObject({ tenant: 'demo', page: '/?tenant=demo' });
  expect(thrown.browser).toContain('Chrome');
  expect(thrown.maxTextureSize).toBeGreaterThan(0);
  expect(thrown.webglRenderer?.length).toBeGreaterThan(0);
  expect(list!.reports.find((r) => r.kind === 'renderer_fallback')!.reason).toBe(
    'WebGL context lost',
  );

  // The operators' view: an admin lists them; a viewer is told who may.
  const admin = await browser.newPage();
  await gotoSignedIn(admin, `${server.url}/?tenant=demo`, tokens.admin);
  await openPanel(admin, 'client-reports');
  const reports = admin.getByTestId('client-report');
  await expect(reports.first()).toBeVisible();
  await expect(admin.locator('[data-testid="client-report"][data-kind="exception"]')).toContainText(
    'e2e boom with token [redacted]',
  );
  await expect(admin.getByTestId('client-reports-summary')).toContainText('webgl context lost 1');
  await admin.close();

  const viewer = await browser.newPage();
  await gotoSignedIn(viewer, `${server.url}/?tenant=demo`, tokens.viewer);
  await openPanel(viewer, 'client-reports');
  await expect(viewer.getByTestId('client-reports-admin-only')).toContainText(
    'needs an admin token',
  );
  await viewer.close();
});

test("the heatmap follows the tenant's GPU threshold unless the URL overrides it, and says which", async ({
  page,
}) => {
  try {
    await page.goto(`${server.url}/?tenant=demo`);
    const server5000 = await waitForFrames(page);
    const badge = page.getByTestId('render-badge');
    await expect(badge).toHaveAttribute('data-threshold-source', 'server');
    await expect(badge).toHaveAttribute('data-threshold', '5000');
    expect(server5000.renderMode).toBe('gpu');
    // The HUD's GPU memory: the phase texture (two bytes a spin) and the colormap's 1 KiB.
    await expect
      .poll(async () => (await phaseViz(page)).heatmapTextureBytes)
      .toBe(server5000.spins * 2 + 1024);
    await page.getByTestId('panel-toggle-performance').click();
    await expect(page.locator('[data-figure="heatmap GPU memory"]')).toHaveText(
      `${((server5000.spins * 2 + 1024) / 1e3).toFixed(1)} kB`,
    );

    cli('admin', 'tenant', 'set', 'demo', '--gpu-threshold', '20000');
    await page.reload();
    await waitForFrames(page);
    await expect(page.getByTestId('heatmap')).toHaveAttribute('data-render-mode', 'cpu');
    await expect(badge).toHaveAttribute('data-threshold-source', 'tenant');
    await expect(badge).toHaveAttribute(
      'title',
      `${server5000.spins.toLocaleString('en-US')} spins is below the GPU threshold of 20,000 spins (tenant demo's own setting)`,
    );
    expect((await phaseViz(page)).heatmapTextureBytes).toBe(0);

    await page.goto(`${server.url}/?tenant=demo&gpuThreshold=1000`);
    await waitForFrames(page);
    await expect(page.getByTestId('heatmap')).toHaveAttribute('data-render-mode', 'gpu');
    await expect(badge).toHaveAttribute('data-threshold-source', 'url');
    await expect(badge).toHaveAttribute('title', /overriding the tenant's setting/);
    expect((await phaseViz(page)).gpuThresholdSource).toBe('url');
  } finally {
    cli('admin', 'tenant', 'set', 'demo', '--gpu-threshold', 'default');
  }
});

test('ticket writes a token may not make are disabled with the reason; a granting operator acts', async ({
  browser,
}) => {
  const { ticket } = await api<{ ticket: Ticket }>('POST', '/api/tickets', tokens.operator, {
    tenant: 'demo',
    title: 'roles e2e',
    severity: 'warning',
  });
  const cases = [
    { token: tokens.viewer, reason: 'viewer', text: 'Your token “partner” is a viewer' },
    {
      token: tokens.stranger,
      reason: 'not-granted',
      text: 'Your token “bo” does not grant tenant “demo”',
    },
  ];
  for (const c of cases) {
    const page = await browser.newPage();
    await gotoSignedIn(page, `${server.url}/?tenant=demo&ticket=${ticket.id}`, c.token);
    const reason = page.getByTestId('ticket-write-reason');
    await expect(reason).toHaveAttribute('data-reason', c.reason);
    await expect(reason).toContainText(c.text);
    for (const id of ['ticket-ack', 'ticket-resolve', 'ticket-note'])
      await expect(page.getByTestId(id), `${c.reason} ${id}`).toBeDisabled();
    await expect(page.getByTestId('ticket-ack')).toHaveAttribute('title', /./);
    await page.close();
  }

  const page = await browser.newPage();
  await gotoSignedIn(page, `${server.url}/?tenant=demo&ticket=${ticket.id}`, tokens.operator);
  await expect(page.getByTestId('ticket-ack')).toBeEnabled();
  await expect(page.getByTestId('ticket-write-reason')).toHaveCount(0);
  await page.getByTestId('ticket-ack').click();
  await expect(
    page.getByTestId('ticket-timeline').locator('li[data-kind="acknowledged"]'),
  ).toContainText('by cy');
  await page.close();
});
