// GET /api/openapi.json: the document built once from the route table this plugin registers.
import { buildOpenApiDocument } from '../openapi';
import type { RouteContext } from './context';
import { addRoute, KAIZEN_ROUTES } from './table';

export function registerOpenApiRoute(context: RouteContext): void {
  const document = buildOpenApiDocument(Object.values(KAIZEN_ROUTES));
  addRoute(context, 'openApi', async () => document);
}
