// GET /api/mttr: time to resolve per severity over a trailing window, for the tenants the caller
// may see (or one of them), with the open count and the drill-down list of each severity.
import { mttrFromState } from '../mttr';
import type { RouteContext } from './context';
import { addRoute } from './table';

export function registerMttrRoute(context: RouteContext): void {
  const { kaizen, guards } = context;
  addRoute(context, 'getMttr', async (request) => {
    const scope = await guards.scopeOf(request);
    const q = request.query as { tenant?: string; window: string };
    if (q.tenant !== undefined) guards.requireVisibleTenant(scope, q.tenant);
    return mttrFromState(kaizen.tickets, {
      tenants: scope.tenants,
      tenant: q.tenant ?? null,
      window: q.window,
      toMs: kaizen.now(),
    });
  });
}
