// What each resource module of the tickets API is handed when the plugin registers it.
import type { FastifyInstance } from 'fastify';
import type { Kaizen } from '../kaizen';
import type { Guards } from './guards';

export interface RouteContext {
  /** The plugin's encapsulated instance: its error handler covers these routes only. */
  fastify: FastifyInstance;
  kaizen: Kaizen;
  guards: Guards;
}

/** Largest body of a ticket write (create, resolve, note), in bytes. */
export const TICKET_WRITE_BODY_LIMIT_BYTES = 64 * 1024;
