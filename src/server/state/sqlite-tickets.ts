// The SQLite implementation of TicketState: the synchronous TicketStore of the data directory,
// answered through promises so callers are written once for either backend.
import type { TicketStore } from '../incidents/store';
import type { TicketState } from './tickets';

/** Wraps `store`; the database stays the caller's (close() does not close it). */
export function sqliteTicketState(store: TicketStore): TicketState {
  // A thrown TicketError becomes a rejection, as it would be on PostgreSQL.
  const run = <T>(fn: () => T): Promise<T> => {
    try {
      return Promise.resolve(fn());
    } catch (error) {
      return Promise.reject(error as Error);
    }
  };
  return {
    backend: 'sqlite',
    reopenWindowMs: store.reopenWindowMs,
    openOrDedup: (input) => run(() => store.openOrDedup(input)),
    acknowledge: (id, actor) => run(() => store.acknowledge(id, actor)),
    resolve: (id, input) => run(() => store.resolve(id, input)),
    resolveIncident: (tenantId, fingerprint, input) =>
      run(() => store.resolveIncident(tenantId, fingerprint, input)),
    addNote: (id, actor, text) => run(() => store.addNote(id, actor, text)),
    get: (id) => run(() => store.get(id)),
    findUnresolved: (tenantId, fingerprint) =>
      run(() => store.findUnresolved(tenantId, fingerprint)),
    list: (filter, page) => run(() => store.list(filter, page)),
    resolvedBetween: (filter, fromMs, toMs) =>
      run(() => store.resolvedBetween(filter, fromMs, toMs)),
    unresolvedCounts: () => run(() => store.unresolvedCounts()),
    setTenantVisibility: (tenantId, visibility) =>
      run(() => store.setTenantVisibility(tenantId, visibility)),
    onChange: (listener) => store.onChange(listener),
    close: () => Promise.resolve(),
  };
}
