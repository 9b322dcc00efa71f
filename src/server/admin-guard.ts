// The one check every admin write of the REST API goes through (observer mode, held
// notifications, SDK demand, browser reports' list). Until tokens carry roles, an admin is a
// caller whose token grants every tenant of the console: the closest the token model comes to
// "may act for the whole console". Roles replace the body of `isAdmin`, nothing else.
import type { FastifyRequest } from 'fastify';
import { HttpError } from './incidents/routes/http-error';
import { isAccessDenied, type Principal, type TenantAccess } from './tenants/access';
import type { TenantDirectory } from './tenants/directory';

export interface AdminPrincipal {
  /** Who acts, for the records these writes keep: `token:ID`. */
  actor: string;
}

/** Resolves the caller as an admin, or throws the 401 or 403 to answer. */
export type RequireAdmin = (request: FastifyRequest) => AdminPrincipal;

function isAdmin(principal: Principal, directory: Pick<TenantDirectory, 'tenants'>): boolean {
  for (const id of directory.tenants.keys()) if (!principal.tenants.has(id)) return false;
  return principal.tokenId !== null;
}

export function adminGuard(
  access: Pick<TenantAccess, 'resolvePrincipal'>,
  directory: Pick<TenantDirectory, 'tenants'>,
): RequireAdmin {
  return (request) => {
    const principal = access.resolvePrincipal(request.headers.authorization);
    if (isAccessDenied(principal)) throw new HttpError(401, principal.message);
    if (principal.tokenId === null) {
      throw new HttpError(401, 'this needs an admin token: Authorization: Bearer TOKEN');
    }
    if (!isAdmin(principal, directory)) {
      throw new HttpError(403, 'this needs an admin token (one that grants every tenant)');
    }
    return { actor: `token:${principal.tokenId}` };
  };
}
