// `npm run admin -- migrate` against a PostgreSQL cluster of the test's own.
import { spawnSync } from 'node:child_process';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresBinDir, startPostgres, type TestPostgres } from '../testing/postgres';
import { PG_MIGRATIONS } from '../server/state/pg-schema';
import { isMigrateCommand, runMigrate } from './admin-migrate';

async function migrate(argv: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runMigrate(argv, env, {
    out: (t) => void out.push(t),
    err: (t) => void err.push(t),
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('admin migrate: the command line', () => {
  it('is recognised wherever the options stand', () => {
    expect(isMigrateCommand(['migrate'])).toBe(true);
    expect(isMigrateCommand(['--data', 'migrate', 'token', 'list'])).toBe(false);
    expect(isMigrateCommand(['--database', 'postgres://a@b/c', 'migrate'])).toBe(true);
    expect(isMigrateCommand(['token', 'list'])).toBe(false);
  });

  it('needs a postgres:// URL, and says so without repeating it', async () => {
    const none = await migrate(['migrate']);
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/migrate needs --database URL or DATABASE_URL/);
    const bad = await migrate(['migrate'], { DATABASE_URL: 'mysql://root:hunter2@db/x' });
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/DATABASE_URL must be a postgres:\/\/ URL/);
    expect(bad.err).not.toContain('hunter2');
    expect((await migrate(['migrate', 'now'])).code).toBe(2);
  });
});

const missing = postgresBinDir() ? null : 'needs PostgreSQL: apt-get install -y postgresql';
if (missing) console.warn(`[admin] skipping the migrate tests: ${missing}`);

describe.skipIf(missing !== null)('admin migrate on PostgreSQL', () => {
  let cluster: TestPostgres;
  beforeAll(async () => {
    cluster = await startPostgres();
  });
  afterAll(() => cluster.stop());

  it('applies every migration once, even when run from several places at once', async () => {
    const latest = PG_MIGRATIONS.length;
    const runs = await Promise.all([
      migrate(['migrate', '--database', cluster.url]),
      migrate(['migrate'], { DATABASE_URL: cluster.url }),
    ]);
    expect(runs.map((r) => r.code)).toEqual([0, 0]);
    const applied = runs.map((r) => (r.out.match(/^applied /gm) ?? []).length).sort();
    expect(applied).toEqual([0, latest]);
    expect(runs.map((r) => r.out).join('\n')).toContain(`up to date (schema version ${latest})`);
    const again = await migrate(['migrate', '--database', cluster.url]);
    expect(again.out).toBe(
      `postgres://postgres@127.0.0.1:${cluster.port}/postgres is up to date (schema version ${latest})`,
    );

    const client = new pg.Client(cluster.url);
    await client.connect();
    const { rows } = await client.query<{ n: string }>(
      `SELECT count(*) AS n FROM pg_inherits WHERE inhparent = 'tickets'::regclass`,
    );
    await client.end();
    expect(Number(rows[0]!.n)).toBeGreaterThan(1);
  });

  it('refuses a database whose schema is newer than this build', async () => {
    const client = new pg.Client(cluster.url);
    await client.connect();
    await client.query('CREATE DATABASE newer');
    await client.end();
    const newer = cluster.url.replace(/\/postgres$/, '/newer');
    expect((await migrate(['migrate', '--database', newer])).code).toBe(0);
    const db = new pg.Client(newer);
    await db.connect();
    await db.query(
      "INSERT INTO schema_migrations (component, version, description) VALUES ('console', 99, 'x')",
    );
    await db.end();
    const run = await migrate(['migrate', '--database', newer]);
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/schema is at version 99, newer than this build's \d+: upgrade/);
  });

  it('exits 1 naming the database it cannot reach', async () => {
    const run = await migrate(['migrate', '--database', 'postgres://nobody:secret@127.0.0.1:1/x']);
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/cannot reach postgres:\/\/nobody@127\.0\.0\.1:1\/x/);
    expect(run.err).not.toContain('secret');
  });

  it('runs as npm run admin does', () => {
    const result = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'src/cli/admin.ts', 'migrate', '--database', cluster.url],
      { encoding: 'utf8', timeout: 60_000 },
    );
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/is up to date \(schema version \d+\)/);
  });
});
