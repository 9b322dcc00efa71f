// What each resource module of the tickets API is handed when the plugin registers it.
import type { FastifyInstance } from 'fastify';
import type { RcaService } from '../../rca/service';
import type { Kaizen } from '../kaizen';
import type { RouteSpec } from '../openapi';
import type { Guards } from './guards';

/** Routes the server registers elsewhere that the OpenAPI document describes beside these. */
export interface DocumentedRoutes {
  routes: readonly RouteSpec[];
  /** Schemas the routes name, each a component of the document. */
  schemas: Readonly<Record<string, object>>;
}

export interface RouteContext {
  /** The plugin's encapsulated instance: its error handler covers these routes only. */
  fastify: FastifyInstance;
  kaizen: Kaizen;
  guards: Guards;
  documented?: DocumentedRoutes;
  /** The tickets' RCAs; without it their routes are not served. */
  rca?: RcaService;
}

/** Largest body of a ticket write (create, resolve, note), in bytes. */
export const TICKET_WRITE_BODY_LIMIT_BYTES = 64 * 1024;
