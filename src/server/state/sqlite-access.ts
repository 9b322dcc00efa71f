// The SQLite implementation of AccessState: the tenant and token functions of console.db, answered
// through promises.
import type { Db } from '../storage/database';
import {
  createTenant,
  deleteTenant,
  listTenants,
  replaceTenants,
  seedTenantsOnce,
  updateTenantSettings,
} from '../tenants/tenant-store';
import { issueToken, listTokens, loadTokenSecrets, revokeToken } from '../tenants/token-store';
import type { AccessState } from './access';
import { settle } from './settle';

/** Over a database opened with openTenantDatabase; close() leaves it open (it is the caller's). */
export function sqliteAccessState(db: Db): AccessState {
  const listeners = new Set<(tokenId: string) => void>();
  const changeListeners = new Set<() => void>();
  /** Runs a write, then tells this instance's listeners unless it changed nothing (false). */
  const changing = <T>(write: () => T): Promise<T> =>
    settle(() => {
      const result = write();
      if (result !== false) for (const l of changeListeners) l();
      return result;
    });
  return {
    backend: 'sqlite',
    listTenants: () => settle(() => listTenants(db)),
    createTenant: (spec) => changing(() => createTenant(db, spec)),
    deleteTenant: (id) => changing(() => deleteTenant(db, id)),
    replaceTenants: (specs) => changing(() => replaceTenants(db, specs)),
    seedTenantsOnce: (specs) => changing(() => seedTenantsOnce(db, specs)),
    updateTenantSettings: (spec) => changing(() => updateTenantSettings(db, spec)),
    issueToken: (request) => changing(() => issueToken(db, request)),
    listTokens: () => settle(() => listTokens(db)),
    tokenSecrets: () => settle(() => loadTokenSecrets(db)),
    revokeToken: (tokenId) =>
      settle(() => {
        const result = revokeToken(db, tokenId);
        if (result === 'revoked') for (const l of listeners) l(tokenId);
        return result;
      }),
    onRevoked(listener) {
      listeners.add(listener);
      return Promise.resolve(() => void listeners.delete(listener));
    },
    onChanged(listener) {
      changeListeners.add(listener);
      return Promise.resolve(() => void changeListeners.delete(listener));
    },
    close: () => Promise.resolve(),
  };
}
