// GET /api/openapi.json: the document built once from the route table this plugin registers and
// the console's other routes (src/server/api-docs.ts). The RCA's routes are in it when served.
import { buildOpenApiDocument } from '../openapi';
import type { RouteContext } from './context';
import { OPS_ROUTES } from '../../ops/table';
import { RCA_ROUTES } from './rca-table';
import { POLICY_ROUTES } from '../../ops/policy-table';
import { addRoute, KAIZEN_ROUTES } from './table';

export function registerOpenApiRoute(context: RouteContext): void {
  const document = buildOpenApiDocument(
    [
      ...(context.documented?.routes ?? []),
      ...Object.values(KAIZEN_ROUTES),
      ...(context.rca ? Object.values(RCA_ROUTES) : []),
      ...Object.values(OPS_ROUTES),
      ...Object.values(POLICY_ROUTES),
    ],
    context.documented?.schemas,
  );
  addRoute(context, 'openApi', async () => document);
}
