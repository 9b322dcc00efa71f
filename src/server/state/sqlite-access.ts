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
  return {
    backend: 'sqlite',
    listTenants: () => settle(() => listTenants(db)),
    createTenant: (spec) => settle(() => createTenant(db, spec)),
    deleteTenant: (id) => settle(() => deleteTenant(db, id)),
    replaceTenants: (specs) => settle(() => replaceTenants(db, specs)),
    seedTenantsOnce: (specs) => settle(() => seedTenantsOnce(db, specs)),
    updateTenantSettings: (spec) => settle(() => updateTenantSettings(db, spec)),
    issueToken: (request) => settle(() => issueToken(db, request)),
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
    close: () => Promise.resolve(),
  };
}
