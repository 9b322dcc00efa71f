// Tenants and tokens behave the same on SQLite and on PostgreSQL; on PostgreSQL a revocation made
// through one gateway reaches the others within a second.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { stateBackends, type StateFixture } from '../../testing/state-backends';
import { TenantStoreError } from '../tenants/tenant-store';
import type { TenantSpec } from '../tenants/tenant-spec';
import { TOKEN_PATTERN, TokenStoreError, hashToken } from '../tenants/token-store';
import type { AccessState } from './access';

function tenant(id: string, overrides: Partial<TenantSpec> = {}): TenantSpec {
  return {
    id,
    name: `Tenant ${id}`,
    visibility: 'private',
    source: { kind: 'live', width: 64, height: 64, seed: 1 },
    sloMs: 7,
    ...overrides,
  } as TenantSpec;
}

for (const harness of stateBackends()) {
  if (harness.missing)
    console.warn(`[state] skipping the ${harness.backend} suite: ${harness.missing}`);

  describe.skipIf(harness.missing !== null)(`access state on ${harness.backend}`, () => {
    let fixture: StateFixture;
    let access: AccessState;

    beforeAll(() => harness.start());
    afterAll(() => harness.stop());
    beforeEach(async () => {
      fixture = await harness.fixture();
      access = await fixture.access();
    });
    afterEach(() => fixture.close());

    it('seeds once, creates, lists, replaces and deletes tenants', async () => {
      expect(await access.seedTenantsOnce([tenant('demo', { visibility: 'public' })])).toBe(true);
      expect(await access.seedTenantsOnce([tenant('other')])).toBe(false);
      await access.createTenant(tenant('acme', { sloMs: 12, gpuThreshold: 100 }));
      await expect(access.createTenant(tenant('acme'))).rejects.toBeInstanceOf(TenantStoreError);
      const listed = await access.listTenants();
      expect(listed.faults).toEqual([]);
      expect(
        listed.tenants.map((t) => [t.id, t.visibility, t.sloMs, t.gpuThreshold ?? null]),
      ).toEqual([
        ['acme', 'private', 12, 100],
        ['demo', 'public', 7, null],
      ]);
      expect(listed.tenants[0]!.source).toEqual({ kind: 'live', width: 64, height: 64, seed: 1 });
      expect(listed.tenants[0]!.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(await access.updateTenantSettings(tenant('acme', { sloMs: 9 }))).toBe(true);
      const updated = (await access.listTenants()).tenants[0]!;
      expect([updated.sloMs, updated.gpuThreshold ?? null]).toEqual([9, null]);
      expect(await access.updateTenantSettings(tenant('nope'))).toBe(false);

      await access.replaceTenants([tenant('demo', { name: 'Renamed' }), tenant('zeta')]);
      const replaced = await access.listTenants();
      expect(replaced.tenants.map((t) => [t.id, t.name])).toEqual([
        ['demo', 'Renamed'],
        ['zeta', 'Tenant zeta'],
      ]);
      expect(await access.deleteTenant('zeta')).toBe(true);
      expect(await access.deleteTenant('zeta')).toBe(false);
    });

    it('issues tokens stored only as digests, with roles and grants', async () => {
      await access.createTenant(tenant('a'));
      await access.createTenant(tenant('b'));
      const one = await access.issueToken({
        name: 'ops',
        tenants: ['a', 'b', 'a'],
        role: 'operator',
      });
      const two = await access.issueToken({ name: 'viewer', tenants: ['b'] });
      expect(one.token).toMatch(TOKEN_PATTERN);
      expect(one.tokenId).not.toBe(two.tokenId);
      const listed = await access.listTokens();
      expect(listed.map((t) => [t.tokenId, t.name, t.role, t.tenants, t.revokedAt])).toEqual(
        expect.arrayContaining([
          [one.tokenId, 'ops', 'operator', ['a', 'b'], null],
          [two.tokenId, 'viewer', 'viewer', ['b'], null],
        ]),
      );
      const secrets = await access.tokenSecrets();
      const secret = secrets.find((s) => s.tokenId === one.tokenId)!;
      expect(secret.sha256.equals(hashToken(one.token))).toBe(true);
      expect(JSON.stringify(listed)).not.toContain(one.token);

      await expect(access.issueToken({ name: 'x', tenants: ['missing'] })).rejects.toThrow(
        /no such tenant: "missing"/,
      );
      await expect(access.issueToken({ name: 'auto', tenants: ['a'] })).rejects.toBeInstanceOf(
        TokenStoreError,
      );
      await expect(access.issueToken({ name: 'x', tenants: [] })).rejects.toBeInstanceOf(
        TokenStoreError,
      );
      expect(await access.listTokens()).toHaveLength(2);
      // A deleted tenant takes its grants with it.
      await access.deleteTenant('b');
      expect((await access.listTokens()).find((t) => t.tokenId === two.tokenId)!.tenants).toEqual(
        [],
      );
    });

    it('revokes once and tells every instance on the state', async () => {
      await access.createTenant(tenant('a'));
      const { tokenId } = await access.issueToken({ name: 'ops', tenants: ['a'] });
      const heardHere: string[] = [];
      await access.onRevoked((id) => heardHere.push(id));
      const gateway = await fixture.access();
      const heardThere: { id: string; atMs: number }[] = [];
      await gateway.onRevoked((id) => heardThere.push({ id, atMs: performance.now() }));

      const revokedAtMs = performance.now();
      expect(await access.revokeToken(tokenId)).toBe('revoked');
      expect(await access.revokeToken(tokenId)).toBe('already-revoked');
      expect(await access.revokeToken('tok_0000000000000000')).toBe('unknown');
      expect((await gateway.tokenSecrets())[0]!.revoked).toBe(true);
      expect((await access.listTokens())[0]!.revokedAt).toMatch(/Z$/);
      if (harness.backend === 'postgres') {
        // Another gateway hears it, once, and well within the second the contract allows.
        await expect.poll(() => heardThere.length, { timeout: 1000, interval: 10 }).toBe(1);
        expect(heardThere[0]!.id).toBe(tokenId);
        expect(heardThere[0]!.atMs - revokedAtMs).toBeLessThan(1000);
        await expect.poll(() => heardHere, { timeout: 1000 }).toEqual([tokenId]);
      } else {
        // One process: the revoking instance tells its own listeners; others poll console.db.
        expect(heardHere).toEqual([tokenId]);
        expect(heardThere).toEqual([]);
      }
    });

    it('announces every other change of tenants and tokens to every instance on the state', async () => {
      let heardHere = 0;
      await access.onChanged(() => void (heardHere += 1));
      const gateway = await fixture.access();
      let heardThere = 0;
      await gateway.onChanged(() => void (heardThere += 1));

      await access.createTenant(tenant('a'));
      await access.issueToken({ name: 'ops', tenants: ['a'] });
      expect(await access.updateTenantSettings(tenant('a', { sloMs: 11 }))).toBe(true);
      // Nothing changed: nothing announced.
      expect(await access.updateTenantSettings(tenant('nope'))).toBe(false);
      expect(await access.deleteTenant('nope')).toBe(false);
      expect(await access.deleteTenant('a')).toBe(true);
      if (harness.backend === 'postgres') {
        await expect.poll(() => heardThere, { timeout: 1000, interval: 10 }).toBe(4);
        await expect.poll(() => heardHere, { timeout: 1000, interval: 10 }).toBe(4);
      } else {
        // One process: the writing instance tells its own listeners; others poll console.db.
        expect(heardHere).toBe(4);
        expect(heardThere).toBe(0);
      }
    });
  });
}
