// What a caller of the tickets API may see and change, from its credentials. From the tenant
// registry's principal: whoever may see a tenant may read its tickets (anonymous callers see public
// tenants), but changing a ticket needs a token that grants its tenant, so an anonymous page cannot
// acknowledge or resolve incidents.
import type { FastifyRequest } from 'fastify';
import { isAccessDenied, type TenantAccess } from '../../tenants/access';

/** What the caller may do, from its credentials (the tenant registry's principal). */
export interface KaizenScope {
  /** Tenants whose tickets the caller may see; others answer 404 as if they did not exist. */
  tenants: ReadonlySet<string>;
  /** Tenants whose tickets it may change; defaults to `tenants`. Visible but not here: 403. */
  writableTenants?: ReadonlySet<string>;
  /** The person behind the credentials; when set, it is the actor and a body's `by` is ignored. */
  actor?: string;
}

export type ScopeRefusal = { status: 401 | 403; message: string };
export type ResolveScope = (
  request: FastifyRequest,
) => KaizenScope | ScopeRefusal | Promise<KaizenScope | ScopeRefusal>;

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

/** For tests and tools: every tenant visible and writable, no person behind the calls. */
export function allTenantsScope(tenants: Iterable<string>): ResolveScope {
  const scope: KaizenScope = { tenants: new Set(tenants) };
  return () => scope;
}
