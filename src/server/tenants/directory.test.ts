import { describe, expect, it } from 'vitest';
import { tempDir } from '../../testing/temp-dir';
import { createTenantDirectory, type DirectoryChange } from './directory';
import { openTenantDatabase } from './schema';
import { createTenant } from './tenant-store';
import { issueToken, revokeToken } from './token-store';

describe('the tenant directory', () => {
  it('notices commits of another connection (the admin CLI) and reloads only then', () => {
    const dir = tempDir('directory');
    const server = openTenantDatabase(dir);
    const cli = openTenantDatabase(dir);
    createTenant(cli, {
      id: 'a',
      name: 'a',
      visibility: 'private',
      source: { kind: 'replay', trace: 'x.bin' },
      sloMs: 7,
    });
    const directory = createTenantDirectory(server, () => {});
    directory.reload();
    const changes: DirectoryChange[] = [];
    directory.onChange((c) => changes.push(c));
    expect(directory.poll()).toBeNull();

    const { tokenId } = issueToken(cli, { name: 't', tenants: ['a'] });
    expect(directory.poll()).toEqual({ tenantsChanged: false, tokensChanged: true });
    expect(directory.tokenById(tokenId)?.revoked).toBe(false);
    expect(directory.poll()).toBeNull();

    revokeToken(cli, tokenId);
    directory.poll();
    expect(directory.tokenById(tokenId)?.revoked).toBe(true);

    createTenant(cli, {
      id: 'b',
      name: 'b',
      visibility: 'public',
      source: { kind: 'live', width: 2, height: 2, seed: 0 },
      sloMs: 7,
    });
    directory.poll();
    expect([...directory.tenants.keys()]).toEqual(['a', 'b']);
    expect(changes).toEqual([
      { tenantsChanged: false, tokensChanged: true },
      { tenantsChanged: false, tokensChanged: true },
      { tenantsChanged: true, tokensChanged: false },
    ]);
    server.close();
    cli.close();
  });
});
