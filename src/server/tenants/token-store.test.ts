import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../testing/temp-dir';
import { openTenantDatabase } from './schema';
import { createTenant } from './tenant-store';
import {
  TOKEN_PATTERN,
  TokenStoreError,
  hashToken,
  issueToken,
  listTokens,
  loadTokenSecrets,
  revokeToken,
} from './token-store';
import type { Db } from '../storage/database';

function withTenants(db: Db, ...ids: string[]): Db {
  for (const id of ids) {
    createTenant(db, {
      id,
      name: id,
      visibility: 'private',
      source: { kind: 'replay', trace: 'x.bin' },
      sloMs: 7,
    });
  }
  return db;
}

describe('tokens', () => {
  it('are 32 random bytes in base64url, granting the tenants asked for', () => {
    const db = withTenants(openTenantDatabase(':memory:'), 'a', 'b');
    const one = issueToken(db, { name: 'ops', tenants: ['a', 'b', 'a'] });
    const two = issueToken(db, { name: 'ops', tenants: ['b'] });
    expect(one.token).toMatch(TOKEN_PATTERN);
    expect(Buffer.from(one.token, 'base64url')).toHaveLength(32);
    expect(one.token).not.toBe(two.token);
    expect(one.tokenId).not.toBe(two.tokenId);
    const listed = listTokens(db).sort((x, y) => y.tenants.length - x.tenants.length);
    expect(listed.map((t) => [t.tokenId, t.name, t.tenants, t.revokedAt])).toEqual([
      [one.tokenId, 'ops', ['a', 'b'], null],
      [two.tokenId, 'ops', ['b'], null],
    ]);
  });

  it('are stored only as SHA-256 digests: the secret is nowhere in the database files', () => {
    const dir = tempDir('tokens-at-rest');
    const db = withTenants(openTenantDatabase(dir), 'a');
    const { token, tokenId } = issueToken(db, { name: 'ops', tenants: ['a'] });
    expect(loadTokenSecrets(db).find((s) => s.tokenId === tokenId)!.sha256).toEqual(
      hashToken(token),
    );
    db.close();
    const files = readdirSync(dir).filter((f) => f.startsWith('console.db'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const bytes = readFileSync(path.join(dir, file));
      expect(bytes.includes(Buffer.from(token))).toBe(false);
      expect(bytes.includes(Buffer.from(token, 'base64url'))).toBe(false);
    }
    const reopened = openTenantDatabase(dir);
    expect(reopened.prepare('SELECT count(*) FROM tokens').pluck().get()).toBe(1);
    reopened.close();
  });

  it('refuse unknown tenants, no tenants and bad names, writing nothing', () => {
    const db = withTenants(openTenantDatabase(':memory:'), 'a');
    expect(() => issueToken(db, { name: 'x', tenants: ['a', 'nope'] })).toThrow(
      'no such tenant: "nope"',
    );
    expect(() => issueToken(db, { name: 'x', tenants: [] })).toThrow(TokenStoreError);
    expect(() => issueToken(db, { name: '', tenants: ['a'] })).toThrow('token name');
    expect(() => issueToken(db, { name: 'x', tenants: ["a' OR 1=1"] })).toThrow('tenant id');
    expect(listTokens(db)).toEqual([]);
    expect(db.prepare('SELECT count(*) FROM token_grants').pluck().get()).toBe(0);
  });

  it('revoke once, and say when the token is unknown or already revoked', () => {
    const db = withTenants(openTenantDatabase(':memory:'), 'a');
    const { tokenId } = issueToken(db, { name: 'x', tenants: ['a'] });
    expect(revokeToken(db, tokenId)).toBe('revoked');
    expect(revokeToken(db, tokenId)).toBe('already-revoked');
    expect(revokeToken(db, 'tok_0000000000000000')).toBe('unknown');
    expect(listTokens(db)[0]!.revokedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(loadTokenSecrets(db)[0]!.revoked).toBe(true);
  });

  it('lose nothing committed when the writing process is killed mid-write', async () => {
    const dir = tempDir('tokens-crash');
    const setup = withTenants(openTenantDatabase(dir), 'a', 'b');
    setup.close();
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        path.join(import.meta.dirname, '../../testing/issue-tokens-forever.ts'),
        dir,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const reported: { tokenId: string; token: string }[] = [];
    let buffered = '';
    await new Promise<void>((resolve, reject) => {
      child.on('error', reject);
      child.on('exit', (code) => reject(new Error(`child exited early with ${code}`)));
      child.stdout.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        const lines = buffered.split('\n');
        buffered = lines.pop()!;
        for (const line of lines) {
          const [tokenId, token] = line.split(' ');
          reported.push({ tokenId: tokenId!, token: token! });
        }
        // Killed while it keeps writing: some transaction is most likely in flight.
        if (reported.length >= 300) {
          child.removeAllListeners('exit');
          child.kill('SIGKILL');
          child.on('exit', () => resolve());
        }
      });
    });
    const db = openTenantDatabase(dir);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const secrets = new Map(loadTokenSecrets(db).map((s) => [s.tokenId, s]));
    for (const { tokenId, token } of reported) {
      const secret = secrets.get(tokenId);
      expect(secret, tokenId).toBeDefined();
      expect(secret!.sha256).toEqual(hashToken(token));
      expect(secret!.tenants).toEqual(['a', 'b']);
    }
    // Every token in the database is whole: a token row never without its grants.
    for (const secret of secrets.values()) expect(secret.tenants).toEqual(['a', 'b']);
    db.close();
  }, 60_000);
});
