// Real tickets, sent through the real Alertmanager receiver, in the operator's views: an MTTR card
// drills down to what it counts, ticket times carry a zone and agree between list and timeline
// (the alert's start and the webhook's arrival both shown, named), a Prometheus link is a link,
// and the shared time range, the charts' axes, tooltips and ticket annotations work as in Grafana.
import { expect, test, type Locator, type Page } from '@playwright/test';
import type { TicketPage } from '../src/core/api/tickets';
import {
  NO_DETECTOR_RULES,
  phaseViz,
  startServerWithRules,
  tempDir,
  waitForFrames,
  webhookAuthorization,
  type RunningServer,
} from './support';

let server: RunningServer;
let dataDir: string;
/** Ticket ids by key: S stalled (critical, open, began 5 min before it arrived), R recent. */
let ids: Record<'S' | 'R', number>;

const MIN = 60_000;

async function alertmanager(alerts: { key: string; severity: string; startsAtMs: number }[]) {
  const response = await fetch(`${server.url}/api/alertmanager`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: webhookAuthorization(dataDir) },
    body: JSON.stringify({
      version: '4',
      status: 'firing',
      alerts: alerts.map((a) => ({
        status: 'firing',
        labels: { alertname: `Ux${a.key}`, severity: a.severity, tenant_id: 'demo' },
        annotations: { summary: `ux ${a.key}`, description: `seeded ticket ${a.key}` },
        startsAt: new Date(a.startsAtMs).toISOString(),
        generatorURL: `http://prometheus:9090/graph?g0.expr=ux_${a.key}`,
        fingerprint: `ux-${a.key}`,
      })),
    }),
  });
  if (!response.ok) throw new Error(`alertmanager: ${response.status} ${await response.text()}`);
}

test.beforeAll(async () => {
  dataDir = tempDir('tickets-ux');
  server = await startServerWithRules(NO_DETECTOR_RULES, { dataDir });
  await alertmanager([{ key: 'S', severity: 'critical', startsAtMs: Date.now() - 5 * MIN }]);
  const page = (await (await fetch(`${server.url}/api/tickets`)).json()) as TicketPage;
  ids = { S: page.tickets.find((t) => t.title === 'ux S')!.id, R: 0 };
});
test.afterAll(async () => {
  await server?.stop();
});

async function listedIds(page: Page): Promise<number[]> {
  await expect(page.getByTestId('ticket-list')).toBeVisible();
  return page
    .getByTestId('ticket-row')
    .evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-ticket-id'))));
}

test('an MTTR card lists what it counts: its open count the open tickets, its figures the resolved ones', async ({
  page,
}) => {
  await page.goto(`${server.url}/?tenant=demo`);
  const critical = page.getByTestId('mttr-card-critical');
  await expect(critical.getByTestId('mttr-open')).toHaveText('1 open');
  await expect(critical.getByTestId('mttr-empty')).toHaveText('no tickets resolved in 1 h');

  await critical.getByTestId('mttr-open').click();
  await expect.poll(() => listedIds(page)).toEqual([ids.S]);
  await expect(page.getByTestId('ticket-filters')).toContainText('status: open');
  await expect(page.getByTestId('ticket-filters')).toContainText('status: acknowledged');
  expect(new URL(page.url()).searchParams.getAll('status')).toEqual(['open', 'acknowledged']);

  await page.goBack();
  await critical.getByTestId('mttr-resolved').click();
  await expect(page.getByTestId('tickets-empty')).toHaveText(
    'No critical tickets of demo resolved in 1 h.',
  );
});

test("ticket times carry a zone, agree between list and timeline, and name the alert's start and the webhook's arrival", async ({
  page,
}) => {
  await page.goto(`${server.url}/?view=tickets&tenant=demo`);
  await expect.poll(() => listedIds(page)).toContain(ids.S);
  const row = page.locator(`[data-ticket-id="${ids.S}"]`);
  const listed = (await row.getByTestId('ticket-opened').textContent())!;
  expect(listed).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC([+−]\d+(:\d\d)?)?$/);

  await page.getByTestId(`open-ticket-${ids.S}`).click();
  const fields = page.getByTestId('ticket-fields');
  await expect(fields.locator('[data-field="opened"]')).toHaveText(listed);
  const opening = page.getByTestId('ticket-timeline').locator('li').first();
  await expect(opening).toHaveAttribute('data-kind', 'opened');
  await expect(opening.locator('time').first()).toHaveText(listed);
  await expect(opening).toContainText('opened: incident began');
  // The webhook came about five minutes after the alert began: a second time, named.
  const received = opening.getByTestId('timeline-received');
  await expect(received).toContainText('(webhook arrival)');
  const arrival = (await received.locator('time').textContent())!;
  expect(arrival).not.toBe(listed);
  await expect(fields.locator('[data-field="received"]')).toContainText(
    `${arrival} (the webhook arrived 5 min`,
  );

  // The alert's Prometheus link is a link, opening a new tab, without an opener.
  const link = opening.locator('a[href^="http://prometheus:9090/graph"]');
  await expect(link).toHaveAttribute('href', 'http://prometheus:9090/graph?g0.expr=ux_S');
  await expect(link).toHaveAttribute('target', '_blank');
  await expect(link).toHaveAttribute('rel', 'noopener noreferrer');
});

