// The in-memory view of tenants and tokens that every request checks against, whichever store
// feeds it (console.db, or the cluster's PostgreSQL): it keeps the last snapshot, tells listeners
// what changed when a new one differs, and answers token lookups by digest or id.
import type { TenantListing } from './tenant-store';
import type { TokenSecret } from './token-store';
import { sourceKey, type TenantRecord } from './tenant-spec';

export interface DirectoryChange {
  tenantsChanged: boolean;
  tokensChanged: boolean;
}

export interface TenantDirectory {
  readonly tenants: ReadonlyMap<string, TenantRecord>;
  /** The token whose secret has this SHA-256 digest (hex), revoked or not. */
  tokenByDigest(digestHex: string): TokenSecret | undefined;
  tokenById(tokenId: string): TokenSecret | undefined;
  /** Rereads both tables from the store; tells listeners and resolves with what changed. */
  refresh(): Promise<DirectoryChange>;
  /**
   * Rereads at once when the store can tell cheaply and synchronously that another process
   * committed (SQLite's data_version); null when nothing is known to have changed. A store that
   * announces its changes (PostgreSQL) always answers null: its view follows the announcements.
   */
  poll(): DirectoryChange | null;
  onChange(listener: (change: DirectoryChange) => void): () => void;
  /** Starts following changes made elsewhere (the admin CLI, other gateways). */
  startPolling(intervalMs: number): void;
  stopPolling(): void;
}

function tenantsFingerprint(tenants: readonly TenantRecord[]): string {
  return JSON.stringify(
    tenants.map((t) => [
      t.id,
      t.name,
      t.visibility,
      sourceKey(t.source),
      t.sloMs,
      t.gpuThreshold ?? null,
    ]),
  );
}

function tokensFingerprint(tokens: readonly TokenSecret[]): string {
  return JSON.stringify(
    tokens
      .map((t) => [t.tokenId, t.name, t.role, t.sha256.toString('hex'), t.revoked, t.tenants])
      .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
  );
}

export interface DirectoryView {
  readonly tenants: ReadonlyMap<string, TenantRecord>;
  tokenByDigest(digestHex: string): TokenSecret | undefined;
  tokenById(tokenId: string): TokenSecret | undefined;
  /** Takes a snapshot of both tables; tells listeners and returns what changed. */
  apply(listing: TenantListing, secrets: readonly TokenSecret[]): DirectoryChange;
  onChange(listener: (change: DirectoryChange) => void): () => void;
}

export function createDirectoryView(log: (line: string) => void): DirectoryView {
  let tenants = new Map<string, TenantRecord>();
  let byDigest = new Map<string, TokenSecret>();
  let byId = new Map<string, TokenSecret>();
  let tenantsPrint = '';
  let tokensPrint = '';
  let lastFaults = '';
  const listeners = new Set<(change: DirectoryChange) => void>();

  return {
    get tenants() {
      return tenants;
    },
    tokenByDigest: (digestHex) => byDigest.get(digestHex),
    tokenById: (tokenId) => byId.get(tokenId),
    apply(listing, secrets) {
      const faults = listing.faults.join('\n');
      if (faults !== lastFaults && faults.length > 0) {
        for (const fault of listing.faults) log(`${fault}; tenant skipped`);
      }
      lastFaults = faults;
      const nextTenantsPrint = tenantsFingerprint(listing.tenants);
      const nextTokensPrint = tokensFingerprint(secrets);
      const change = {
        tenantsChanged: nextTenantsPrint !== tenantsPrint,
        tokensChanged: nextTokensPrint !== tokensPrint,
      };
      tenantsPrint = nextTenantsPrint;
      tokensPrint = nextTokensPrint;
      tenants = new Map(listing.tenants.map((t) => [t.id, t]));
      byDigest = new Map(secrets.map((s) => [s.sha256.toString('hex'), s]));
      byId = new Map(secrets.map((s) => [s.tokenId, s]));
      if (change.tenantsChanged || change.tokensChanged) {
        for (const listener of listeners) listener(change);
      }
      return change;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}
