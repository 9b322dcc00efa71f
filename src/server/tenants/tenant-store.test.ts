import { describe, expect, it } from 'vitest';
import { openTenantDatabase } from './schema';
import {
  TenantStoreError,
  createTenant,
  deleteTenant,
  listTenants,
  replaceTenants,
  seedTenantsOnce,
} from './tenant-store';
import { issueToken, listTokens } from './token-store';
import type { TenantSpec } from './tenant-spec';

const spec = (id: string, extra: Partial<TenantSpec> = {}): TenantSpec => ({
  id,
  name: `Tenant ${id}`,
  visibility: 'private',
  source: { kind: 'replay', trace: `/t/${id}.bin` },
  sloMs: 7,
  ...extra,
});

describe('the tenant table', () => {
  it('reads back what was created, with a creation time', () => {
    const db = openTenantDatabase(':memory:');
    createTenant(db, spec('b', { visibility: 'public', sloMs: 12.5 }));
    createTenant(db, spec('a', { source: { kind: 'live', width: 4, height: 5, seed: 6 } }));
    const { tenants, faults } = listTenants(db);
    expect(faults).toEqual([]);
    expect(tenants.map((t) => t.id)).toEqual(['a', 'b']);
    expect(tenants[1]).toMatchObject({ visibility: 'public', sloMs: 12.5 });
    expect(tenants[0]!.source).toEqual({ kind: 'live', width: 4, height: 5, seed: 6 });
    expect(tenants[0]!.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(() => createTenant(db, spec('a'))).toThrow(TenantStoreError);
  });

  it('refuses rows that break its checks even when written around the validator', () => {
    const db = openTenantDatabase(':memory:');
    const insert = db.prepare(
      "INSERT INTO tenants (tenant_id, name, visibility, source) VALUES (?, 'n', 'public', '{}')",
    );
    expect(() => insert.run("x'--")).toThrow(/CHECK constraint/);
    expect(() => insert.run('UPPER')).toThrow(/CHECK constraint/);
    expect(() => insert.run('a'.repeat(64))).toThrow(/CHECK constraint/);
  });

  it('skips a hand-edited row that fails validation, saying which', () => {
    const db = openTenantDatabase(':memory:');
    createTenant(db, spec('good'));
    db.prepare(
      `INSERT INTO tenants (tenant_id, name, visibility, source) VALUES ('bad', 'n', 'public', '{"kind":"camera"}')`,
    ).run();
    const { tenants, faults } = listTenants(db);
    expect(tenants.map((t) => t.id)).toEqual(['good']);
    expect(faults[0]).toContain('tenants row "bad"');
  });

  it('deletes a tenant with its grants, so a new tenant of that id does not inherit tokens', () => {
    const db = openTenantDatabase(':memory:');
    createTenant(db, spec('a'));
    createTenant(db, spec('b'));
    issueToken(db, { name: 't', tenants: ['a', 'b'] });
    expect(deleteTenant(db, 'a')).toBe(true);
    expect(deleteTenant(db, 'a')).toBe(false);
    createTenant(db, spec('a'));
    expect(listTokens(db)[0]!.tenants).toEqual(['b']);
  });

  it('seeds once: not again after the operator deleted every tenant', () => {
    const db = openTenantDatabase(':memory:');
    expect(seedTenantsOnce(db, [spec('demo')])).toBe(true);
    expect(seedTenantsOnce(db, [spec('demo')])).toBe(false);
    deleteTenant(db, 'demo');
    expect(seedTenantsOnce(db, [spec('demo')])).toBe(false);
    expect(listTenants(db).tenants).toEqual([]);
  });

  it('does not seed over tenants someone created first', () => {
    const db = openTenantDatabase(':memory:');
    createTenant(db, spec('mine'));
    expect(seedTenantsOnce(db, [spec('demo')])).toBe(false);
    expect(listTenants(db).tenants.map((t) => t.id)).toEqual(['mine']);
  });

  it('replaces the table with a declaration in one go, keeping creation times', () => {
    const db = openTenantDatabase(':memory:');
    createTenant(db, spec('keep'));
    createTenant(db, spec('drop'));
    issueToken(db, { name: 't', tenants: ['keep', 'drop'] });
    const createdAt = listTenants(db).tenants[1]!.createdAt;
    replaceTenants(db, [spec('keep', { name: 'Kept' }), spec('new')]);
    const { tenants } = listTenants(db);
    expect(tenants.map((t) => [t.id, t.name])).toEqual([
      ['keep', 'Kept'],
      ['new', 'Tenant new'],
    ]);
    expect(tenants[0]!.createdAt).toBe(createdAt);
    expect(listTokens(db)[0]!.tenants).toEqual(['keep']);
    // A failing declaration leaves the table as it was.
    expect(() => replaceTenants(db, [spec('x'), spec('y', { sloMs: -1 })])).toThrow(/CHECK/);
    expect(listTenants(db).tenants.map((t) => t.id)).toEqual(['keep', 'new']);
  });
});
