// `npm run admin -- observer|notifications ... --database URL` on two real gateways sharing one
// PostgreSQL: the switch the CLI flips and the notifications it releases or discards are the
// cluster's, which both gateways serve; the data directory's console.db is left alone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NotificationEntry, NotificationList, ObserverStatus } from '../core/api/observer';
import { pgNotifyState } from '../server/notify/state';
import { startGatewayPair, type GatewayPair } from '../testing/gateway-pair';
import { postgresBinDir } from '../testing/postgres';
import { runAdminCommandCli } from '../testing/run-admin';
import { tempDir } from '../testing/temp-dir';

const missing = postgresBinDir() ? null : 'needs PostgreSQL: apt-get install -y postgresql';
if (missing) console.warn(`[admin] skipping the cluster observer CLI test: ${missing}`);

describe.skipIf(missing !== null)('admin observer and notifications with --database', () => {
  let pair: GatewayPair;
  let admin = '';
  const cliData = tempDir('cli-observer');
  const cli = (...argv: string[]) =>
    runAdminCommandCli(cliData, ...argv, '--database', pair.postgres.url);
  const observerOn = async (gateway: 'a' | 'b') =>
    (await pair.call<ObserverStatus>(pair[gateway], admin, 'GET', '/api/observer')).json;

  beforeAll(async () => {
    pair = await startGatewayPair();
    admin = (await pair.a.issueStoredToken(['demo'], 'ana', 'admin')).token;
  });
  afterAll(async () => pair?.close());

  it("switches the cluster's observer mode, which every gateway serves", async () => {
    const on = await cli('observer', 'on', '--reason', 'burn-in', '--by', 'ana');
    expect(on).toMatchObject({ code: 0, err: '' });
    expect(on.out).toMatch(/^observer mode on: tickets open and resolve as usual/);
    for (const gateway of ['a', 'b'] as const) {
      expect(await observerOn(gateway)).toMatchObject({
        enabled: true,
        changedBy: 'ana',
        reason: 'burn-in',
      });
    }
    expect((await cli('observer', 'on')).out).toBe('observer mode was already on; nothing changed');
    const status = await cli('observer', 'status', '--json');
    expect(JSON.parse(status.out)).toMatchObject({ enabled: true, heldNotifications: 0 });
    // The data directory named beside --database keeps its own (unused) switch.
    expect((await runAdminCommandCli(cliData, 'observer', 'status')).out).toBe(
      'observer mode off; 0 notifications held',
    );
  });

  it("lists, releases and discards the cluster's held notifications", async () => {
    const state = pgNotifyState(pair.a.sharedState!.pool);
    const { entry: digest } = await state.outbox.enqueue({
      channel: 'slack',
      dedupKey: 'kaizen-digest/all/24h/2026-12-06',
      body: { text: 'Kaizen digest: 2 opened' },
    });
    const { entry: page } = await state.outbox.enqueue({
      channel: 'pagerduty',
      dedupKey: 'phase-console:c:ticket-7/trigger',
      body: { event_action: 'trigger', payload: { summary: '[demo] Stream demo stalled' } },
    });
    expect([digest.status, page.status]).toEqual(['held', 'held']);

    const listed = await cli('notifications', 'list', '--json');
    expect(listed.code).toBe(0);
    expect((JSON.parse(listed.out) as NotificationEntry[]).map((n) => n.id)).toEqual([
      digest.id,
      page.id,
    ]);
    expect((await cli('notifications', 'list', '--channel', 'pagerduty')).out).toMatch(
      new RegExp(`^${page.id}\\s+pagerduty\\s+\\S+\\s+phase-console:c:ticket-7/trigger\\s+`, 'm'),
    );

    const released = await cli('notifications', 'release', String(digest.id), String(page.id + 99));
    expect(released.code).toBe(0);
    expect(released.out).toBe(
      'released 1 held notification (the server sends them now; without a server: ' +
        'npm run kaizen -- deliver --database URL)',
    );
    expect(released.err).toBe(`[admin] not held, left alone: ${page.id + 99}`);
    const discarded = await cli('notifications', 'discard', '--all', '--by', 'bo');
    expect(discarded.out).toBe('discarded 1 held notification');

    // Gateway B sees the released digest pending and the page gone from the held list.
    const pending = await pair.call<NotificationList>(
      pair.b,
      admin,
      'GET',
      '/api/notifications?status=pending',
    );
    expect(pending.json.notifications.map((n) => n.id)).toEqual([digest.id]);
    expect((await observerOn('b')).heldNotifications).toBe(0);
    expect((await cli('notifications', 'list')).out).toBe('no held notifications');
  });

  it('refuses a bad URL and says when the database cannot be reached', async () => {
    const bad = await runAdminCommandCli(cliData, 'observer', 'status', '--database', 'mysql://x');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--database must be a postgres:\/\/ URL/);
    const down = await runAdminCommandCli(
      cliData,
      'notifications',
      'list',
      '--database',
      'postgres://postgres@127.0.0.1:1/x',
    );
    expect(down.code).toBe(1);
    expect(down.err).toMatch(/cannot reach postgres:\/\/postgres@127\.0\.0\.1:1\/x/);
  });
});
