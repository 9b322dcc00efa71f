import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writePatternTrace } from '../testing/pattern-trace';
import { tempDir } from '../testing/temp-dir';
import { openTenantDatabase } from '../server/tenants/schema';
import { hashToken, loadTokenSecrets } from '../server/tenants/token-store';
import { runAdmin } from './admin';

function admin(dataDir: string, ...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = runAdmin(
    ['--data', dataDir, ...argv],
    {},
    {
      out: (t) => out.push(t),
      err: (t) => err.push(t),
    },
  );
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('npm run admin', () => {
  it('seeds the demo tenants on a fresh data directory and lists them', () => {
    const { code, out } = admin(tempDir('admin'), 'tenant', 'list');
    expect(code).toBe(0);
    expect(out).toMatch(/^ID\s+VISIBILITY\s+SOURCE\s+SLO\s+GPU FROM\s+NAME$/m);
    expect(out).toMatch(/^demo\s+public\s+replay traces\/12k_spin_trace\.bin\s+7 ms\s+server/m);
    expect(out).toMatch(/^live\s+private\s+live 256x256/m);
    expect(out).toMatch(/^small\s+private\s+replay .*3k_spin_trace\.bin/m);
  });

  it('creates tenants, issues a token printed once and stored hashed, lists, revokes, deletes', async () => {
    const dir = tempDir('admin');
    const trace = path.join(dir, 'plant.bin');
    await writePatternTrace(trace, 8, 6, 3);
    expect(
      admin(dir, 'tenant', 'create', 'plant-a', '--name', 'Plant A', '--trace', trace).code,
    ).toBe(0);
    expect(
      admin(
        dir,
        'tenant',
        'create',
        'sim',
        '--name',
        'Sim',
        '--live',
        '64x32',
        '--seed',
        '5',
        '--visibility',
        'public',
        '--slo-ms',
        '12',
      ).code,
    ).toBe(0);
    const listed = JSON.parse(admin(dir, 'tenant', 'list', '--json').out);
    expect(listed.find((t: { id: string }) => t.id === 'sim')).toMatchObject({
      visibility: 'public',
      sloMs: 12,
      source: { kind: 'live', width: 64, height: 32, seed: 5 },
    });

    const issued = admin(dir, 'token', 'issue', '--name', 'ops team', '--tenants', 'plant-a,sim');
    expect(issued.code).toBe(0);
    const token = issued.out;
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const tokenId = /tok_[0-9a-f]{16}/.exec(issued.err)![0];
    const db = openTenantDatabase(dir);
    expect(loadTokenSecrets(db)[0]!.sha256).toEqual(hashToken(token));
    db.close();

    const tokens = admin(dir, 'token', 'list');
    expect(tokens.out).toContain(tokenId);
    expect(tokens.out).toContain('plant-a,sim');
    expect(tokens.out).not.toContain(token);

    expect(admin(dir, 'token', 'revoke', tokenId)).toMatchObject({
      code: 0,
      out: `revoked ${tokenId}`,
    });
    expect(admin(dir, 'token', 'revoke', tokenId).out).toContain('already revoked');
    expect(JSON.parse(admin(dir, 'token', 'list', '--json').out)[0].revokedAt).not.toBeNull();

    expect(admin(dir, 'tenant', 'delete', 'plant-a').code).toBe(0);
    expect(JSON.parse(admin(dir, 'token', 'list', '--json').out)[0].tenants).toEqual(['sim']);
  });

  it('issues tokens with a role (viewer unless told), lists the role, refuses reserved names', () => {
    const dir = tempDir('admin');
    const viewer = admin(dir, 'token', 'issue', '--name', 'partner plugin', '--tenants', 'small');
    expect(viewer.code).toBe(0);
    expect(viewer.err).toContain('"partner plugin", viewer, for small');
    const operator = admin(
      dir,
      ...['token', 'issue', '--name', 'ana', '--tenants', 'demo,small', '--role', 'operator'],
    );
    expect(operator.err).toContain('"ana", operator, for demo, small');
    expect(
      admin(dir, 'token', 'issue', '--name', 'root', '--tenants', 'demo', '--role', 'admin').code,
    ).toBe(0);
    const listed = JSON.parse(admin(dir, 'token', 'list', '--json').out) as {
      name: string;
      role: string;
    }[];
    expect(listed.map((t) => [t.name, t.role])).toEqual([
      ['partner plugin', 'viewer'],
      ['ana', 'operator'],
      ['root', 'admin'],
    ]);
    expect(admin(dir, 'token', 'list').out).toMatch(/^ID\s+NAME\s+ROLE\s+TENANTS/m);
    expect(admin(dir, 'token', 'list').out).toMatch(/\sana\s+operator\s+demo,small\s/);
    const reserved = admin(dir, 'token', 'issue', '--name', 'Alertmanager', '--tenants', 'demo');
    expect(reserved).toMatchObject({ code: 1 });
    expect(reserved.err).toContain('reserved');
  });

  it('shows the machine secrets (generating them once) and rotates them', () => {
    const dir = tempDir('admin');
    const shown = admin(dir, 'secret', 'show', 'alertmanager');
    expect(shown.code).toBe(0);
    expect(shown.out).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(shown.err).toContain('alertmanager-webhook.secret');
    expect(admin(dir, 'secret', 'show', 'alertmanager').out).toBe(shown.out);
    expect(statSync(path.join(dir, 'alertmanager-webhook.secret')).mode & 0o777).toBe(0o600);
    const rotated = admin(dir, 'secret', 'rotate', 'alertmanager');
    expect(rotated.code).toBe(0);
    expect(rotated.out).not.toBe(shown.out);
    expect(admin(dir, 'secret', 'show', 'alertmanager').out).toBe(rotated.out);
    const metrics = admin(dir, 'secret', 'show', 'metrics');
    expect(metrics.out).not.toBe(rotated.out);
    expect(metrics.err).toContain('metrics-scrape.secret');
  });

  const USAGE_ERRORS = [
    { name: 'no command', argv: [], error: 'no command given' },
    {
      name: 'an unknown command',
      argv: ['tenant', 'rename'],
      error: 'unknown command "tenant rename"',
    },
    {
      name: 'an unknown flag',
      argv: ['token', 'list', '--everything'],
      error: "Unknown option '--everything'",
    },
    {
      name: 'a flag of another command',
      argv: ['token', 'list', '--name', 'x'],
      error: '--name does not go with "token list"',
    },
    {
      name: 'a bad tenant id',
      argv: ['tenant', 'create', "x'; DROP TABLE tenants;--", '--name', 'x', '--live', '2x2'],
      error: 'tenant ID must be 1-63',
    },
    {
      name: 'no source',
      argv: ['tenant', 'create', 'x', '--name', 'x'],
      error: 'exactly one of --trace',
    },
    {
      name: 'a bad live size',
      argv: ['tenant', 'create', 'x', '--name', 'x', '--live', 'big'],
      error: '--live must be WIDTHxHEIGHT',
    },
    {
      name: 'a live size over budget',
      argv: ['tenant', 'create', 'x', '--name', 'x', '--live', '4096x4096'],
      error: 'at most 1048576 spins',
    },
    {
      name: 'an oversized name',
      argv: ['tenant', 'create', 'x', '--name', 'n'.repeat(200), '--live', '2x2'],
      error: 'name must be at most 100',
    },
    {
      name: 'a bad visibility',
      argv: ['tenant', 'create', 'x', '--name', 'x', '--live', '2x2', '--visibility', 'secret'],
      error: 'visibility must be',
    },
    {
      name: 'a token without tenants',
      argv: ['token', 'issue', '--name', 'x'],
      error: '--tenants is required',
    },
    {
      name: 'an unknown role',
      argv: ['token', 'issue', '--name', 'x', '--tenants', 'demo', '--role', 'root'],
      error: '--role must be one of viewer, operator, admin, got "root"',
    },
    {
      name: 'a role for another command',
      argv: ['token', 'list', '--role', 'admin'],
      error: '--role does not go with "token list"',
    },
    {
      name: 'an unknown secret',
      argv: ['secret', 'show', 'slack'],
      error: 'alertmanager or metrics',
    },
    {
      name: 'a bad token id',
      argv: ['token', 'revoke', "1' OR '1'='1"],
      error: 'is not a token id',
    },
  ];
  it.each(USAGE_ERRORS)('exits 2 for $name, saying what is wrong', ({ argv, error }) => {
    const result = admin(tempDir('admin'), ...argv);
    expect(result.code).toBe(2);
    expect(result.err).toContain(error);
    expect(result.err).toContain('--help');
  });

  const FAILURES = [
    {
      name: 'an existing tenant',
      argv: ['tenant', 'create', 'demo', '--name', 'x', '--live', '2x2'],
      error: 'tenant "demo" already exists',
    },
    {
      name: 'a missing trace',
      argv: ['tenant', 'create', 'x', '--name', 'x', '--trace', '/nonexistent/t.bin'],
      error: '/nonexistent/t.bin',
    },
    {
      name: 'deleting an unknown tenant',
      argv: ['tenant', 'delete', 'nope'],
      error: 'no such tenant: "nope"',
    },
    {
      name: 'a token for an unknown tenant',
      argv: ['token', 'issue', '--name', 'x', '--tenants', 'demo,nope'],
      error: 'no such tenant: "nope"',
    },
    {
      name: 'revoking an unknown token',
      argv: ['token', 'revoke', 'tok_0123456789abcdef'],
      error: 'no such token',
    },
  ];
  it.each(FAILURES)('exits 1 for $name', ({ argv, error }) => {
    const result = admin(tempDir('admin'), ...argv);
    expect(result.code).toBe(1);
    expect(result.err).toContain(error);
  });

  it('runs as a command: --help exits 0, bad usage 2 on stderr', () => {
    const run = (...args: string[]) =>
      spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/admin.ts', ...args], {
        encoding: 'utf8',
        timeout: 30_000,
      });
    const help = run('--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('token issue --name NAME --tenants');
    const bad = run('--data', tempDir('admin'), 'token', 'frobnicate');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('unknown command "token frobnicate"');
  });
});
