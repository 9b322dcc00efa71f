// Tenants and access tokens behind one asynchronous interface, on SQLite (the data directory's
// console.db) or on the cluster's PostgreSQL. Revocation is the part a cluster needs most: a token
// revoked through any gateway must close its connections on all of them within a second, so
// PostgreSQL announces each revocation (NOTIFY) and every instance hears it.
import type { TenantListing } from '../tenants/tenant-store';
import type { TenantSpec } from '../tenants/tenant-spec';
import type { IssuedToken, TokenRecord, TokenRequest, TokenSecret } from '../tenants/token-store';
import type { StateBackend } from './tickets';

export type RevokeResult = 'revoked' | 'already-revoked' | 'unknown';

export interface AccessState {
  readonly backend: StateBackend;
  listTenants(): Promise<TenantListing>;
  createTenant(spec: TenantSpec): Promise<void>;
  /** Deletes the tenant and every grant to it; false when there was none. */
  deleteTenant(id: string): Promise<boolean>;
  /** Makes the table hold exactly `specs` (a tenants file), keeping created_at of those kept. */
  replaceTenants(specs: readonly TenantSpec[]): Promise<void>;
  /** Inserts `specs` when the table is empty and was never seeded; true when it did. */
  seedTenantsOnce(specs: readonly TenantSpec[]): Promise<boolean>;
  /**
   * Writes a tenant's settings (visibility, source, SLO, GPU threshold): what an applied or
   * overridden promotion changes. False when there is no such tenant.
   */
  updateTenantSettings(spec: TenantSpec): Promise<boolean>;
  issueToken(request: TokenRequest): Promise<IssuedToken>;
  listTokens(): Promise<TokenRecord[]>;
  /** What the server keeps in memory to check presented tokens. */
  tokenSecrets(): Promise<TokenSecret[]>;
  revokeToken(tokenId: string): Promise<RevokeResult>;
  /**
   * Hears revocations: on PostgreSQL those of every instance on the database, on SQLite this
   * instance's (other processes' are found by the server's poll of console.db). Resolves, with
   * the way to stop, once revocations are heard.
   */
  onRevoked(listener: (tokenId: string) => void): Promise<() => void>;
  /**
   * Hears every other change of tenants, tokens or grants (a tenant created, settings changed, a
   * token issued): on PostgreSQL those of every instance, on SQLite this instance's. Resolves,
   * with the way to stop, once changes are heard.
   */
  onChanged(listener: () => void): Promise<() => void>;
  close(): Promise<void>;
}
