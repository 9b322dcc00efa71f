// The checks every ticket route makes of a request against its scope. Credentials are checked
// before the body is read (each route's onRequest hook): a caller who may change nothing, or an
// Alertmanager without the webhook secret, never gets its body parsed. A ticket or tenant outside
// the scope is 404 exactly like a missing one, so a caller learns nothing about other tenants.
import type { FastifyRequest } from 'fastify';
import { bearerChallenge } from '../../tenants/challenge';
import { bearerMatches } from '../alertmanager';
import type { Kaizen } from '../kaizen';
import type { RouteSpec } from '../openapi';
import { AUTO, type TicketRecordWithEvents } from '../types';
import { HttpError } from './http-error';
import type { KaizenScope, ResolveScope, ScopeRefusal } from './scope';

export type RouteAuth = RouteSpec['auth'];

export interface Guards {
  /** Before the body is read: refuses with 401 or 403 whoever may not call a route of `auth`. */
  authenticate(request: FastifyRequest, auth: RouteAuth): Promise<void>;
  /** The caller's scope (worked out once per request); a refusal throws its 401 or 403. */
  scopeOf(request: FastifyRequest): Promise<KaizenScope>;
  requireVisibleTenant(scope: KaizenScope, tenantId: string): void;
  /** The ticket with its timeline, if the caller may see it. */
  visibleTicket(scope: KaizenScope, id: number): Promise<TicketRecordWithEvents>;
  requireWritable(scope: KaizenScope, tenantId: string): void;
  /** Who acts: the person of the credentials, else the body's `by`. */
  actorOf(scope: KaizenScope, by: string | undefined): string;
}

function refusalError(refusal: ScopeRefusal): HttpError {
  return new HttpError(
    refusal.status,
    refusal.message,
    refusal.challenge ? { 'www-authenticate': refusal.challenge } : {},
  );
}

export function createGuards(
  kaizen: Pick<Kaizen, 'tickets' | 'config'>,
  resolveScope: ResolveScope,
): Guards {
  const { tickets } = kaizen;
  const scopes = new WeakMap<FastifyRequest, Promise<KaizenScope | ScopeRefusal>>();

  const scopeOf = async (request: FastifyRequest): Promise<KaizenScope> => {
    let pending = scopes.get(request);
    if (!pending) {
      pending = Promise.resolve(resolveScope(request));
      scopes.set(request, pending);
    }
    const scope = await pending;
    if ('status' in scope) throw refusalError(scope);
    return scope;
  };

  const checkWebhookSecret = (request: FastifyRequest): void => {
    const configured = kaizen.config.alertmanagerToken;
    const secret = typeof configured === 'function' ? configured() : configured;
    // null only with the server's explicit --alertmanager-anonymous, which it logs at start.
    if (secret === null) return;
    const header = request.headers.authorization;
    if (bearerMatches(header, secret)) return;
    const message =
      'the Alertmanager webhook needs "Authorization: Bearer SECRET" with the console\'s webhook secret';
    throw new HttpError(401, message, {
      'www-authenticate':
        header === undefined || header === ''
          ? bearerChallenge()
          : bearerChallenge('invalid_token', 'not the webhook secret'),
    });
  };

  return {
    async authenticate(request, auth) {
      if (auth === 'none') return;
      if (auth === 'alertmanager') return checkWebhookSecret(request);
      const scope = await scopeOf(request);
      if (auth === 'write' && scope.writeRefusal) throw refusalError(scope.writeRefusal);
    },

    scopeOf,

    requireVisibleTenant(scope, tenantId) {
      if (!scope.tenants.has(tenantId)) {
        throw new HttpError(404, `no tenant "${tenantId}" among those you may see`);
      }
    },

    async visibleTicket(scope, id) {
      const ticket = await tickets.get(id);
      if (!ticket || !scope.tenants.has(ticket.tenantId)) {
        throw new HttpError(404, `no ticket ${id}`);
      }
      return ticket;
    },

    requireWritable(scope, tenantId) {
      if (scope.writableTenants && !scope.writableTenants.has(tenantId)) {
        const message =
          scope.actor === undefined
            ? `changing tickets of tenant "${tenantId}" needs a token that grants it`
            : `token "${scope.actor}" does not grant tenant "${tenantId}": changing its tickets needs a grant`;
        throw new HttpError(403, message, {
          'www-authenticate': bearerChallenge('insufficient_scope', message),
        });
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
