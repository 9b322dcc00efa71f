// POST /api/alertmanager: Alertmanager's webhook. A machine-to-machine route with its own optional
// bearer token (ALERTMANAGER_TOKEN), outside the console's tenant scope.
import { bearerMatches, receiveAlerts, type AlertmanagerPayload } from '../alertmanager';
import type { RouteContext } from './context';
import { HttpError } from './http-error';
import { addRoute } from './table';

/** Alertmanager batches up to 1,000 alerts (schemas.ts) with their labels and annotations. */
const ALERTMANAGER_BODY_LIMIT_BYTES = 4 * 1024 * 1024;

export function registerAlertmanagerRoute({ fastify, kaizen }: RouteContext): void {
  addRoute(
    fastify,
    'receiveAlertmanager',
    async (request, reply) => {
      const token = kaizen.config.alertmanagerToken;
      if (token !== null && !bearerMatches(request.headers.authorization, token)) {
        reply.header('www-authenticate', 'Bearer realm="alertmanager"');
        throw new HttpError(
          401,
          'the Alertmanager webhook needs "Authorization: Bearer TOKEN" (ALERTMANAGER_TOKEN)',
        );
      }
      return receiveAlerts(kaizen, request.body as AlertmanagerPayload);
    },
    ALERTMANAGER_BODY_LIMIT_BYTES,
  );
}
