// README's "What you see" pictures, made from the running app so that they stay current:
//
//   npx vite build && npx tsx scripts/screenshots.ts [--out docs/screenshots]
//
// Starts the real server on a fresh data directory, seeds two tickets through the Alertmanager
// receiver (one resolved, one open, so the MTTR cards and the ticket view have something to
// show), opens the app in Chromium and writes main.png (1440 x 900), ticket.png (the open
// ticket) and embedded.png (the compact layout of an IDE panel, 800 x 500).
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Page } from '@playwright/test';
import type { PhaseVizSnapshot } from '../src/app/frames/phase-viz';
import type { TicketPage } from '../src/core/api/tickets';
import { startServer, tempDir } from '../e2e/support';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium-options';

const outIndex = process.argv.indexOf('--out');
const outDir = outIndex > 0 ? process.argv[outIndex + 1]! : 'docs/screenshots';

async function post(url: string, body: unknown): Promise<void> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`POST ${url}: ${response.status} ${await response.text()}`);
}

async function seedTickets(baseUrl: string): Promise<number> {
  const now = Date.now();
  const alert = (name: string, severity: string, startsAtMs: number, endsAtMs?: number) => ({
    status: endsAtMs === undefined ? 'firing' : 'resolved',
    labels: { alertname: name, severity, tenant_id: 'demo' },
    annotations: {
      summary: `${name} on demo`,
      description: 'No frame reached the stream for 2 minutes.',
    },
    startsAt: new Date(startsAtMs).toISOString(),
    ...(endsAtMs === undefined ? {} : { endsAt: new Date(endsAtMs).toISOString() }),
    generatorURL: 'http://prometheus:9090/graph?g0.expr=phase_stream_stalled',
    fingerprint: `screenshot-${name}`,
  });
  const resolved = alert('PhaseLatencyHigh', 'error', now - 40 * 60_000, now - 31 * 60_000);
  const open = alert('PhaseStreamStalled', 'critical', now - 12 * 60_000);
  await post(`${baseUrl}/api/alertmanager`, {
    version: '4',
    status: 'firing',
    alerts: [{ ...resolved, status: 'firing' }, open],
  });
  await post(`${baseUrl}/api/alertmanager`, {
    version: '4',
    status: 'resolved',
    alerts: [resolved],
  });
  const page = (await (await fetch(`${baseUrl}/api/tickets?status=open`)).json()) as TicketPage;
  const ticket = page.tickets[0];
  if (!ticket) throw new Error('the seeded open ticket is not listed');
  return ticket.id;
}

async function waitForPicture(page: Page): Promise<void> {
  await page.waitForFunction(
    () => {
      const viz = (window as unknown as { phaseViz?: PhaseVizSnapshot }).phaseViz;
      return viz !== undefined && viz.framesRendered > 30 && viz.streamState === 'replay';
    },
    undefined,
    { timeout: 60_000 },
  );
}

async function main(): Promise<void> {
  mkdirSync(outDir, { recursive: true });
  const server = await startServer({ dataDir: tempDir('screenshots') });
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    const ticketId = await seedTickets(server.url);
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(`${server.url}/?tenant=demo`);
    await waitForPicture(page);
    await page.getByTestId('latency-p95').waitFor({ timeout: 30_000 });
    await page.getByTestId('mttr-card-critical').waitFor();
    // A few seconds of latency and bandwidth points for the charts.
    await page.waitForTimeout(4000);
    await page.screenshot({ path: path.join(outDir, 'main.png') });

    await page.goto(`${server.url}/?tenant=demo&ticket=${ticketId}`);
    await page.getByTestId('ticket-timeline').waitFor();
    await page.locator('[data-testid="stream-state"][data-state="replay"]').waitFor();
    await page.getByTestId('latency-p95').waitFor({ timeout: 30_000 });
    await page.screenshot({ path: path.join(outDir, 'ticket.png') });

    const embedded = await browser.newPage({ viewport: { width: 800, height: 500 } });
    await embedded.goto(`${server.url}/?tenant=demo&embed=1`);
    await waitForPicture(embedded);
    await embedded.screenshot({ path: path.join(outDir, 'embedded.png') });
    console.log(`[screenshots] wrote main.png, ticket.png and embedded.png to ${outDir}`);
  } finally {
    await browser.close();
    await server.stop();
  }
}

main().catch((error: unknown) => {
  console.error(`[screenshots] ${(error as Error).stack ?? String(error)}`);
  process.exit(1);
});
