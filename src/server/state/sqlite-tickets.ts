// The SQLite implementation of TicketState: the synchronous TicketStore of the data directory,
// answered through promises so callers are written once for either backend.
import { settle } from './settle';
import type { TicketStore } from '../incidents/store';
import type { FilingResult, TicketState } from './tickets';

/** Wraps `store`; the database stays the caller's (close() does not close it). */
export function sqliteTicketState(store: TicketStore): TicketState {
  return {
    backend: 'sqlite',
    reopenWindowMs: store.reopenWindowMs,
    openOrDedup: (input) => settle(() => store.openOrDedup(input)),
    acknowledge: (id, actor) => settle(() => store.acknowledge(id, actor)),
    resolve: (id, input) => settle(() => store.resolve(id, input)),
    resolveIncident: (tenantId, fingerprint, input) =>
      settle(() => store.resolveIncident(tenantId, fingerprint, input)),
    file: (filings, onOpened) =>
      settle(() =>
        store.transaction(() =>
          filings.map((f): FilingResult => {
            if (f.kind === 'resolve') {
              const ticket = store.resolveIncident(f.tenantId, f.fingerprint, f.input);
              return { outcome: ticket ? 'resolved' : 'ignored', ticket };
            }
            const { result, ticket } = store.openOrDedup(f.input);
            if (result === 'opened') onOpened?.(f.input.tenantId);
            return { outcome: result, ticket };
          }),
        ),
      ),
    addNote: (id, actor, text) => settle(() => store.addNote(id, actor, text)),
    get: (id) => settle(() => store.get(id)),
    findUnresolved: (tenantId, fingerprint) =>
      settle(() => store.findUnresolved(tenantId, fingerprint)),
    list: (filter, page) => settle(() => store.list(filter, page)),
    resolvedBetween: (filter, fromMs, toMs) =>
      settle(() => store.resolvedBetween(filter, fromMs, toMs)),
    unresolvedCounts: () => settle(() => store.unresolvedCounts()),
    setTenantVisibility: (tenantId, visibility) =>
      settle(() => store.setTenantVisibility(tenantId, visibility)),
    onChange: (listener) => store.onChange(listener),
    close: () => Promise.resolve(),
  };
}
