import { expect, test, type Page } from '@playwright/test';
import { formatDuration } from '../src/app/tickets/format';
import type { Ticket, TicketPage } from '../src/core/api/tickets';
import {
  NO_DETECTOR_RULES,
  adminCli,
  issueToken,
  startServerWithRules,
  tempDir,
  type RunningServer,
} from './support';

// A server of its own on a fresh data directory, with the detector's rules off: the only tickets
// are the ones seeded here through the real API (the Alertmanager receiver with the data
// directory's webhook secret, which takes the incident's start and end times, and the ticket routes
// with operator tokens), so the figures the cards must show can be computed from them. Each person
// has a token of their own: the actor on a timeline is the token's name.

let server: RunningServer;
/** Operator tokens granted demo and small, named after the people who act. */
let tokens: Record<'ana' | 'bo' | 'cy', string>;
let webhookSecret: string;
let ids: Record<string, number>;
/** Seconds to resolve the two tickets people resolved (measured by the server, to the ms). */
let personSeconds: { D: number; E: number };

const MIN = 60_000;
const HOUR = 60 * MIN;

async function api<T>(
  method: string,
  url: string,
  body?: unknown,
  authorization = `Bearer ${tokens.ana}`,
): Promise<T> {
  const response = await fetch(`${server.url}${url}`, {
    method,
    headers: {
      authorization,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok)
    throw new Error(`${method} ${url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

interface Alert {
  key: string;
  tenant: string;
  severity: string;
  startsAtMs: number;
  endsAtMs?: number;
}

async function alertmanager(status: 'firing' | 'resolved', alerts: Alert[]): Promise<void> {
  await api(
    'POST',
    '/api/alertmanager',
    {
      version: '4',
      status,
      alerts: alerts.map((a) => ({
        status,
        labels: { alertname: `E2e${a.key}`, severity: a.severity, tenant_id: a.tenant },
        annotations: { summary: `e2e ${a.key}`, description: `seeded ticket ${a.key}` },
        startsAt: new Date(a.startsAtMs).toISOString(),
        ...(status === 'resolved' ? { endsAt: new Date(a.endsAtMs!).toISOString() } : {}),
        fingerprint: `e2e-${a.key}`,
      })),
    },
    `Bearer ${webhookSecret}`,
  );
}

test.beforeAll(async () => {
  test.setTimeout(120_000);
  const dataDir = tempDir('mttr');
  server = await startServerWithRules(NO_DETECTOR_RULES, { dataDir });
  tokens = {
    ana: issueToken(dataDir, 'demo,small', 'ana'),
    bo: issueToken(dataDir, 'demo,small', 'bo'),
    cy: issueToken(dataDir, 'demo,small', 'cy'),
  };
  webhookSecret = adminCli(dataDir, 'secret', 'show', 'alertmanager').trim();
  // A token the admin CLI issued works at once.
  expect(
    (
      await fetch(`${server.url}/api/tenants`, {
        headers: { authorization: `Bearer ${tokens.ana}` },
      })
    ).status,
  ).toBe(200);

  const now = Date.now();
  // Resolved by themselves (Alertmanager), durations set by the alerts' times.
  const auto: Alert[] = [
    {
      key: 'A',
      tenant: 'demo',
      severity: 'error',
      startsAtMs: now - 50 * MIN,
      endsAtMs: now - 40 * MIN,
    },
    {
      key: 'B',
      tenant: 'demo',
      severity: 'error',
      startsAtMs: now - 30 * MIN,
      endsAtMs: now - 25 * MIN,
    },
    // Opened before the 24 h window, resolved inside it: MTTR counts it.
    {
      key: 'C',
      tenant: 'demo',
      severity: 'error',
      startsAtMs: now - 30 * HOUR,
      endsAtMs: now - 20 * HOUR,
    },
    {
      key: 'F',
      tenant: 'demo',
      severity: 'warning',
      startsAtMs: now - 10 * MIN,
      endsAtMs: now - 8 * MIN,
    },
    // Resolved three days ago: in 7 d, not in 24 h.
    {
      key: 'H',
      tenant: 'demo',
      severity: 'error',
      startsAtMs: now - 73 * HOUR,
      endsAtMs: now - 72 * HOUR,
    },
    // Another tenant, visible to the token: never in demo's figures or lists.
    {
      key: 'I',
      tenant: 'small',
      severity: 'error',
      startsAtMs: now - 12 * MIN,
      endsAtMs: now - 11 * MIN,
    },
  ];
  // Resolved by a person through the ticket routes.
  const byPerson: Alert[] = [
    { key: 'D', tenant: 'demo', severity: 'error', startsAtMs: now - 20 * MIN },
    { key: 'E', tenant: 'demo', severity: 'warning', startsAtMs: now - 15 * MIN },
  ];
  await alertmanager('firing', [...auto, ...byPerson]);
  await alertmanager('resolved', auto);
  // Still open: counts as open, not in MTTR.
  await api('POST', '/api/tickets', {
    tenant: 'demo',
    title: 'e2e G',
    severity: 'warning',
    summary: 'seeded ticket G',
    by: 'ana',
  });

  const page = await api<TicketPage>('GET', '/api/tickets?limit=200');
  ids = Object.fromEntries(page.tickets.map((t) => [t.title.replace('e2e ', ''), t.id]));
  expect(Object.keys(ids).sort()).toEqual(['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I']);

  const d = await api<Ticket>('POST', `/api/tickets/${ids.D}/resolve`, {
    by: 'ana',
    outcome: 'true_positive',
    note: 'restarted the replay',
  });
  const asBo = `Bearer ${tokens.bo}`;
  await api('POST', `/api/tickets/${ids.E}/ack`, { by: 'bo' }, asBo);
  const e = await api<Ticket>(
    'POST',
    `/api/tickets/${ids.E}/resolve`,
    { by: 'bo', outcome: 'false_positive' },
    asBo,
  );
  if (d.resolutionSeconds === null || e.resolutionSeconds === null) {
    throw new Error(`resolved tickets without resolutionSeconds: ${JSON.stringify([d, e])}`);
  }
  personSeconds = { D: d.resolutionSeconds, E: e.resolutionSeconds };
});

test.afterAll(async () => {
  await server?.stop();
});

/** numpy's default quantile, as docs/API.md defines the median. */
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (sorted.length - 1) / 2;
  const lower = Math.floor(rank);
  return sorted[lower]! + (sorted[Math.ceil(rank)]! - sorted[lower]!) * (rank - lower);
}

async function signedIn(page: Page, query: string, as: keyof typeof tokens = 'ana'): Promise<void> {
  await page.addInitScript((t) => sessionStorage.setItem('phase-console.token', t), tokens[as]);
  await page.goto(`${server.url}/${query}`);
}

async function listedIds(page: Page): Promise<number[]> {
  await expect(page.getByTestId('ticket-list')).toBeVisible();
  const rows = page.getByTestId('ticket-row');
  return (await rows.evaluateAll((els) => els.map((el) => el.getAttribute('data-ticket-id')))).map(
    Number,
  );
}

test('MTTR cards show figures from real tickets; clicking one lists exactly the matching tickets', async ({
  page,
}) => {
  // The panels' time range is shared (it was the MTTR panel's own select, 24 h by default).
  await signedIn(page, '?tenant=demo&range=24h');
  const errors = page.getByTestId('mttr-card-error');
  const warnings = page.getByTestId('mttr-card-warning');

  // error, 24 h: A 600 s, B 300 s, C 36,000 s (by themselves), D by a person.
  const errorSeconds = [600, 300, 36_000, personSeconds.D];
  const errorMedian = median(errorSeconds);
  await expect(errors).toHaveAttribute('data-count', '4');
  expect(Number(await errors.getAttribute('data-median-seconds'))).toBeCloseTo(errorMedian, 2);
  await expect(errors.getByTestId('mttr-median')).toHaveText(formatDuration(errorMedian));
  await expect(errors.getByTestId('mttr-count')).toHaveText('n = 4');
  await expect(errors.getByTestId('mttr-split')).toContainText('auto 3');
  await expect(errors.getByTestId('mttr-split')).toContainText('person 1');
  await expect(errors.getByTestId('mttr-open')).toHaveText('0 open');

  // warning: E by a person, F 120 s by itself; G still open.
  const warningMedian = median([personSeconds.E, 120]);
  await expect(warnings).toHaveAttribute('data-count', '2');
  expect(Number(await warnings.getAttribute('data-median-seconds'))).toBeCloseTo(warningMedian, 2);
  await expect(warnings.getByTestId('mttr-median')).toHaveText(formatDuration(warningMedian));
  await expect(warnings.getByTestId('mttr-count')).toHaveText('n = 2');
  await expect(warnings.getByTestId('mttr-open')).toHaveText('1 open');

  for (const severity of ['critical', 'info']) {
    const card = page.getByTestId(`mttr-card-${severity}`);
    await expect(card).toHaveAttribute('data-count', '0');
    await expect(card.getByTestId('mttr-empty')).toHaveText('no tickets resolved in 24 h');
  }

  // Over 7 d the ticket resolved three days ago counts too.
  await page.getByTestId('time-range-select').selectOption('7d');
  await expect(page.getByTestId('mttr-panel')).toHaveAttribute('data-window', '7d');
  await expect(errors).toHaveAttribute('data-count', '5');
  await expect(errors.getByTestId('mttr-median')).toHaveText(
    formatDuration(median([...errorSeconds, 3600])),
  );
  await page.getByTestId('time-range-select').selectOption('24h');
  await expect(errors).toHaveAttribute('data-count', '4');

  // The card's figures are one button: keyboard focus and Enter open its tickets, newest opened
  // first (its open count is another button, with its own drill-down).
  await errors.getByTestId('mttr-resolved').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('heatmap')).toBeHidden();
  await expect.poll(() => listedIds(page)).toEqual([ids.D, ids.B, ids.A, ids.C]);
  await expect(page.getByTestId('tickets-total')).toHaveAttribute('data-value', '4');
  await expect(page.getByTestId('ticket-filters')).toContainText('severity: error');
  await expect(page.getByTestId('ticket-filters')).toContainText('resolved in 24 h');
  const url = new URL(page.url());
  expect(url.searchParams.get('view')).toBe('tickets');
  expect(url.searchParams.getAll('severity')).toEqual(['error']);
  expect(url.searchParams.get('window')).toBe('24h');

  // A ticket opens with its timeline.
  await page.getByTestId(`open-ticket-${ids.D}`).click();
  await expect(page.getByTestId('ticket-title')).toHaveText('e2e D');
  const timeline = page.getByTestId('ticket-timeline').locator('li');
  await expect(timeline).toHaveCount(2);
  expect(
    await timeline.evaluateAll((els) => els.map((el) => el.getAttribute('data-kind'))),
  ).toEqual(['opened', 'resolved']);
  await expect(timeline.nth(1)).toContainText('by ana');
  await expect(timeline.nth(1)).toContainText('restarted the replay');
  await expect(page.getByTestId('ticket-fields')).toContainText('true positive');

  // Back (the browser's, then the page's) returns to the list, then to the heatmap.
  await page.goBack();
  await expect.poll(() => listedIds(page)).toEqual([ids.D, ids.B, ids.A, ids.C]);
  await page.getByTestId('tickets-close').click();
  await expect(page.getByTestId('heatmap')).toBeVisible();
  await expect(page.getByTestId('ticket-list')).toHaveCount(0);

  // A mouse click on another card's figures lists its tickets: E and F, not the open G.
  await warnings.getByTestId('mttr-resolved').click();
  await expect.poll(() => listedIds(page)).toEqual([ids.F, ids.E]);
});

test("the Grafana dashboard's links open the filtered list; chips remove filters", async ({
  page,
}) => {
  await signedIn(page, '?view=tickets&tenant=demo&severity=error&window=24h&status=resolved');
  await expect.poll(() => listedIds(page)).toEqual([ids.D, ids.B, ids.A, ids.C]);

  await page.goto(
    `${server.url}/?view=tickets&tenant=demo&severity=warning&window=24h&status=open`,
  );
  await expect.poll(() => listedIds(page)).toEqual([ids.G]);

  await page.goto(
    `${server.url}/?view=tickets&tenant=demo&severity=critical&window=1h&status=resolved`,
  );
  await expect(page.getByTestId('tickets-empty')).toHaveText(
    'No critical tickets of demo resolved in 1 h.',
  );
  // Without the severity: every demo ticket resolved in the last hour.
  await page.getByTestId('chip-remove-severity-critical').click();
  await expect.poll(() => listedIds(page)).toEqual([ids.F, ids.E, ids.D, ids.B, ids.A]);
  expect(new URL(page.url()).searchParams.has('severity')).toBe(false);
  // Without the tenant too: the other tenant's ticket joins.
  await page.getByTestId('chip-remove-tenant').click();
  await expect.poll(() => listedIds(page)).toEqual([ids.F, ids.I, ids.E, ids.D, ids.B, ids.A]);
});

test('a ticket shows its timeline and takes notes with a granting token; without one it says why', async ({
  page,
  browser,
}) => {
  await signedIn(page, `?tenant=demo&ticket=${ids.E}`, 'cy');
  const timeline = page.getByTestId('ticket-timeline').locator('li');
  await expect(timeline).toHaveCount(3);
  expect(
    await timeline.evaluateAll((els) => els.map((el) => el.getAttribute('data-kind'))),
  ).toEqual(['opened', 'acknowledged', 'resolved']);
  await expect(timeline.nth(1)).toContainText('by bo');
  // A signed-in operator acts under the token's name, which the server records: no name to type.
  await expect(page.getByTestId('ticket-acting-as')).toHaveText('acting as cy');
  await expect(page.getByTestId('ticket-by')).toHaveCount(0);
  await page.getByTestId('ticket-note-text').fill('post-mortem: noisy rule');
  await page.getByTestId('ticket-note').click();
  await expect(timeline).toHaveCount(4);
  await expect(timeline.nth(3)).toContainText('post-mortem: noisy rule');
  await expect(timeline.nth(3)).toContainText('by cy');

  // Anonymous: the public tenant's ticket reads, but acknowledging it is not offered, with the
  // reason, before anyone tries.
  const anonymous = await browser.newPage();
  await anonymous.goto(`${server.url}/?tenant=demo&ticket=${ids.G}`);
  await expect(anonymous.getByTestId('ticket-title')).toHaveText('e2e G');
  await expect(anonymous.getByTestId('ticket-write-reason')).toHaveText(
    'Sign in with an operator token that grants tenant “demo” to change its tickets (token… in the header).',
  );
  await expect(anonymous.getByTestId('ticket-ack')).toBeDisabled();
  // The private tenant's ticket is not there for it at all.
  await anonymous.goto(`${server.url}/?ticket=${ids.I}`);
  await expect(anonymous.getByTestId('ticket-missing')).toBeVisible();
  await anonymous.close();

  // With the token, acknowledging works and lands on the timeline.
  await page.goto(`${server.url}/?tenant=demo&ticket=${ids.G}`);
  await page.getByTestId('ticket-ack').click();
  await expect(
    page.getByTestId('ticket-timeline').locator('li[data-kind="acknowledged"]'),
  ).toContainText('by cy');
  await expect(page.getByTestId('ticket-fields')).toContainText('acknowledged');
});

test('Load more pages along the cursor', async ({ page }) => {
  for (let i = 0; i < 52; i++) {
    await api('POST', '/api/tickets', {
      tenant: 'demo',
      title: `e2e page ${i}`,
      severity: 'info',
      by: 'ana',
    });
  }
  await signedIn(page, '?view=tickets&tenant=demo&severity=info');
  await expect(page.getByTestId('ticket-row')).toHaveCount(50);
  await expect(page.getByTestId('tickets-total')).toHaveAttribute('data-value', '52');
  await page.getByTestId('tickets-more').click();
  await expect(page.getByTestId('ticket-row')).toHaveCount(52);
  await expect(page.getByTestId('tickets-more')).toHaveCount(0);
  const listed = await listedIds(page);
  expect(new Set(listed).size).toBe(52);
});
