// The server's in-memory view of the tenant and token tables. The admin CLI writes from another
// process, so the view polls SQLite's `PRAGMA data_version` (a counter read from memory, no I/O
// beyond the shared-memory index) and reloads both tables only when another connection committed.
import type { Db } from '../storage/database';
import { listTenants } from './tenant-store';
import { loadTokenSecrets, type TokenSecret } from './token-store';
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
  /** Rereads both tables; tells listeners and returns what changed. */
  reload(): DirectoryChange;
  /** Rereads when another connection committed since the last look. */
  poll(): DirectoryChange | null;
  onChange(listener: (change: DirectoryChange) => void): () => void;
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

export function createTenantDirectory(db: Db, log: (line: string) => void): TenantDirectory {
  let tenants = new Map<string, TenantRecord>();
  let byDigest = new Map<string, TokenSecret>();
  let byId = new Map<string, TokenSecret>();
  let tenantsPrint = '';
  let tokensPrint = '';
  let lastFaults = '';
  const listeners = new Set<(change: DirectoryChange) => void>();
  const dataVersion = db.prepare('PRAGMA data_version').pluck();
  let seenVersion = dataVersion.get() as number;
  let timer: NodeJS.Timeout | undefined;

  const reload = (): DirectoryChange => {
    const listing = listTenants(db);
    const faults = listing.faults.join('\n');
    if (faults !== lastFaults && faults.length > 0) {
      for (const fault of listing.faults) log(`${fault}; tenant skipped`);
    }
    lastFaults = faults;
    const secrets = loadTokenSecrets(db);
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
  };

  const directory: TenantDirectory = {
    get tenants() {
      return tenants;
    },
    tokenByDigest: (digestHex) => byDigest.get(digestHex),
    tokenById: (tokenId) => byId.get(tokenId),
    reload,
    poll() {
      const version = dataVersion.get() as number;
      if (version === seenVersion) return null;
      seenVersion = version;
      return reload();
    },
    onChange(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    startPolling(intervalMs) {
      if (timer) return;
      timer = setInterval(() => {
        try {
          directory.poll();
        } catch (error) {
          // A busy or briefly locked database: the next poll tries again.
          log(`[tenants] reloading tenants and tokens failed: ${(error as Error).message}`);
        }
      }, intervalMs);
      timer.unref();
    },
    stopPolling() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
  return directory;
}
