// Who may read and change which tenant. A request's principal comes from its credentials alone (a
// bearer token or none); the tenant comes from the URL or the body; the two meet here. A tenant the
// caller may not read answers exactly like one that does not exist, so nobody learns the ids of
// private tenants by trying. Nothing else a client writes into a request is ever asked. Shared by
// the stream, the REST routes and Kaizen.
import { timingSafeEqual } from 'node:crypto';
import type { TokenRole } from '../../core/api/session';
import { isTenantId } from '../../core/tenant-id';
import { bearerChallenge, type BearerError } from './challenge';
import type { TenantDirectory } from './directory';
import { TOKEN_PATTERN, hashToken } from './token-store';

export interface Principal {
  /** The token presented, or null for an anonymous caller. */
  tokenId: string | null;
  /** The token's name, the actor of its changes on ticket timelines; null when anonymous. */
  name: string | null;
  role: TokenRole | null;
  /** Every tenant this caller may read, public ones included. */
  tenants: ReadonlySet<string>;
  /**
   * Tenants whose tickets it may change: its own grants, when its role is operator or admin. A
   * public tenant is readable by everyone and writable only with a grant.
   */
  writable: ReadonlySet<string>;
  /** May change tenants, tokens and settings. */
  admin: boolean;
}

/** Credentials were presented but are no good: always HTTP 401. */
export interface AccessDenied {
  denied: true;
  status: 401;
  error: Extract<BearerError, 'invalid_request' | 'invalid_token'>;
  message: string;
}

/** 401: the credentials are no good; 404: no such tenant, or one the caller may not read. */
export type TenantDecision = 'ok' | 401 | 404;

export interface TenantAccess {
  /** From an HTTP `Authorization` header (`Bearer TOKEN`); undefined or empty means anonymous. */
  resolvePrincipal(authorizationHeader: string | undefined): Principal | AccessDenied;
  /** From a bare token (the WebSocket's `bearer.TOKEN` subprotocol); undefined means anonymous. */
  resolveToken(token: string | undefined): Principal | AccessDenied;
  /** The principal of an already accepted token now, to re-check a live connection. */
  principalOf(tokenId: string | null): Principal | AccessDenied;
  requireTenant(principal: Principal | AccessDenied, tenantId: string): TenantDecision;
  /** Whether the tenant exists (whoever asks). */
  hasTenant(tenantId: string): boolean;
}

/** Longest Authorization header worth parsing; real ones are 50 characters. */
export const MAX_AUTHORIZATION_CHARS = 512;

const NOTHING: ReadonlySet<string> = new Set();

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

  /**
   * Rereads tokens and tenants if the admin CLI committed since the last look (a counter read from
   * memory), so a token works the moment it is issued and stops the moment it is revoked.
   */
  const catchUp = (): void => {
    try {
      directory.poll();
    } catch {
      // A busy database: the server's own poll tries again; this request uses what is loaded.
    }
  };

  const principalOf = (tokenId: string | null): Principal | AccessDenied => {
    const tenants = publicTenants();
    if (tokenId === null) {
      return { tokenId: null, name: null, role: null, tenants, writable: NOTHING, admin: false };
    }
    const secret = directory.tokenById(tokenId);
    if (!secret) return denied('invalid_token', 'unknown token');
    if (secret.revoked) return denied('invalid_token', 'the token was revoked');
    const granted = new Set(secret.tenants.filter((id) => directory.tenants.has(id)));
    for (const id of granted) tenants.add(id);
    return {
      tokenId,
      name: secret.name,
      role: secret.role,
      tenants,
      writable: secret.role === 'viewer' ? NOTHING : granted,
      admin: secret.role === 'admin',
    };
  };

  const resolveToken = (token: string | undefined): Principal | AccessDenied => {
    if (token === undefined) return principalOf(null);
    if (!TOKEN_PATTERN.test(token)) {
      return denied('invalid_token', 'malformed token: expected 43 base64url characters');
    }
    catchUp();
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
      if (isAccessDenied(principal)) return 401;
      if (!isTenantId(tenantId) || !principal.tenants.has(tenantId)) return 404;
      return 'ok';
    },
    hasTenant: (tenantId) => isTenantId(tenantId) && directory.tenants.has(tenantId),
  };
}

