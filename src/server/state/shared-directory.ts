// The tenant directory of a gateway with --database: tenants and tokens read from the cluster's
// PostgreSQL, kept in memory for every request's checks, and reread when any instance announces a
// change (NOTIFY: a token revoked or issued, a tenant created, deleted or changed), so a revocation
// through one gateway closes the token's sockets on all of them within milliseconds. A slow resync
// catches what a dropped LISTEN connection missed.
import {
  createDirectoryView,
  type DirectoryChange,
  type TenantDirectory,
} from '../tenants/directory-view';
import type { AccessState } from './access';

/** How often the directory rereads even without a notice: the bound on a missed NOTIFY. */
export const SHARED_RESYNC_MS = 5_000;

export async function openSharedDirectory(
  access: AccessState,
  log: (line: string) => void,
): Promise<TenantDirectory> {
  const view = createDirectoryView(log);
  let running: Promise<DirectoryChange> | null = null;
  let queued: Promise<DirectoryChange> | null = null;
  let timer: NodeJS.Timeout | undefined;
  let failing = false;

  const read = async (): Promise<DirectoryChange> => {
    const [listing, secrets] = await Promise.all([access.listTenants(), access.tokenSecrets()]);
    return view.apply(listing, secrets);
  };

  // One read at a time; notices that arrive during a read make one more read after it, so the
  // last notice is always followed by a read that began after it.
  const refresh = (): Promise<DirectoryChange> => {
    if (!running) {
      running = read().finally(() => {
        running = null;
      });
      return running;
    }
    queued ??= running
      .catch(() => undefined)
      .then(() => {
        queued = null;
        return refresh();
      });
    return queued;
  };

  const follow = (why: string): void => {
    refresh().then(
      () => {
        if (failing) log('[tenants] rereading tenants and tokens from PostgreSQL works again');
        failing = false;
      },
      (error: Error) => {
        if (!failing) {
          log(`[tenants] rereading tenants and tokens (${why}) failed: ${error.message}`);
        }
        failing = true;
      },
    );
  };

  // Listen before the first read: a change committed between the two is never missed.
  const stops = await Promise.all([
    access.onRevoked(() => follow('a token was revoked')),
    access.onChanged(() => follow('a change was announced')),
  ]);
  await refresh();

  return {
    get tenants() {
      return view.tenants;
    },
    tokenByDigest: view.tokenByDigest,
    tokenById: view.tokenById,
    refresh,
    poll: () => null,
    onChange: view.onChange,
    startPolling(intervalMs) {
      if (timer) return;
      timer = setInterval(() => follow('resync'), Math.max(intervalMs, SHARED_RESYNC_MS));
      timer.unref();
    },
    stopPolling() {
      if (timer) clearInterval(timer);
      timer = undefined;
      for (const stop of stops.splice(0)) stop();
    },
  };
}
