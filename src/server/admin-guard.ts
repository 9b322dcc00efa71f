// The one check every admin route of the launch tooling goes through (observer mode, held
// notifications, SDK demand, browser reports' list): the caller's token has the admin role.
import type { FastifyRequest } from 'fastify';
import { HttpError } from './incidents/routes/http-error';
import { isAccessDenied, type TenantAccess } from './tenants/access';

export interface AdminPrincipal {
  /** Who acts, for the records these writes keep: `token:ID`. */
  actor: string;
}

/** Resolves the caller as an admin, or throws the 401 or 403 to answer. */
export type RequireAdmin = (request: FastifyRequest) => AdminPrincipal;

export function adminGuard(access: Pick<TenantAccess, 'resolvePrincipal'>): RequireAdmin {
  return (request) => {
    const principal = access.resolvePrincipal(request.headers.authorization);
    if (isAccessDenied(principal)) throw new HttpError(401, principal.message);
    if (principal.tokenId === null) {
      throw new HttpError(401, 'this needs an admin token: Authorization: Bearer TOKEN');
    }
    if (!principal.admin) {
      throw new HttpError(
        403,
        `token "${principal.name ?? principal.tokenId}" has the ${principal.role ?? 'viewer'} role: this needs an admin token`,
      );
    }
    return { actor: `token:${principal.tokenId}` };
  };
}
