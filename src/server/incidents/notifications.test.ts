import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Registry } from 'prom-client';
import { NotifyConfigError } from '../notify/config';
import {
  PAGERDUTY_ACCEPTED,
  pagerDutyIncidents,
  startReceiver,
} from '../../testing/webhook-receiver';
import { openDatabase } from '../storage/database';
import { createKaizen, KaizenConfigError } from './kaizen';
import { startKaizenNotifications } from './notifications';
import { stallTicket } from '../../testing/kaizen-fixtures';
import { T0, virtualClock } from '../../testing/virtual-clock';

const H = 3_600_000;
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0)) await fn();
});

function server(env: Record<string, string | undefined>) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'phase-notifications-'));
  const db = openDatabase(dataDir);
  const clock = virtualClock();
  const kaizen = createKaizen({ db, now: clock.now });
  const registry = new Registry();
  const lines: string[] = [];
  const start = () => {
    const n = startKaizenNotifications({
      db,
      kaizen,
      dataDir,
      env,
      registry,
      pagerIntervalMs: 10,
      log: (line) => lines.push(line),
    });
    cleanup.push(() => n.stop());
    return n;
  };
  cleanup.push(() => {
    db.close();
  });
  return { kaizen, clock, registry, lines, start };
}

describe('the server’s notifications', () => {
  it('pages a critical ticket left open, delivers it, and resolves it with the ticket', async () => {
    const pd = await startReceiver([PAGERDUTY_ACCEPTED]);
    cleanup.push(() => pd.close());
    const { kaizen, clock, registry, start } = server({
      PAGERDUTY_ROUTING_KEY: 'server-key',
      PAGERDUTY_EVENTS_URL: pd.url,
      KAIZEN_PAGE_AFTER: '1h',
    });
    const notifications = start();
    expect(notifications.pager?.pageAfterMs).toBe(H);
    const { ticket } = kaizen.store.openOrDedup(stallTicket());
    clock.set(T0 + H);
    await pd.waitFor(1);
    kaizen.store.resolveIncident('demo', ticket.fingerprint, {});
    await pd.waitFor(2);
    const view = pagerDutyIncidents(pd.requests);
    expect([view.triggers, view.resolves, [...view.incidents.values()]]).toEqual([
      1,
      1,
      ['resolved'],
    ]);
    await expect
      .poll(async () =>
        (await registry.metrics()).includes('notifications_sent_total{channel="pagerduty"} 2'),
      )
      .toBe(true);
  });

  it('runs the worker without a pager when PagerDuty is not configured', async () => {
    const { start, lines } = server({ SLACK_WEBHOOK_URL: 'http://127.0.0.1:9/hook' });
    const notifications = start();
    expect(notifications.pager).toBeNull();
    expect(notifications.worker.channels).toEqual(['slack']);
    expect(lines).toEqual(['[notify] delivering to slack']);
  });

  it.each([
    { env: { KAIZEN_PAGE_AFTER: 'soon', PAGERDUTY_ROUTING_KEY: 'k' }, error: KaizenConfigError },
    { env: { PAGERDUTY_EVENTS_URL: 'nope' }, error: NotifyConfigError },
  ])('refuses bad settings: $env', ({ env, error }) => {
    expect(() => server(env).start()).toThrow(error);
  });
});
