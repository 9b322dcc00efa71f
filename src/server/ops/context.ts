// What the launch tooling's routes are handed: the console database Kaizen writes to, the admin
// check, and who may see which tenant.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { RequireAdmin } from '../admin-guard';
import type { NotifyState } from '../notify/state';
import type { Db } from '../storage/database';

export interface OpsContext {
  /** The plugin's encapsulated instance: its error handler covers these routes only. */
  fastify: FastifyInstance;
  /** The console database (tickets, outbox, gates, browser reports). */
  db: Db;
  /** The outbox and observer switch: the console database's, or the cluster's with --database. */
  notify: NotifyState;
  requireAdmin: RequireAdmin;
  /** Tenants the caller may see (a bad token throws its 401). */
  visibleTenants(request: FastifyRequest): ReadonlySet<string>;
  /** Tells the delivery worker that released notifications are due now. */
  wakeDelivery(): void;
}
