// What a caller of the tickets API may see and change, from its credentials (the tenant
// registry's principal): whoever may read a tenant may read its tickets (anonymous callers the
// public tenants'), but changing a ticket needs a token with the operator role that grants its
// tenant, and the token's name is the actor on the timeline, whatever the body says.
import type { FastifyRequest } from 'fastify';
import {
  deniedRefusal,
  isAccessDenied,
  writerRefusal,
  type TenantAccess,
} from '../../tenants/access';

/** What the caller may do, from its credentials (the tenant registry's principal). */
export interface KaizenScope {
  /** Tenants whose tickets the caller may see; others answer 404 as if they did not exist. */
  tenants: ReadonlySet<string>;
  /** Tenants whose tickets it may change; defaults to `tenants`. Visible but not here: 403. */
  writableTenants?: ReadonlySet<string>;
  /** The person behind the credentials; when set, it is the actor and a body's `by` is ignored. */
  actor?: string;
  /** Why the caller may change no ticket at all: a write route answers it before reading the body. */
  writeRefusal?: ScopeRefusal;
}

export interface ScopeRefusal {
  status: 401 | 403;
  message: string;
  /** The RFC 6750 WWW-Authenticate value of the refusal. */
  challenge?: string;
}
export type ResolveScope = (
  request: FastifyRequest,
) => KaizenScope | ScopeRefusal | Promise<KaizenScope | ScopeRefusal>;

function asScopeRefusal(refusal: {
  status: number;
  message: string;
  challenge?: string;
}): ScopeRefusal {
  return {
    status: refusal.status === 403 ? 403 : 401,
    message: refusal.message,
    challenge: refusal.challenge,
  };
}

export function scopeFromAccess(access: Pick<TenantAccess, 'resolvePrincipal'>): ResolveScope {
  return (request) => {
    const principal = access.resolvePrincipal(request.headers.authorization);
    if (isAccessDenied(principal)) return asScopeRefusal(deniedRefusal(principal));
    const cannotWrite = writerRefusal(principal);
    return {
      tenants: principal.tenants,
      writableTenants: principal.writable,
      ...(principal.name !== null ? { actor: principal.name } : {}),
      ...(cannotWrite ? { writeRefusal: asScopeRefusal(cannotWrite) } : {}),
    };
  };
}

/** For tests and tools: every tenant visible and writable, no person behind the calls. */
export function allTenantsScope(tenants: Iterable<string>): ResolveScope {
  const scope: KaizenScope = { tenants: new Set(tenants) };
  return () => scope;
}
