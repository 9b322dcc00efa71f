// Moving between the lattice, the ticket list and a ticket's detail. Every drill-down (a card
// opening the list, a row opening a ticket) passes through openTickets / openTicket, and each first
// asks the drill-down handler: embedded in an IDE, the host may show the tickets in its own UI
// instead of this iframe navigating away.
import type { LatticeView, AppParams } from '../state/params';
import { currentTenant, type UiState, type UiStore } from '../state/ui-store';
import { viewQuery } from '../url/sync';
import { ticketFilters, ticketListParams, type TicketFilters } from './filters';

export type Drilldown =
  /** `url`: this app's absolute URL that shows the list (without `embed`). */
  | { kind: 'tickets'; filters: TicketFilters; url: string }
  /** `url`: this app's absolute URL that shows the ticket's detail (without `embed`). */
  | { kind: 'ticket'; id: number; url: string };

/** Returns true when it took the drill-down (the app then stays where it is). */
export type DrilldownHandler = (drilldown: Drilldown) => boolean;

export interface TicketActions {
  /** Shows the ticket list with these filters, unless an embedding host takes it. */
  openTickets(filters: TicketFilters): void;
  /** Shows one ticket with its timeline, unless an embedding host takes it. */
  openTicket(id: number): void;
  /** Changes the list's filters where it stands (a chip removed); not a drill-down. */
  setTicketFilters(filters: TicketFilters): void;
  /** From a ticket back to the list. */
  closeTicket(): void;
  /** From the tickets back to the lattice view they were opened from. */
  closeTickets(): void;
  /**
   * Installs (or with null removes) the one handler every drill-down is offered to first: the
   * embed bridge's, which takes them to the host.
   */
  setDrilldownHandler(handler: DrilldownHandler | null): void;
}

export interface NavigationDeps {
  /** Switches the console (stream and panels) to another tenant. */
  setTenant(tenant: string): void;
  /** The page's address, for the URL a drill-down hands to a host. */
  href(): string;
  /** Keeps the current address as a history entry, so Back returns to it. */
  pushHistory(): void;
}

export function createTicketActions(store: UiStore, deps: NavigationDeps): TicketActions {
  let returnView: LatticeView = 'heatmap';
  let drilldownHandler: DrilldownHandler | null = null;

  const takenElsewhere = (drilldown: Drilldown): boolean => {
    if (!drilldownHandler) return false;
    try {
      return drilldownHandler(drilldown) === true;
    } catch (error) {
      console.error('[tickets] drill-down handler failed; opening it here', error);
      return false;
    }
  };

  /** The parameters with the tickets view showing `filters` (or the same) and `ticket`. */
  const showing = (
    params: AppParams,
    filters: TicketFilters | null,
    ticket: number | null,
  ): AppParams => ({
    ...params,
    view: 'tickets',
    tickets: filters ? ticketListParams(filters) : params.tickets,
    ticket,
    // The tenant joins the URL, so a copied link says whose tickets it lists.
    tenant: params.tenant ?? filters?.tenant ?? null,
  });

  /** The absolute URL of the app showing `params` on `tenant`, for a host to open. */
  const appUrl = (params: AppParams, tenant: string | null): string => {
    const url = new URL(deps.href());
    const state = store.getState();
    const query = viewQuery({ ...state, params: { ...params, tenant } }, url.searchParams);
    query.delete('embed');
    url.search = query.toString();
    return url.toString();
  };

  const go = (filters: TicketFilters | null, ticket: number | null, push: boolean): void => {
    const state = store.getState();
    const view = state.params.view;
    if (view !== 'tickets' && view !== 'policy') returnView = view;
    if (filters && filters.tenant !== null && filters.tenant !== currentTenant(state)) {
      deps.setTenant(filters.tenant);
    }
    if (push && !state.params.embed) deps.pushHistory();
    store.setState((s) => ({ params: showing(s.params, filters, ticket) }));
  };

  return {
    openTickets: (filters) => {
      const params = showing(store.getState().params, filters, null);
      const url = appUrl(params, filters.tenant ?? params.tenant);
      if (takenElsewhere({ kind: 'tickets', filters, url })) return;
      go(filters, null, true);
    },
    openTicket: (id) => {
      const params = showing(store.getState().params, null, id);
      if (takenElsewhere({ kind: 'ticket', id, url: appUrl(params, params.tenant) })) return;
      go(null, id, true);
    },
    setTicketFilters: (filters) => go(filters, null, false),
    closeTicket: () => go(null, null, true),
    closeTickets: () => {
      const state = store.getState();
      if (!state.params.embed) deps.pushHistory();
      store.setState((s) => ({ params: { ...s.params, view: returnView, ticket: null } }));
    },
    setDrilldownHandler: (handler) => {
      drilldownHandler = handler;
    },
  };
}

/** The filters the list shows now, with the console's tenant filled in. */
export function shownFilters(state: UiState): TicketFilters {
  return ticketFilters(state.params.tickets, currentTenant(state));
}
