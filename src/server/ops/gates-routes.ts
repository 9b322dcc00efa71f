// GET /api/gates: each decision gate with its conditions' live values, thresholds and verdicts
// (anyone; per-tenant figures only for the tenants the caller may see). The SDK demand records:
// listed with a token, recorded by an admin.
import type { SdkDemandInput, SdkDemandList } from '../../core/api/gates';
import type { Gates } from '../gates/service';
import { listSdkDemand, recordSdkDemand, SdkDemandError } from '../gates/sdk-demand';
import { HttpError } from '../incidents/routes/http-error';
import type { OpsContext } from './context';
import { addOpsRoute } from './table';

export function registerGateRoutes(context: OpsContext, gates: Gates): void {
  const { db, requireAdmin, visibleTenants } = context;

  // The observer switch from the same state as GET /api/observer: the cluster's with --database.
  addOpsRoute(context, 'getGates', async (request) =>
    gates.report(visibleTenants(request), await context.notify.observerStatus()),
  );

  addOpsRoute(context, 'listSdkDemand', async (request) => {
    if (request.headers.authorization === undefined) {
      throw new HttpError(401, 'the SDK demand records need a token: Authorization: Bearer TOKEN');
    }
    visibleTenants(request);
    return { records: listSdkDemand(db) } satisfies SdkDemandList;
  });

  addOpsRoute(context, 'recordSdkDemand', async (request, reply) => {
    const { actor } = requireAdmin(request);
    const body = request.body as SdkDemandInput;
    let record;
    try {
      record = recordSdkDemand(db, { ...body, by: actor });
    } catch (error) {
      if (error instanceof SdkDemandError) throw new HttpError(400, `body: ${error.message}`);
      throw error;
    }
    gates.checkWireFormat();
    return reply.code(201).send(record);
  });
}
