// Access tokens: 32 random bytes, base64url, shown once when issued. At rest only the SHA-256
// digest of the token is kept, so a copy of the database grants nothing. A token has a public id
// (for listing and revoking), a name (the actor its changes are recorded under), a role (viewer,
// operator or admin) and grants a set of tenant ids.
import { createHash, randomBytes } from 'node:crypto';
import { TOKEN_ROLES, isTokenRole, type TokenRole } from '../../core/api/session';
import type { Db } from '../storage/database';
import { nameFault, tenantIdFault } from './tenant-spec';

export const TOKEN_BYTES = 32;
/** base64url without padding of 32 bytes: 43 characters. */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const TOKEN_ID_PATTERN = /^tok_[0-9a-f]{16}$/;
/**
 * Names the console itself writes on ticket timelines: a token named so would pass its changes off
 * as the console's own.
 */
export const RESERVED_TOKEN_NAMES = ['auto', 'detector', 'alertmanager', 'pager', 'canary'];

export class TokenStoreError extends Error {
  constructor(message: string) {
    super(`[tokens] ${message}`);
    this.name = 'TokenStoreError';
  }
}

export interface IssuedToken {
  tokenId: string;
  /** The secret itself: shown to the operator once, never stored. */
  token: string;
}

export interface TokenRecord {
  tokenId: string;
  name: string;
  role: TokenRole;
  tenants: string[];
  createdAt: string;
  revokedAt: string | null;
}

/** What the server keeps in memory to check presented tokens. */
export interface TokenSecret {
  tokenId: string;
  name: string;
  role: TokenRole;
  sha256: Buffer;
  tenants: string[];
  revoked: boolean;
}

export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

export function isTokenId(value: string): boolean {
  return TOKEN_ID_PATTERN.test(value);
}

export interface TokenRequest {
  name: string;
  tenants: readonly string[];
  role?: TokenRole;
}

/**
 * Checks a request and makes its secret: the role (viewer when none is asked for, the least it can
 * be), the tenants without repeats, the token shown once and its public id.
 */
export function prepareToken(request: TokenRequest): {
  role: TokenRole;
  tenants: string[];
  issued: IssuedToken;
} {
  const fault = nameFault(request.name);
  if (fault) throw new TokenStoreError(`token name ${fault}`);
  if (RESERVED_TOKEN_NAMES.includes(request.name.trim().toLowerCase())) {
    throw new TokenStoreError(
      `token name "${request.name}" is reserved for the console's own entries on ticket timelines`,
    );
  }
  const role = request.role ?? 'viewer';
  if (!isTokenRole(role)) {
    throw new TokenStoreError(`role must be one of ${TOKEN_ROLES.join(', ')}, got "${role}"`);
  }
  const tenants = [...new Set(request.tenants)];
  if (tenants.length === 0) throw new TokenStoreError('a token must grant at least one tenant');
  for (const id of tenants) {
    const idFault = tenantIdFault(id);
    if (idFault) throw new TokenStoreError(`tenant id ${idFault}`);
  }
  const token = randomBytes(TOKEN_BYTES).toString('base64url');
  const tokenId = `tok_${randomBytes(8).toString('hex')}`;
  return { role, tenants, issued: { tokenId, token } };
}

/** Issues a token; without a role it is a viewer (reads only), the least it can be. */
export function issueToken(db: Db, request: TokenRequest): IssuedToken {
  const { role, tenants, issued } = prepareToken(request);
  const { tokenId, token } = issued;
  db.transaction(() => {
    const known = db.prepare('SELECT 1 FROM tenants WHERE tenant_id = ?').pluck();
    const missing = tenants.filter((id) => known.get(id) === undefined);
    if (missing.length > 0) {
      throw new TokenStoreError(`no such tenant: ${missing.map((m) => `"${m}"`).join(', ')}`);
    }
    db.prepare('INSERT INTO tokens (token_id, name, role, secret_sha256) VALUES (?, ?, ?, ?)').run(
      tokenId,
      request.name,
      role,
      hashToken(token),
    );
    const grant = db.prepare('INSERT INTO token_grants (token_id, tenant_id) VALUES (?, ?)');
    for (const id of tenants) grant.run(tokenId, id);
  })();
  return { tokenId, token };
}

interface TokenRow {
  token_id: string;
  name: string;
  /** The schema's CHECK keeps it one of TOKEN_ROLES. */
  role: TokenRole;
  created_at: string;
  revoked_at: string | null;
}

function grantsByToken(db: Db): Map<string, string[]> {
  const grants = new Map<string, string[]>();
  const rows = db
    .prepare('SELECT token_id, tenant_id FROM token_grants ORDER BY token_id, tenant_id')
    .all() as { token_id: string; tenant_id: string }[];
  for (const r of rows) {
    const list = grants.get(r.token_id) ?? [];
    list.push(r.tenant_id);
    grants.set(r.token_id, list);
  }
  return grants;
}

export function listTokens(db: Db): TokenRecord[] {
  const grants = grantsByToken(db);
  const rows = db
    .prepare(
      'SELECT token_id, name, role, created_at, revoked_at FROM tokens ORDER BY created_at, token_id',
    )
    .all() as TokenRow[];
  return rows.map((r) => ({
    tokenId: r.token_id,
    name: r.name,
    role: r.role,
    tenants: grants.get(r.token_id) ?? [],
    createdAt: r.created_at,
    revokedAt: r.revoked_at,
  }));
}

export function loadTokenSecrets(db: Db): TokenSecret[] {
  const grants = grantsByToken(db);
  const rows = db
    .prepare('SELECT token_id, name, role, secret_sha256, revoked_at FROM tokens')
    .all() as (TokenRow & { secret_sha256: Buffer })[];
  return rows.map((r) => ({
    tokenId: r.token_id,
    name: r.name,
    role: r.role,
    sha256: r.secret_sha256,
    tenants: grants.get(r.token_id) ?? [],
    revoked: r.revoked_at !== null,
  }));
}

/** Marks the token revoked; a running server closes its connections at its next poll. */
export function revokeToken(db: Db, tokenId: string): 'revoked' | 'already-revoked' | 'unknown' {
  return db.transaction(() => {
    const row = db.prepare('SELECT revoked_at FROM tokens WHERE token_id = ?').get(tokenId) as
      { revoked_at: string | null } | undefined;
    if (!row) return 'unknown';
    if (row.revoked_at !== null) return 'already-revoked';
    db.prepare(
      `UPDATE tokens SET revoked_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE token_id = ?`,
    ).run(tokenId);
    return 'revoked';
  })();
}
