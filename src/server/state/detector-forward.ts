// In a cluster, the detector keeps its state machine on the process's own store (it judges the
// tenants whose lease it holds, synchronously, frame by frame) and its tickets are forwarded to the
// cluster's ticket state, in order, where every gateway serves them. A forward that fails is
// logged; the detector's next opening or clearing files the incident again (openings are
// idempotent by fingerprint).
import type { TicketStore } from '../incidents/store';
import type { TicketState } from './tickets';

export function forwardDetectorTickets(
  store: TicketStore,
  tickets: TicketState,
  log: (line: string) => void,
): {
  stop(): void;
  /** Resolves once every change heard so far is filed. */ settled(): Promise<void>;
} {
  let chain: Promise<void> = Promise.resolve();
  const stop = store.onChange(({ kind, ticket }) => {
    if (ticket.source !== 'detector' || kind === 'noted' || kind === 'acknowledged') return;
    // The change's own timeline entry: what the detector saw.
    const detail = store.get(ticket.id)?.events.at(-1)?.detail ?? '';
    const file = (): Promise<unknown> =>
      kind === 'resolved'
        ? tickets.resolveIncident(ticket.tenantId, ticket.fingerprint, {
            detail,
            atMs: ticket.resolvedAtMs ?? undefined,
          })
        : tickets.openOrDedup({
            tenantId: ticket.tenantId,
            visibility: ticket.visibility,
            title: ticket.title,
            severity: ticket.severity,
            source: 'detector',
            fingerprint: ticket.fingerprint,
            summary: ticket.summary,
            actor: 'detector',
            detail,
          });
    chain = chain.then(file).then(
      () => undefined,
      (error: Error) =>
        log(
          `[kaizen] cannot file ${kind} of ${ticket.fingerprint} in the cluster: ${error.message}`,
        ),
    );
  });
  return { stop, settled: () => chain };
}
