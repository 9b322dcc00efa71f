// POST /api/alertmanager: Alertmanager's webhook. A machine-to-machine route with its own bearer
// secret (the data directory's webhook secret, or ALERTMANAGER_TOKEN), checked before the body is
// read (guards.ts), outside the console's tenant scope.
import { receiveAlerts, type AlertmanagerPayload } from '../alertmanager';
import type { RouteContext } from './context';
import { addRoute } from './table';

/** Alertmanager batches up to 1,000 alerts (schemas.ts) with their labels and annotations. */
const ALERTMANAGER_BODY_LIMIT_BYTES = 4 * 1024 * 1024;

export function registerAlertmanagerRoute(context: RouteContext): void {
  addRoute(
    context,
    'receiveAlertmanager',
    async (request) => receiveAlerts(context.kaizen, request.body as AlertmanagerPayload),
    ALERTMANAGER_BODY_LIMIT_BYTES,
  );
}
