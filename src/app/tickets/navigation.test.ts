import { describe, expect, it, vi } from 'vitest';
import type { StreamInfo } from '../../core/wire/envelope';
import { createUiStore } from '../state/ui-store';
import { parseAppParams } from '../url/params';
import type { TicketFilters } from './filters';
import { createTicketActions, shownFilters, type Drilldown } from './navigation';

const ERRORS_24H: TicketFilters = {
  tenant: 'demo',
  severity: ['error'],
  status: ['resolved'],
  source: [],
  resolvedBy: null,
  window: '24h',
  windowOn: 'resolved',
};

function setup(search = '', streamTenant: string | null = 'demo') {
  const { params, notices } = parseAppParams(search);
  const store = createUiStore(params, notices);
  if (streamTenant) store.setState({ stream: { tenant: streamTenant } as StreamInfo });
  const deps = {
    setTenant: vi.fn((tenant: string) =>
      store.setState((s) => ({ params: { ...s.params, tenant } })),
    ),
    href: () => `http://console.test/${search}`,
    pushHistory: vi.fn(),
  };
  return { store, deps, actions: createTicketActions(store, deps) };
}

describe('drill-down navigation', () => {
  it('opens the list with the filters, naming the tenant in the URL, as a history entry', () => {
    const { store, deps, actions } = setup();
    actions.openTickets(ERRORS_24H);
    const { params } = store.getState();
    expect(params).toMatchObject({ view: 'tickets', ticket: null, tenant: 'demo' });
    expect(shownFilters(store.getState())).toEqual(ERRORS_24H);
    expect(deps.pushHistory).toHaveBeenCalledOnce();
    expect(deps.setTenant).not.toHaveBeenCalled();
  });

  it("switches the console to the filters' tenant when it is another", () => {
    const { store, deps, actions } = setup('?tenant=small', 'small');
    actions.openTickets(ERRORS_24H);
    expect(deps.setTenant).toHaveBeenCalledWith('demo');
    expect(store.getState().params.tenant).toBe('demo');
  });

  it('opens a ticket and goes back to the same list, then to the view it came from', () => {
    const { store, actions } = setup('?view=3d');
    actions.openTickets({ ...ERRORS_24H, tenant: null });
    actions.openTicket(7);
    expect(store.getState().params).toMatchObject({ view: 'tickets', ticket: 7 });
    actions.closeTicket();
    expect(store.getState().params).toMatchObject({ view: 'tickets', ticket: null });
    expect(shownFilters(store.getState())).toEqual({ ...ERRORS_24H, tenant: null });
    actions.closeTickets();
    expect(store.getState().params.view).toBe('3d');
  });

  it('hands drill-downs to the handler, and stays put when it takes them', () => {
    const { store, deps, actions } = setup('?embed=1&theme=light');
    const seen: Drilldown[] = [];
    actions.setDrilldownHandler((d) => {
      seen.push(d);
      return true;
    });
    const before = store.getState().params;
    actions.openTickets(ERRORS_24H);
    actions.openTicket(7);
    expect(store.getState().params).toBe(before);
    expect(deps.pushHistory).not.toHaveBeenCalled();
    expect(seen.map((d) => d.kind)).toEqual(['tickets', 'ticket']);
    const [list, one] = seen as [
      Extract<Drilldown, { kind: 'tickets' }>,
      Extract<Drilldown, { kind: 'ticket' }>,
    ];
    expect(list.filters).toEqual(ERRORS_24H);
    const listUrl = new URL(list.url);
    expect(listUrl.searchParams.has('embed')).toBe(false);
    // The URL the host gets reopens the same list in a page of its own.
    expect(shownFilters({ ...store.getState(), ...parsed(listUrl) })).toEqual(ERRORS_24H);
    expect(one.id).toBe(7);
    expect(new URL(one.url).searchParams.get('ticket')).toBe('7');
    expect(new URL(one.url).searchParams.get('theme')).toBe('light');
  });

  it('navigates itself when the handler declines or fails', () => {
    const { store, actions } = setup();
    actions.setDrilldownHandler(() => false);
    actions.openTicket(3);
    expect(store.getState().params.ticket).toBe(3);
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    actions.setDrilldownHandler(() => {
      throw new Error('host gone');
    });
    actions.openTicket(4);
    expect(store.getState().params.ticket).toBe(4);
    expect(spy).toHaveBeenCalledOnce();
    spy.mockRestore();
  });

  it('adds no history entries inside an embedding host', () => {
    const { deps, actions } = setup('?embed=1');
    actions.openTickets(ERRORS_24H);
    actions.openTicket(1);
    actions.closeTickets();
    expect(deps.pushHistory).not.toHaveBeenCalled();
  });

  it('changes filters in place without a history entry', () => {
    const { store, deps, actions } = setup('?view=tickets&severity=error');
    actions.setTicketFilters({ ...shownFilters(store.getState()), severity: [] });
    expect(store.getState().params.tickets.severity).toEqual([]);
    expect(deps.pushHistory).not.toHaveBeenCalled();
  });
});

function parsed(url: URL) {
  const { params } = parseAppParams(url.search);
  return { params, stream: { tenant: params.tenant } as StreamInfo };
}
