import { useMemo } from 'react';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useActions, useApi, useUi } from '../shell/hooks';
import { currentTenant } from '../state/ui-store';
import { emptyListText, filterChips, ticketFilters } from '../tickets/filters';
import { formatDuration, formatTime } from '../tickets/format';
import { ticketListQuery } from '../tickets/queries';

/** The tickets the filters select, newest opened first, a page at a time. */
export function TicketList() {
  const actions = useActions();
  const api = useApi();
  const list = useUi((s) => s.params.tickets);
  const tenant = useUi(currentTenant);
  const filters = useMemo(() => ticketFilters(list, tenant), [list, tenant]);
  const waiting = filters.tenant === null && !list.allTenants;
  const query = useInfiniteQuery(ticketListQuery(api, filters, !waiting));
  const tickets = query.data?.pages.flatMap((p) => p.tickets) ?? [];
  const total = query.data?.pages[0]?.total;
  const chips = filterChips(filters);

  return (
    <section className="panel ticket-list" aria-label="Tickets" data-testid="ticket-list">
      <div className="tickets-bar">
        <button
          type="button"
          className="tickets-back"
          data-testid="tickets-close"
          onClick={() => actions.closeTickets()}
        >
          ← Back to the stream
        </button>
        <h2>Tickets</h2>
        {total !== undefined && (
          <span className="muted" data-testid="tickets-total" data-value={total}>
            {total} {total === 1 ? 'ticket' : 'tickets'}
          </span>
        )}
      </div>
      <ul className="chips" aria-label="Filters" data-testid="ticket-filters">
        {chips.length === 0 && <li className="muted">all tickets you may see</li>}
        {chips.map((chip) => (
          <li key={chip.id} className="chip" data-testid={`chip-${chip.id}`}>
            {chip.label}
            <button
              type="button"
              aria-label={`Remove filter ${chip.label}`}
              data-testid={`chip-remove-${chip.id}`}
              onClick={() => actions.setTicketFilters(chip.without())}
            >
              ×
            </button>
          </li>
        ))}
      </ul>
      {waiting && <p className="muted">Waiting for the stream to name the tenant…</p>}
      {query.isError && <p className="error">Could not load tickets: {query.error.message}</p>}
      {query.isPending && !waiting && <p className="muted">Loading…</p>}
      {query.isSuccess && tickets.length === 0 && (
        <p className="muted" data-testid="tickets-empty">
          {emptyListText(filters)}
        </p>
      )}
      {tickets.length > 0 && (
        <div className="ticket-table-wrap">
          <table className="ticket-table">
            <thead>
              <tr>
                <th scope="col">id</th>
                <th scope="col">severity</th>
                <th scope="col">title</th>
                <th scope="col">status</th>
                <th scope="col">opened</th>
                <th scope="col">resolved</th>
                <th scope="col">MTTR</th>
                <th scope="col">resolved by</th>
                <th scope="col">source</th>
              </tr>
            </thead>
            <tbody>
              {tickets.map((t) => (
                <tr key={t.id} data-testid="ticket-row" data-ticket-id={t.id}>
                  <td className="num">{t.id}</td>
                  <td>
                    <span className={`severity severity-${t.severity}`}>{t.severity}</span>
                  </td>
                  <td>
                    <button
                      type="button"
                      className="ticket-open"
                      data-testid={`open-ticket-${t.id}`}
                      onClick={() => actions.openTicket(t.id)}
                    >
                      {t.title}
                    </button>
                    {filters.tenant === null && <span className="muted"> · {t.tenant}</span>}
                  </td>
                  <td>{t.status}</td>
                  <td
                    className="num"
                    data-testid="ticket-opened"
                    title={`incident began ${t.openedAt}; received ${t.receivedAt}`}
                  >
                    {formatTime(t.openedAt)}
                  </td>
                  <td className="num" title={t.resolvedAt ?? ''}>
                    {formatTime(t.resolvedAt)}
                  </td>
                  <td className="num">{formatDuration(t.resolutionSeconds)}</td>
                  <td>{t.resolvedBy ?? '–'}</td>
                  <td>{t.source}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {query.hasNextPage && (
        <button
          type="button"
          className="tickets-more"
          data-testid="tickets-more"
          disabled={query.isFetchingNextPage}
          onClick={() => void query.fetchNextPage()}
        >
          {query.isFetchingNextPage
            ? 'Loading…'
            : `Load more (${tickets.length} of ${total ?? '?'} shown)`}
        </button>
      )}
    </section>
  );
}
