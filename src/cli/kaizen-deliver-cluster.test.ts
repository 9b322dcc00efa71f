// `npm run kaizen -- deliver --database URL` on a real PostgreSQL the test starts: it sends the
// cluster's pending notifications to a real HTTP receiver, leaves the held ones to observer mode,
// and never opens the data directory's outbox.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgNotifyState } from '../server/notify/state';
import { openPgPool, type PgPool } from '../server/state/pg';
import { migratePg } from '../server/state/pg-migrate';
import { postgresBinDir, startPostgres, type TestPostgres } from '../testing/postgres';
import { tempDir } from '../testing/temp-dir';
import { SLACK_OK, startReceiver, type Receiver } from '../testing/webhook-receiver';
import { runKaizen } from './kaizen';

async function kaizen(args: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runKaizen(args, env, {
    out: (text) => void out.push(text),
    err: (text) => void err.push(text),
  });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

describe('kaizen deliver: the --database command line', () => {
  it('refuses a bad URL without repeating it, and --database with other commands', async () => {
    const bad = await kaizen(['deliver', '--data', tempDir('deliver')], {
      DATABASE_URL: 'mysql://root:hunter2@db/x',
      SLACK_WEBHOOK_URL: 'http://127.0.0.1:9/hook',
    });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/DATABASE_URL must be a postgres:\/\/ URL/);
    expect(bad.stderr).not.toContain('hunter2');
    const digest = await kaizen(['digest', '--database', 'postgres://a@b/c']);
    expect(digest.code).toBe(2);
    expect(digest.stderr).toContain('--database does not go with "digest"');
  });
});

const missing = postgresBinDir() ? null : 'needs PostgreSQL: apt-get install -y postgresql';
if (missing) console.warn(`[kaizen] skipping the deliver --database test: ${missing}`);

describe.skipIf(missing !== null)('kaizen deliver --database', () => {
  let cluster: TestPostgres;
  let pool: PgPool;
  let slack: Receiver;

  beforeAll(async () => {
    cluster = await startPostgres();
    pool = await openPgPool(cluster.url, { max: 2 });
    await migratePg(pool);
    slack = await startReceiver([SLACK_OK]);
  });
  afterAll(async () => {
    await slack?.close();
    await pool?.end();
    await cluster?.stop();
  });

  it("sends the cluster's pending notifications and leaves the held ones", async () => {
    const state = pgNotifyState(pool);
    const { entry: left } = await state.outbox.enqueue({
      channel: 'slack',
      dedupKey: 'left-over',
      body: { text: 'hi from the cluster' },
    });
    await state.setObserver({ enabled: true, by: 'ana' });
    const { entry: held } = await state.outbox.enqueue({
      channel: 'slack',
      dedupKey: 'held-digest',
      body: { text: 'held' },
    });
    expect([left.status, held.status]).toEqual(['pending', 'held']);

    const dir = tempDir('deliver');
    const result = await kaizen(['deliver', '--data', dir, '--database', cluster.url], {
      SLACK_WEBHOOK_URL: slack.url,
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      'delivered 1, failed 0, still pending 0; 1 held by observer mode ("npm run admin -- notifications list")',
    );
    expect(result.stderr).toMatch(
      /^\[notify\] slack left-over: sent \(HTTP 200, attempt 1, \d+ ms\)$/,
    );
    expect(slack.requests.map((r) => r.json)).toEqual([{ text: 'hi from the cluster' }]);
    expect((await state.outbox.get('slack', 'left-over'))?.status).toBe('sent');
    expect((await state.outbox.get('slack', 'held-digest'))?.status).toBe('held');
    expect(existsSync(path.join(dir, 'console.db'))).toBe(false);
  });

  it('says when the database cannot be reached', async () => {
    const down = await kaizen(
      ['deliver', '--data', tempDir('deliver'), '--database', 'postgres://postgres@127.0.0.1:1/x'],
      { SLACK_WEBHOOK_URL: slack.url },
    );
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/cannot reach postgres:\/\/postgres@127\.0\.0\.1:1\/x/);
  });
});
