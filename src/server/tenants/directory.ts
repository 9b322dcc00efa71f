// The server's view of the tenant and token tables of console.db. The admin CLI writes from another
// process, so the view polls SQLite's `PRAGMA data_version` (a counter read from memory, no I/O
// beyond the shared-memory index) and reloads both tables only when another connection committed.
import type { Db } from '../storage/database';
import { createDirectoryView, type DirectoryChange, type TenantDirectory } from './directory-view';
import { listTenants } from './tenant-store';
import { loadTokenSecrets } from './token-store';

export type { DirectoryChange, TenantDirectory } from './directory-view';

export interface SqliteTenantDirectory extends TenantDirectory {
  /** Rereads both tables now (SQLite answers synchronously). */
  reload(): DirectoryChange;
}

export function createTenantDirectory(db: Db, log: (line: string) => void): SqliteTenantDirectory {
  const view = createDirectoryView(log);
  const dataVersion = db.prepare('PRAGMA data_version').pluck();
  let seenVersion = dataVersion.get() as number;
  let timer: NodeJS.Timeout | undefined;

  const reload = (): DirectoryChange => view.apply(listTenants(db), loadTokenSecrets(db));

  const directory: SqliteTenantDirectory = {
    get tenants() {
      return view.tenants;
    },
    tokenByDigest: view.tokenByDigest,
    tokenById: view.tokenById,
    reload,
    refresh: () => new Promise((resolve) => resolve(reload())),
    poll() {
      const version = dataVersion.get() as number;
      if (version === seenVersion) return null;
      seenVersion = version;
      return reload();
    },
    onChange: view.onChange,
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
