// Who may see which tenant. A request's principal comes from its credentials alone (a bearer token
// or none); the tenant comes from the URL; the two meet in requireTenant. Nothing a client writes
// into a message body is ever asked. Shared by the stream, the REST routes and Kaizen.
import { timingSafeEqual } from 'node:crypto';
import type { TenantDirectory } from './directory';
import { isTenantId } from '../../core/tenant-id';
import { TOKEN_PATTERN, hashToken } from './token-store';

export interface Principal {
  /** The token presented, or null for an anonymous caller. */
  tokenId: string | null;
  /** Every tenant this caller may see, public included. */
  tenants: ReadonlySet<string>;
}

/** Credentials were presented but are no good: always HTTP 401. */
export interface AccessDenied {
  denied: true;
  status: 401;
  error: 'invalid_request' | 'invalid_token' | 'token_revoked';
  message: string;
}

export type TenantDecision = 'ok' | 404 | 401 | 403;

export interface TenantAccess {
  /** From an HTTP `Authorization` header (`Bearer TOKEN`); undefined or empty means anonymous. */
  resolvePrincipal(authorizationHeader: string | undefined): Principal | AccessDenied;
  /** From a bare token (the WebSocket's `bearer.TOKEN` subprotocol); undefined means anonymous. */
  resolveToken(token: string | undefined): Principal | AccessDenied;
  /** The principal of an already accepted token now, to re-check a live connection. */
  principalOf(tokenId: string | null): Principal | AccessDenied;
  /** 404 unknown tenant, 401 anonymous or bad credentials on a private tenant, 403 not granted. */
  requireTenant(principal: Principal | AccessDenied, tenantId: string): TenantDecision;
  /** Whether the tenant exists (whoever asks). */
  hasTenant(tenantId: string): boolean;
}

/** Longest Authorization header worth parsing; real ones are 50 characters. */
export const MAX_AUTHORIZATION_CHARS = 512;

export function isAccessDenied(value: Principal | AccessDenied): value is AccessDenied {
  return 'denied' in value;
}

function denied(error: AccessDenied['error'], message: string): AccessDenied {
  return { denied: true, status: 401, error, message };
}

export function createTenantAccess(directory: TenantDirectory): TenantAccess {
  const publicTenants = (): Set<string> => {
    const ids = new Set<string>();
    for (const t of directory.tenants.values()) if (t.visibility === 'public') ids.add(t.id);
    return ids;
  };

  const principalOf = (tokenId: string | null): Principal | AccessDenied => {
    const tenants = publicTenants();
    if (tokenId === null) return { tokenId: null, tenants };
    const secret = directory.tokenById(tokenId);
    if (!secret) return denied('invalid_token', 'unknown token');
    if (secret.revoked) return denied('token_revoked', 'the token was revoked');
    for (const id of secret.tenants) if (directory.tenants.has(id)) tenants.add(id);
    return { tokenId, tenants };
  };

  const resolveToken = (token: string | undefined): Principal | AccessDenied => {
    if (token === undefined) return principalOf(null);
    if (!TOKEN_PATTERN.test(token)) {
      return denied('invalid_token', 'malformed token: expected 43 base64url characters');
    }
    const digest = hashToken(token);
    // The lookup is keyed by the digest, so its timing says nothing about the secret; the final
    // comparison is constant-time all the same.
    const secret = directory.tokenByDigest(digest.toString('hex'));
    if (!secret || !timingSafeEqual(secret.sha256, digest)) {
      return denied('invalid_token', 'unknown token');
    }
    return principalOf(secret.tokenId);
  };

  return {
    resolveToken,
    principalOf,
    resolvePrincipal(header) {
      if (header === undefined || header === '') return principalOf(null);
      if (header.length > MAX_AUTHORIZATION_CHARS) {
        return denied('invalid_request', 'Authorization header too long');
      }
      const match = /^Bearer +(\S+) *$/i.exec(header);
      if (!match) return denied('invalid_request', 'Authorization must be "Bearer TOKEN"');
      return resolveToken(match[1]);
    },
    requireTenant(principal, tenantId) {
      if (!isTenantId(tenantId) || !directory.tenants.has(tenantId)) return 404;
      if (isAccessDenied(principal)) return 401;
      if (principal.tenants.has(tenantId)) return 'ok';
      return principal.tokenId === null ? 401 : 403;
    },
    hasTenant: (tenantId) => isTenantId(tenantId) && directory.tenants.has(tenantId),
  };
}

export interface Refusal {
  status: 400 | 401 | 403 | 404;
  error: string;
  message: string;
}

/**
 * The HTTP refusal for a caller asking for `tenantId`, or null when allowed: what a route sends
 * as `{error, message}`. Matches the bandwidth routes' `authorize` hook.
 */
export function authorizeTenant(
  access: TenantAccess,
  authorizationHeader: string | undefined,
  tenantId: string,
): Refusal | null {
  const principal = access.resolvePrincipal(authorizationHeader);
  const decision = access.requireTenant(principal, tenantId);
  return refusalFor(decision, principal, tenantId);
}

export function refusalFor(
  decision: TenantDecision,
  principal: Principal | AccessDenied,
  tenantId: string,
): Refusal | null {
  const shown = JSON.stringify(tenantId.slice(0, 64));
  switch (decision) {
    case 'ok':
      return null;
    case 404:
      return { status: 404, error: 'not_found', message: `unknown tenant ${shown}` };
    case 401:
      return isAccessDenied(principal)
        ? { status: 401, error: principal.error, message: principal.message }
        : {
            status: 401,
            error: 'unauthorized',
            message: `tenant ${shown} is private: present a token that grants it`,
          };
    case 403:
      return {
        status: 403,
        error: 'forbidden',
        message: `the token does not grant tenant ${shown}`,
      };
  }
}

/** How a browser presents its token on the WebSocket: a second offered subprotocol. */
export const BEARER_SUBPROTOCOL_PREFIX = 'bearer.';

/**
 * The principal of a WebSocket upgrade: the token from a `bearer.TOKEN` subprotocol, else from an
 * `Authorization: Bearer TOKEN` header (non-browser clients), else anonymous. Two tokens are a
 * malformed request, not a choice.
 */
export function resolveUpgradePrincipal(
  access: TenantAccess,
  offeredProtocols: readonly string[],
  authorizationHeader: string | undefined,
): Principal | AccessDenied {
  const bearers = offeredProtocols.filter((p) => p.startsWith(BEARER_SUBPROTOCOL_PREFIX));
  if (bearers.length === 0) return access.resolvePrincipal(authorizationHeader);
  if (bearers.length > 1 || (authorizationHeader ?? '') !== '') {
    return denied(
      'invalid_request',
      'present one token: one bearer.TOKEN subprotocol, or the header',
    );
  }
  return access.resolveToken(bearers[0]!.slice(BEARER_SUBPROTOCOL_PREFIX.length));
}
