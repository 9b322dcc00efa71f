// Observer mode end to end: the admin CLI and REST switch it on a real server's data directory,
// notifications enqueued meanwhile are held, listed and released; only an admin token may write.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HeldChangeResult, NotificationList, ObserverStatus } from '../core/api/observer';
import type { ErrorBody } from '../core/api/errors';
import { writePatternTrace } from '../testing/pattern-trace';
import { tempDir } from '../testing/temp-dir';
import { startTestServer, type TestServer } from '../testing/test-server';
import { runAdminCommandCli } from '../testing/run-admin';
import { createOutbox } from '../server/notify/outbox';
import { openDatabase } from '../server/storage/database';
import path from 'node:path';

const admin = runAdminCommandCli;

describe('observer mode over REST and the admin CLI', () => {
  let server: TestServer;
  let adminToken: string;
  let tenantToken: string;
  const call = async (method: string, url: string, token?: string, body?: unknown) => {
    const response = await fetch(`${server.url}${url}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as unknown };
  };

  beforeAll(async () => {
    const trace = path.join(tempDir('observer'), 'pattern.bin');
    await writePatternTrace(trace, 16, 8, 20);
    server = await startTestServer(trace, {}, {});
    adminToken = server.issueToken(
      [...server.tenancy.directory.tenants.keys()],
      'admin',
      'admin',
    ).token;
    tenantToken = server.issueToken(['demo'], 'operator', 'operator').token;
  });
  afterAll(async () => server?.close());

  it('tells anyone whether it is on', async () => {
    const { status, body } = await call('GET', '/api/observer');
    expect(status).toBe(200);
    expect(body).toMatchObject({
      enabled: false,
      heldNotifications: 0,
    } satisfies Partial<ObserverStatus>);
  });

  it('lets only an admin switch it', async () => {
    const anonymous = await call('PUT', '/api/observer', undefined, { enabled: true });
    expect(anonymous.status).toBe(401);
    const operator = await call('PUT', '/api/observer', tenantToken, { enabled: true });
    expect(operator.status).toBe(403);
    expect((operator.body as ErrorBody).message).toMatch(/admin token/);
    const bad = await call('PUT', '/api/observer', adminToken, { enabled: 'yes' });
    expect(bad.status).toBe(400);
    expect((bad.body as ErrorBody).message).toMatch(/enabled/);
    const ok = await call('PUT', '/api/observer', adminToken, { enabled: true, reason: 'burn-in' });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ enabled: true, reason: 'burn-in' });
    expect((ok.body as ObserverStatus).changedBy).toMatch(/^token:tok_/);
  });

  it('holds what is enqueued meanwhile; an admin lists and releases it', async () => {
    const db = openDatabase(server.dataDir);
    const { entry } = createOutbox({ db }).enqueue({
      channel: 'pagerduty',
      dedupKey: 'phase-console:h:ticket-1/trigger',
      body: { event_action: 'trigger', payload: { summary: '[demo] Stream demo stalled' } },
    });
    db.close();
    expect(entry.status).toBe('held');

    expect((await call('GET', '/api/notifications', tenantToken)).status).toBe(403);
    const listed = await call('GET', '/api/notifications?status=held', adminToken);
    expect(listed.status).toBe(200);
    expect((listed.body as NotificationList).notifications).toEqual([
      expect.objectContaining({
        id: entry.id,
        status: 'held',
        summary: 'trigger: [demo] Stream demo stalled',
      }),
    ]);
    expect((listed.body as NotificationList).notifications[0]).not.toHaveProperty('body');
    expect((await call('GET', '/api/observer')).body).toMatchObject({ heldNotifications: 1 });

    const empty = await call('POST', '/api/notifications/release', adminToken, {});
    expect(empty.status).toBe(400);
    const released = await call('POST', '/api/notifications/release', adminToken, {
      ids: [entry.id, entry.id + 100],
    });
    expect(released.body).toEqual({
      changed: 1,
      notHeld: [entry.id + 100],
    } satisfies HeldChangeResult);
    expect((await call('GET', '/api/observer')).body).toMatchObject({ heldNotifications: 0 });
  });

  it('is switched by the admin CLI on the same data directory, and says so', async () => {
    expect((await admin(server.dataDir, 'observer', 'off', '--by', 'ana')).out).toMatch(
      /observer mode off/,
    );
    expect((await call('GET', '/api/observer')).body).toMatchObject({
      enabled: false,
      changedBy: 'ana',
    });
    const on = await admin(server.dataDir, 'observer', 'on', '--reason', 'week one', '--by', 'ana');
    expect(on.code).toBe(0);
    expect((await admin(server.dataDir, 'observer', 'status')).out).toMatch(
      /^observer mode on since \S+ \(ana: week one\); 0 notifications held$/,
    );
    const db = openDatabase(server.dataDir);
    const { entry } = createOutbox({ db }).enqueue({
      channel: 'slack',
      dedupKey: 'kaizen-digest/all/24h/2026-03-02',
      body: { text: 'Kaizen digest: 3 opened' },
    });
    db.close();
    expect((await admin(server.dataDir, 'notifications', 'list')).out).toMatch(
      new RegExp(
        `^${entry.id}\\s+slack\\s+\\S+\\s+kaizen-digest/all/24h/2026-03-02\\s+Kaizen digest: 3 opened$`,
        'm',
      ),
    );
    expect((await admin(server.dataDir, 'notifications', 'release')).code).toBe(2);
    expect((await admin(server.dataDir, 'notifications', 'release', 'x1')).code).toBe(2);
    const dropped = await admin(server.dataDir, 'notifications', 'discard', '--all', '--by', 'bo');
    expect(dropped.out).toBe('discarded 1 held notification');
    expect((await admin(server.dataDir, 'notifications', 'list')).out).toBe(
      'no held notifications',
    );
  });
});
