// The checks every ticket route makes of a request against its scope. A ticket or tenant outside
// the scope is 404 exactly like a missing one, so a caller learns nothing about other tenants.
import type { FastifyRequest } from 'fastify';
import type { TicketStore } from '../store';
import { AUTO, type TicketRecordWithEvents } from '../types';
import { HttpError } from './http-error';
import type { KaizenScope, ResolveScope } from './scope';

export interface Guards {
  /** The caller's scope; a refusal throws its 401 or 403. */
  scopeOf(request: FastifyRequest): Promise<KaizenScope>;
  requireVisibleTenant(scope: KaizenScope, tenantId: string): void;
  /** The ticket with its timeline, if the caller may see it. */
  visibleTicket(scope: KaizenScope, id: number): TicketRecordWithEvents;
  requireWritable(scope: KaizenScope, tenantId: string): void;
  /** Who acts: the person of the credentials, else the body's `by`. */
  actorOf(scope: KaizenScope, by: string | undefined): string;
}

export function createGuards(store: TicketStore, resolveScope: ResolveScope): Guards {
  return {
    async scopeOf(request) {
      const scope = await resolveScope(request);
      if ('status' in scope) throw new HttpError(scope.status, scope.message);
      return scope;
    },

    requireVisibleTenant(scope, tenantId) {
      if (!scope.tenants.has(tenantId)) {
        throw new HttpError(404, `no tenant "${tenantId}" among those you may see`);
      }
    },

    visibleTicket(scope, id) {
      const ticket = store.get(id);
      if (!ticket || !scope.tenants.has(ticket.tenantId)) {
        throw new HttpError(404, `no ticket ${id}`);
      }
      return ticket;
    },

    requireWritable(scope, tenantId) {
      if (scope.writableTenants && !scope.writableTenants.has(tenantId)) {
        throw new HttpError(
          403,
          `changing tickets of tenant "${tenantId}" needs credentials that grant it`,
        );
      }
    },

    actorOf(scope, by) {
      const actor = scope.actor ?? by;
      if (actor === undefined) throw new HttpError(400, 'body.by is required (who acts)');
      if (actor === AUTO) {
        throw new HttpError(400, `body.by "${AUTO}" is reserved for automatic resolution`);
      }
      return actor;
    },
  };
}