export interface Refusal {
  status: 400 | 401 | 403 | 404;
  error: string;
  message: string;
  /** The WWW-Authenticate header of a 401 or 403 (RFC 6750). */
  challenge?: string;
}

/** The 401 of credentials that are no good, wherever they were presented. */
export function deniedRefusal(principal: AccessDenied): Refusal {
  return {
    status: 401,
    error: 'unauthorized',
    message: principal.message,
    challenge: bearerChallenge(principal.error, principal.message),
  };
}

/** The same answer for a tenant that does not exist and one the caller may not read. */
export function hiddenTenantRefusal(principal: Principal, tenantId: string): Refusal {
  const shown = JSON.stringify(tenantId.slice(0, 64));
  const hint = principal.tokenId === null ? ' (a private tenant needs a token that grants it)' : '';
  return {
    status: 404,
    error: 'not_found',
    message: `no tenant ${shown} among those you may see${hint}`,
  };
}

/**
 * The HTTP refusal for a caller asking to read `tenantId`, or null when allowed: what a route sends
 * as `{error, message}`.
 */
export function authorizeTenant(
  access: TenantAccess,
  authorizationHeader: string | undefined,
  tenantId: string,
): Refusal | null {
  const principal = access.resolvePrincipal(authorizationHeader);
  return refusalFor(access.requireTenant(principal, tenantId), principal, tenantId);
}

export function refusalFor(
  decision: TenantDecision,
  principal: Principal | AccessDenied,
  tenantId: string,
): Refusal | null {
  if (decision === 'ok') return null;
  if (isAccessDenied(principal)) return deniedRefusal(principal);
  return hiddenTenantRefusal(principal, tenantId);
}

/**
 * Why this caller may change no ticket at all, decided from its credentials alone (before a body is
 * read), or null when its role allows changes: anonymous 401, a viewer 403.
 */
export function writerRefusal(principal: Principal | AccessDenied): Refusal | null {
  if (isAccessDenied(principal)) return deniedRefusal(principal);
  if (principal.tokenId === null) {
    return {
      status: 401,
      error: 'unauthorized',
      message: 'changing tickets needs a token with the operator role',
      challenge: bearerChallenge(),
    };
  }
  if (principal.role === 'viewer') {
    const message = `token "${principal.name}" is a viewer: changing tickets needs the operator role`;
    return {
      status: 403,
      error: 'forbidden',
      message,
      challenge: bearerChallenge('insufficient_scope', message),
    };
  }
  return null;
}

/** Why this caller may not change tickets of `tenantId` (404 when it may not even read it). */
export function tenantWriteRefusal(principal: Principal, tenantId: string): Refusal | null {
  if (!principal.tenants.has(tenantId)) return hiddenTenantRefusal(principal, tenantId);
  if (principal.writable.has(tenantId)) return null;
  const message =
    principal.tokenId === null
      ? `changing tickets of tenant "${tenantId}" needs a token that grants it`
      : `token "${principal.name}" does not grant tenant "${tenantId}": changing its tickets needs a grant`;
  return {
    status: 403,
    error: 'forbidden',
    message,
    challenge: bearerChallenge('insufficient_scope', message),
  };
}

/** Why this caller may not administer the console (tenants, tokens, settings), or null. */
export function adminRefusal(principal: Principal | AccessDenied): Refusal | null {
  if (isAccessDenied(principal)) return deniedRefusal(principal);
  if (principal.admin) return null;
  if (principal.tokenId === null) {
    return {
      status: 401,
      error: 'unauthorized',
      message: 'this needs a token with the admin role',
      challenge: bearerChallenge(),
    };
  }
  const message = `token "${principal.name}" is ${principal.role === 'operator' ? 'an' : 'a'} ${principal.role}: this needs the admin role`;
  return {
    status: 403,
    error: 'forbidden',
    message,
    challenge: bearerChallenge('insufficient_scope', message),
  };
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
