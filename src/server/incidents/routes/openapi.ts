// GET /api/openapi.json: the document built once from the route table this plugin registers.
import { buildOpenApiDocument } from '../openapi';
import type { RouteContext } from './context';
import { OPS_ROUTES } from '../../ops/table';
import { addRoute, KAIZEN_ROUTES } from './table';

export function registerOpenApiRoute({ fastify }: RouteContext): void {
  const document = buildOpenApiDocument([
    ...Object.values(KAIZEN_ROUTES),
    ...Object.values(OPS_ROUTES),
  ]);
  addRoute(fastify, 'openApi', async () => document);
}
