// `npm run admin -- tenant|token ... --database URL` against a PostgreSQL cluster of the test's
// own, with a real server on it: what the CLI writes there is what every gateway serves, and a
// token it revokes stops working on the server within a second.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import type { AuditVerification } from '../core/api/policy';
import type { SessionInfo } from '../core/api/session';
import { writePatternTrace } from '../testing/pattern-trace';
import { postgresBinDir, startPostgres, type TestPostgres } from '../testing/postgres';
import { tempDir } from '../testing/temp-dir';
import { freezingBundle } from '../testing/freezing-bundle';
import { startTenantServer, type TestServer } from '../testing/test-server';
import { runAdminCommand } from './admin';

async function admin(argv: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runAdminCommand(argv, env, {
    out: (t) => void out.push(t),
    err: (t) => void err.push(t),
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('admin tenant and token commands: the --database command line', () => {
  it('refuses a bad URL without repeating it, and --database with other commands', async () => {
    const bad = await admin(['token', 'list'], { DATABASE_URL: 'mysql://root:hunter2@db/x' });
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/DATABASE_URL must be a postgres:\/\/ URL/);
    expect(bad.err).not.toContain('hunter2');
    const other = await admin([
      '--data',
      tempDir('cli'),
      'sdk-demand',
      'list',
      '--database',
      'postgres://a@b/c',
    ]);
    expect(other.code).toBe(2);
    expect(other.err).toMatch(
      /--database goes with the tenant, token, promotion, audit, observer, notifications and migrate commands/,
    );
  });

  it('says when the database cannot be reached', async () => {
    const down = await admin([
      '--data',
      tempDir('cli'),
      'token',
      'list',
      '--database',
      'postgres://postgres@127.0.0.1:1/x',
    ]);
    expect(down.code).toBe(1);
    expect(down.err).toMatch(/cannot reach postgres:\/\/postgres@127\.0\.0\.1:1\/x/);
  });
});

const missing = postgresBinDir() ? null : 'needs PostgreSQL: apt-get install -y postgresql';
if (missing) console.warn(`[admin] skipping the --database tests: ${missing}`);

describe.skipIf(missing !== null)('admin tenant and token commands on PostgreSQL', () => {
  let cluster: TestPostgres;
  let server: TestServer;
  let trace: string;
  const cliData = tempDir('cli-data');
  const db = () => ['--data', cliData, '--database', cluster.url];
  const createEast = () => ['tenant', 'create', 'east', '--name', 'East', '--trace', trace];

  beforeAll(async () => {
    cluster = await startPostgres();
    trace = path.join(tempDir('cli-trace'), 'pattern.bin');
    await writePatternTrace(trace, 12, 10, 20);
    const demo = { id: 'demo', name: 'Demo', visibility: 'public' as const };
    server = await startTenantServer({
      tenants: [{ ...demo, source: { kind: 'replay', trace }, sloMs: 7 }],
      argv: ['--database', cluster.url],
    });
  });
  afterAll(async () => {
    await server?.close();
    await cluster?.stop();
  });

  const session = async (token: string) =>
    fetch(`${server.url}/api/session`, { headers: { authorization: `Bearer ${token}` } });

  it('creates a tenant and issues a token that the running server knows within a second', async () => {
    const created = await admin([...db(), ...createEast()]);
    expect(created).toMatchObject({ code: 0, out: 'created tenant east (private, replay)' });
    const issued = await admin([
      ...db(),
      'token',
      'issue',
      '--name',
      'night',
      '--tenants',
      'east',
      '--role',
      'operator',
    ]);
    expect(issued.code).toBe(0);
    expect(issued.err).toMatch(/^issued tok_[0-9a-f]{16} "night", operator, for east/);
    const token = issued.out;
    await expect
      .poll(async () => (await session(token)).status, { timeout: 1_000, interval: 20 })
      .toBe(200);
    expect((await (await session(token)).json()) as SessionInfo).toMatchObject({
      token: { name: 'night', role: 'operator' },
      write: ['east'],
    });

    const listed = await admin([...db(), 'tenant', 'list', '--json']);
    expect((JSON.parse(listed.out) as { id: string }[]).map((t) => t.id)).toEqual(['demo', 'east']);
    // Nothing was written to the CLI's own data directory's tenants.
    const local = await admin(['--data', cliData, 'tenant', 'list', '--json']);
    expect((JSON.parse(local.out) as { id: string }[]).map((t) => t.id)).toEqual([
      'demo',
      'live',
      'small',
    ]);
  });

  it('revokes a token: the server refuses it within a second', async () => {
    const issued = await admin([...db(), 'token', 'issue', '--name', 'temp', '--tenants', 'demo']);
    const token = issued.out;
    await expect
      .poll(async () => (await session(token)).status, { timeout: 1_000, interval: 20 })
      .toBe(200);
    const tokenId = /tok_[0-9a-f]{16}/.exec(issued.err)![0];
    expect(await admin([...db(), 'token', 'revoke', tokenId])).toMatchObject({
      code: 0,
      out: `revoked ${tokenId}`,
    });
    await expect
      .poll(async () => (await session(token)).status, { timeout: 1_000, interval: 20 })
      .toBe(401);
    expect((await admin([...db(), 'token', 'revoke', tokenId])).out).toBe(
      `${tokenId} was already revoked`,
    );
    const unknown = await admin([...db(), 'token', 'revoke', 'tok_0000000000000000']);
    expect(unknown).toMatchObject({ code: 1, err: '[admin] no such token: tok_0000000000000000' });
    const list = JSON.parse((await admin([...db(), 'token', 'list', '--json'])).out) as {
      tokenId: string;
      revokedAt: string | null;
    }[];
    expect(list.find((t) => t.tokenId === tokenId)?.revokedAt).not.toBeNull();
  });

  it('sets tenant settings through the policy gate, written where every gateway reads them', async () => {
    const set = await admin([...db(), 'tenant', 'set', 'east', '--slo-ms', '30']);
    expect(set.code).toBe(0);
    expect(set.err).toMatch(/promotion \d+ allowed/);
    await expect
      .poll(() => server.tenancy.directory.tenants.get('east')?.sloMs, { timeout: 1_000 })
      .toBe(30);
    const missingTenant = await admin([...db(), 'tenant', 'set', 'nowhere', '--slo-ms', '30']);
    expect(missingTenant.code).toBe(1);
    expect(missingTenant.err).toMatch(/no tenant "nowhere"/);
  });

  it('overrides a denied promotion: the settings and the audit chain land in PostgreSQL', async () => {
    // A bundle that denies every SLO change, so that there is a denial to override.
    const bundle = freezingBundle('sloMs', 'slo-frozen', 'SLOs are frozen');
    const env = { POLICY_BUNDLE: bundle };
    const denied = await admin([...db(), 'tenant', 'set', 'east', '--slo-ms', '45'], env);
    expect(denied.code).toBe(1);
    expect(denied.err).toMatch(/slo-frozen: SLOs are frozen/);
    const id = /promotion (\d+) denied/.exec(denied.err)![1]!;
    expect(server.tenancy.directory.tenants.get('east')?.sloMs).toBe(30);
    const overridden = await admin(
      [...db(), 'promotion', 'override', id, '--override-reason', 'incident 7 needs it'],
      env,
    );
    expect(overridden).toMatchObject({ code: 0 });
    expect(overridden.out).toMatch(/overridden: tenant east changed, audited/);
    await expect
      .poll(() => server.tenancy.directory.tenants.get('east')?.sloMs, { timeout: 1_000 })
      .toBe(45);
    const audit = await admin([...db(), 'audit', 'verify']);
    expect(audit).toMatchObject({ code: 0 });
    expect(audit.out).toMatch(/audit log verified: \d+ rows/);
    // The chain is the cluster's: the data directory's console.db holds none of it.
    const listed = await admin([...db(), 'audit', 'list', '--json']);
    const kinds = (JSON.parse(listed.out) as { entries: { kind: string; promotionId: number }[] })
      .entries;
    expect(kinds).toContainEqual(
      expect.objectContaining({ kind: 'override', promotionId: Number(id) }),
    );
    expect((await admin(['--data', cliData, 'audit', 'list'])).out).toBe('the audit log is empty');
  });

  it('verifies the cluster chain, naming a row edited in PostgreSQL', async () => {
    const before = await admin([...db(), 'audit', 'verify', '--json']);
    const { rows } = JSON.parse(before.out) as AuditVerification;
    expect(rows).toBeGreaterThanOrEqual(2);
    const sql = new pg.Client(cluster.url);
    await sql.connect();
    try {
      // Someone with the database's owner rights drops the guard and rewrites a decision.
      await sql.query('ALTER TABLE policy_audit DISABLE TRIGGER USER');
      await sql.query(`UPDATE policy_audit SET decision = 'allow' WHERE seq = 2`);
      const edited = await admin([...db(), 'audit', 'verify']);
      expect(edited.code).toBe(1);
      expect(edited.err).toContain('row 2: its content does not match its hash (edited)');
      expect(edited.out).toMatch(/^audit log FAILED verification: 1 problems in \d+ rows$/);
    } finally {
      await sql.query(`UPDATE policy_audit SET decision = 'deny' WHERE seq = 2`);
      await sql.query('ALTER TABLE policy_audit ENABLE TRIGGER USER');
      await sql.end();
    }
    expect((await admin([...db(), 'audit', 'verify'])).code).toBe(0);
  });

  it('deletes a tenant everywhere, and refuses to create one twice', async () => {
    const again = await admin([...db(), ...createEast()]);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/tenant "east" already exists/);
    expect((await admin([...db(), 'tenant', 'delete', 'east'])).code).toBe(0);
    await expect
      .poll(() => server.tenancy.directory.tenants.has('east'), { timeout: 1_000 })
      .toBe(false);
    expect((await admin([...db(), 'tenant', 'delete', 'east'])).code).toBe(1);
  });
});