/** WCAG contrast ratio of two CSS rgb() colours. */
function contrast(a: string, b: string): number {
  const lum = (css: string): number => {
    const [r, g, bl] = css
      .match(/\d+(\.\d+)?/g)!
      .slice(0, 3)
      .map(Number);
    const lin = (c: number) => {
      const v = c / 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * lin(r!) + 0.7152 * lin(g!) + 0.0722 * lin(bl!);
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

async function hoverMiddle(chart: Locator, page: Page): Promise<void> {
  const box = (await chart.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.97, box.y + box.height * 0.5);
}

test('charts have time and unit axes, readable tooltips, and tickets as annotations that open them', async ({
  page,
}) => {
  await page.goto(`${server.url}/?tenant=demo`);
  await waitForFrames(page);
  const chart = page.getByTestId('latency-chart');
  await expect(chart).toBeVisible({ timeout: 20_000 });
  const xTicks = chart.locator('.recharts-xAxis-tick-labels text');
  await expect(xTicks.first()).toHaveText(/^\d\d:\d\d$/);
  expect(await xTicks.count()).toBeGreaterThanOrEqual(3);
  await expect(chart.locator('.recharts-yAxis-tick-labels text').first()).toHaveText(/ ms$/);
  await expect(
    page.getByTestId('bandwidth-chart').locator('.recharts-yAxis-tick-labels text').first(),
  ).toHaveText(/B\/s$/);

  // The tooltip says when, in the theme's colours, readable.
  await hoverMiddle(chart, page);
  const tooltip = chart.locator('.recharts-default-tooltip');
  await expect(tooltip).toBeVisible();
  await expect(tooltip.locator('.recharts-tooltip-label')).toHaveText(
    /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/,
  );
  const colours = await tooltip.evaluate((el) => ({
    background: getComputedStyle(el).backgroundColor,
    text: getComputedStyle(el.querySelector('.recharts-tooltip-label')!).color,
  }));
  expect(contrast(colours.background, colours.text)).toBeGreaterThanOrEqual(4.5);

  // The open ticket, five minutes ago, is on both charts; a click opens it.
  await expect(chart.getByTestId(`annotation-${ids.S}`)).toBeVisible();
  await expect(
    page.getByTestId('bandwidth-chart').getByTestId(`annotation-${ids.S}`),
  ).toBeVisible();
  await chart.getByTestId(`annotation-${ids.S}`).click();
  await expect(page.getByTestId('ticket-title')).toHaveText('ux S');
});

test('one time range drives the panels and the ticket list; a recent ticket marks the replay timeline and seeks there', async ({
  page,
}) => {
  await alertmanager([{ key: 'R', severity: 'warning', startsAtMs: Date.now() - 3000 }]);
  const listed = (await (
    await fetch(`${server.url}/api/tickets?severity=warning`)
  ).json()) as TicketPage;
  ids.R = listed.tickets.find((t) => t.title === 'ux R')!.id;

  await page.goto(`${server.url}/?tenant=demo`);
  await waitForFrames(page);
  // The recording loops every 20 s: the ticket of 3 s ago has a place on this pass.
  const mark = page.getByTestId(`timeline-mark-${ids.R}`);
  await expect(mark).toBeVisible({ timeout: 15_000 });
  // The mark's frame is re-read from the stream's head four times a second (it moves a little when
  // a loaded machine makes frames late): read it and click in the same task, as the operator does.
  const frame = await mark.evaluate((el: HTMLElement) => {
    const at = Number(el.dataset.frame);
    el.click();
    return at;
  });
  await expect(page.getByTestId('stream-state')).toHaveAttribute('data-state', 'paused');
  await expect.poll(async () => (await phaseViz(page)).frameIndex).toBe(frame);

  await page.getByTestId('time-range-select').selectOption('24h');
  await expect(page.getByTestId('latency-basis')).toContainText('last 24 h');
  await expect(page.getByTestId('mttr-panel')).toHaveAttribute('data-window', '24h');
  await expect(page.getByTestId('bandwidth-panel')).toContainText('saved, last 24 h');
  expect(new URL(page.url()).searchParams.get('range')).toBe('24h');

  // The list opened from a card's figures has the range as its window, and follows it.
  await page.getByTestId('mttr-card-warning').getByTestId('mttr-resolved').click();
  await expect(page.getByTestId('ticket-filters')).toContainText('resolved in 24 h');
  await page.getByTestId('time-range-select').selectOption('7d');
  await expect(page.getByTestId('ticket-filters')).toContainText('resolved in 7 d');
  expect(new URL(page.url()).searchParams.get('window')).toBe('7d');
  await expect(page.getByTestId('mttr-panel')).toHaveAttribute('data-window', '7d');

  // A custom range, typed as the API writes windows; a wrong one is refused with the reason.
  await page.getByTestId('time-range-select').selectOption('custom');
  await page.getByTestId('time-range-custom').fill('2w');
  await page.getByTestId('time-range-custom').press('Enter');
  await expect(page.getByTestId('time-range')).toContainText('like 45m, 3h, 2d');
  await page.getByTestId('time-range-custom').fill('90m');
  await page.getByTestId('time-range-custom').press('Enter');
  await expect(page.getByTestId('ticket-filters')).toContainText('resolved in 90 min');
  await expect(page.getByTestId('latency-basis')).toContainText('last 90 min');
});
