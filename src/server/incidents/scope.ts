// Kaizen's scope from the tenant registry's principal: whoever may see a tenant may read its
// tickets (anonymous callers see public tenants), but changing a ticket needs a token that grants
// its tenant, so an anonymous page cannot acknowledge or resolve incidents.
import { isAccessDenied, type TenantAccess } from '../tenants/access';
import type { ResolveScope } from './routes';

const NOTHING: ReadonlySet<string> = new Set();

export function scopeFromAccess(access: Pick<TenantAccess, 'resolvePrincipal'>): ResolveScope {
  return (request) => {
    const principal = access.resolvePrincipal(request.headers.authorization);
    if (isAccessDenied(principal)) return { status: 401, message: principal.message };
    return {
      tenants: principal.tenants,
      writableTenants: principal.tokenId === null ? NOTHING : principal.tenants,
    };
  };
}
