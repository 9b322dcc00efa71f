import { describe, expect, it } from 'vitest';
import {
  authorizeTenant,
  createTenantAccess,
  isAccessDenied,
  resolveUpgradePrincipal,
} from './access';
import { createTenantDirectory } from './directory';
import { openTenantDatabase } from './schema';
import { createTenant } from './tenant-store';
import { issueToken, revokeToken } from './token-store';

function setup() {
  const db = openTenantDatabase(':memory:');
  const tenant = (id: string, visibility: 'public' | 'private') =>
    createTenant(db, {
      id,
      name: id,
      visibility,
      source: { kind: 'replay', trace: 'x.bin' },
      sloMs: 7,
    });
  tenant('pub', 'public');
  tenant('a', 'private');
  tenant('b', 'private');
  const forA = issueToken(db, { name: 'a', tenants: ['a'] });
  const revoked = issueToken(db, { name: 'r', tenants: ['a', 'b'] });
  revokeToken(db, revoked.tokenId);
  const directory = createTenantDirectory(db, () => {});
  directory.reload();
  return { db, directory, access: createTenantAccess(directory), forA, revoked };
}

describe('access', () => {
  const { access, forA, revoked, db, directory } = setup();
  const bearer = (t: string) => `Bearer ${t}`;

  it('gives an anonymous caller the public tenants only', () => {
    const p = access.resolvePrincipal(undefined);
    expect(p).toEqual({ tokenId: null, tenants: new Set(['pub']) });
  });

  it('gives a token its grants plus the public tenants', () => {
    const p = access.resolvePrincipal(bearer(forA.token));
    expect(p).toEqual({ tokenId: forA.tokenId, tenants: new Set(['pub', 'a']) });
  });

  const DECISIONS = [
    { who: 'anonymous', header: undefined, tenant: 'pub', expected: 'ok' },
    { who: 'anonymous', header: undefined, tenant: 'a', expected: 401 },
    { who: 'anonymous', header: undefined, tenant: 'nope', expected: 404 },
    { who: 'token for a', header: 'A', tenant: 'a', expected: 'ok' },
    { who: 'token for a', header: 'A', tenant: 'b', expected: 403 },
    { who: 'token for a', header: 'A', tenant: 'pub', expected: 'ok' },
    { who: 'token for a', header: 'A', tenant: 'nope', expected: 404 },
    { who: 'revoked token', header: 'R', tenant: 'a', expected: 401 },
    { who: 'revoked token', header: 'R', tenant: 'pub', expected: 401 },
    { who: 'unknown token', header: 'U', tenant: 'a', expected: 401 },
    { who: 'token for a', header: 'A', tenant: "a' OR '1'='1", expected: 404 },
    { who: 'token for a', header: 'A', tenant: 'A', expected: 404 },
  ] as const;
  it.each(DECISIONS)('$who asking for $tenant: $expected', ({ header, tenant, expected }) => {
    const tokens = { A: forA.token, R: revoked.token, U: 'x'.repeat(43) };
    const principal = access.resolvePrincipal(header && bearer(tokens[header]));
    expect(access.requireTenant(principal, tenant)).toBe(expected);
  });

  const MALFORMED = [
    { name: 'another scheme', header: `Basic ${forA.token}`, error: 'invalid_request' },
    { name: 'a bare token', header: forA.token, error: 'invalid_request' },
    { name: 'a short token', header: 'Bearer abc', error: 'invalid_token' },
    { name: 'a token one character long', header: `Bearer ${forA.token}x`, error: 'invalid_token' },
    { name: 'SQL', header: "Bearer ' OR 1=1 --", error: 'invalid_request' },
    { name: 'SQL without spaces', header: "Bearer '/**/OR/**/1=1", error: 'invalid_token' },
    {
      name: 'an oversized header',
      header: `Bearer ${'a'.repeat(10_000)}`,
      error: 'invalid_request',
    },
    { name: 'two tokens', header: `Bearer ${forA.token} ${forA.token}`, error: 'invalid_request' },
  ];
  it.each(MALFORMED)('refuses $name with 401 $error', ({ header, error }) => {
    const p = access.resolvePrincipal(header);
    expect(isAccessDenied(p) && p).toMatchObject({ status: 401, error });
  });

  it('accepts the scheme in any case, as RFC 7235 says', () => {
    expect(isAccessDenied(access.resolvePrincipal(`bearer ${forA.token}`))).toBe(false);
  });

  it('reads the WebSocket token from a bearer.TOKEN subprotocol, once', () => {
    const p = resolveUpgradePrincipal(access, ['phase.v1', `bearer.${forA.token}`], undefined);
    expect(isAccessDenied(p) ? null : p.tokenId).toBe(forA.tokenId);
    const twice = resolveUpgradePrincipal(
      access,
      ['phase.v1', `bearer.${forA.token}`, `bearer.${forA.token}`],
      undefined,
    );
    expect(isAccessDenied(twice)).toBe(true);
    const both = resolveUpgradePrincipal(access, [`bearer.${forA.token}`], bearer(forA.token));
    expect(isAccessDenied(both)).toBe(true);
    const header = resolveUpgradePrincipal(access, ['phase.v1'], bearer(forA.token));
    expect(isAccessDenied(header) ? null : header.tokenId).toBe(forA.tokenId);
  });

  it('answers routes with JSON-ready refusals', () => {
    expect(authorizeTenant(access, bearer(forA.token), 'a')).toBeNull();
    expect(authorizeTenant(access, bearer(forA.token), 'b')).toMatchObject({
      status: 403,
      error: 'forbidden',
    });
    expect(authorizeTenant(access, undefined, 'b')).toMatchObject({ status: 401 });
    expect(authorizeTenant(access, bearer(revoked.token), 'a')).toMatchObject({
      status: 401,
      error: 'token_revoked',
    });
    expect(authorizeTenant(access, undefined, 'zzz')).toMatchObject({ status: 404 });
  });

  it('follows revocations written by another connection once it polls', () => {
    const other = issueToken(db, { name: 'late', tenants: ['b'] });
    expect(directory.poll()).toBeNull(); // same connection: the caller reloads itself
    directory.reload();
    expect(access.requireTenant(access.resolvePrincipal(bearer(other.token)), 'b')).toBe('ok');
    revokeToken(db, other.tokenId);
    directory.reload();
    expect(access.requireTenant(access.principalOf(other.tokenId), 'b')).toBe(401);
  });
});
