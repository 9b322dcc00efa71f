import { describe, expect, it } from 'vitest';
import {
  adminRefusal,
  authorizeTenant,
  createTenantAccess,
  isAccessDenied,
  resolveUpgradePrincipal,
  tenantWriteRefusal,
  writerRefusal,
  type Principal,
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
  const operator = issueToken(db, { name: 'ops', tenants: ['a', 'pub'], role: 'operator' });
  const admin = issueToken(db, { name: 'root', tenants: ['b'], role: 'admin' });
  const revoked = issueToken(db, { name: 'r', tenants: ['a', 'b'] });
  revokeToken(db, revoked.tokenId);
  const directory = createTenantDirectory(db, () => {});
  directory.reload();
  return {
    db,
    directory,
    access: createTenantAccess(directory),
    forA,
    operator,
    admin,
    revoked,
  };
}

describe('access', () => {
  const { access, forA, operator, admin, revoked, db, directory } = setup();
  const bearer = (t: string) => `Bearer ${t}`;

  it('gives an anonymous caller the public tenants to read, nothing to change', () => {
    const p = access.resolvePrincipal(undefined);
    expect(p).toEqual({
      tokenId: null,
      name: null,
      role: null,
      tenants: new Set(['pub']),
      writable: new Set(),
      admin: false,
    });
  });

  it('gives a viewer token its grants plus the public tenants to read, nothing to change', () => {
    const p = access.resolvePrincipal(bearer(forA.token));
    expect(p).toEqual({
      tokenId: forA.tokenId,
      name: 'a',
      role: 'viewer',
      tenants: new Set(['pub', 'a']),
      writable: new Set(),
      admin: false,
    });
  });

  it('lets an operator change exactly the tenants it is granted, a public one only by grant', () => {
    const p = access.resolvePrincipal(bearer(operator.token));
    expect(p).toMatchObject({ role: 'operator', writable: new Set(['a', 'pub']), admin: false });
    expect(tenantWriteRefusal(p as Principal, 'a')).toBeNull();
    expect(tenantWriteRefusal(p as Principal, 'b')).toMatchObject({ status: 404 });
    const byAdmin = access.resolvePrincipal(bearer(admin.token)) as Principal;
    expect(byAdmin).toMatchObject({ role: 'admin', writable: new Set(['b']), admin: true });
    expect(tenantWriteRefusal(byAdmin, 'pub')).toMatchObject({
      status: 403,
      error: 'forbidden',
      challenge: expect.stringContaining('error="insufficient_scope"'),
    });
  });

  it('decides from credentials alone who may change anything, and who may administer', () => {
    expect(writerRefusal(access.resolvePrincipal(undefined))).toMatchObject({
      status: 401,
      challenge: 'Bearer realm="phase-console"',
    });
    expect(writerRefusal(access.resolvePrincipal(bearer(forA.token)))).toMatchObject({
      status: 403,
      message: 'token "a" is a viewer: changing tickets needs the operator role',
    });
    expect(writerRefusal(access.resolvePrincipal(bearer(operator.token)))).toBeNull();
    expect(adminRefusal(access.resolvePrincipal(bearer(operator.token)))).toMatchObject({
      status: 403,
    });
    expect(adminRefusal(access.resolvePrincipal(bearer(admin.token)))).toBeNull();
    expect(adminRefusal(access.resolvePrincipal(bearer(revoked.token)))).toMatchObject({
      status: 401,
    });
  });

  // A tenant the caller may not read answers exactly like one that does not exist.
  const DECISIONS = [
    { who: 'anonymous', header: undefined, tenant: 'pub', expected: 'ok' },
    { who: 'anonymous', header: undefined, tenant: 'a', expected: 404 },
    { who: 'anonymous', header: undefined, tenant: 'nope', expected: 404 },
    { who: 'token for a', header: 'A', tenant: 'a', expected: 'ok' },
    { who: 'token for a', header: 'A', tenant: 'b', expected: 404 },
    { who: 'token for a', header: 'A', tenant: 'pub', expected: 'ok' },
    { who: 'token for a', header: 'A', tenant: 'nope', expected: 404 },
    { who: 'revoked token', header: 'R', tenant: 'a', expected: 401 },
    { who: 'revoked token', header: 'R', tenant: 'pub', expected: 401 },
    { who: 'revoked token', header: 'R', tenant: 'nope', expected: 401 },
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
    const hidden = authorizeTenant(access, bearer(forA.token), 'b');
    const unknown = authorizeTenant(access, bearer(forA.token), 'z');
    expect(hidden).toEqual({ ...unknown, message: unknown!.message.replace('"z"', '"b"') });
    expect(hidden).toMatchObject({ status: 404, error: 'not_found' });
    expect(authorizeTenant(access, undefined, 'b')).toEqual({
      ...authorizeTenant(access, undefined, 'z'),
      message: expect.stringContaining('"b"'),
    });
    expect(authorizeTenant(access, bearer(revoked.token), 'a')).toEqual({
      status: 401,
      error: 'unauthorized',
      message: 'the token was revoked',
      challenge:
        'Bearer realm="phase-console", error="invalid_token", error_description="the token was revoked"',
    });
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
