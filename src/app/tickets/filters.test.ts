import { describe, expect, it } from 'vitest';
import { emptyTicketList } from '../state/ticket-list';
import { applyTicketListParam, writeTicketListParams } from '../url/ticket-list-params';
import {
  emptyListText,
  filterChips,
  filtersFromApiPath,
  ticketFilters,
  ticketListApiPath,
  ticketListParams,
  type TicketFilters,
} from './filters';

const NONE: TicketFilters = {
  tenant: null,
  severity: [],
  status: [],
  source: [],
  resolvedBy: null,
  window: null,
  windowOn: 'opened',
};

/** What the MTTR report links an error card of demo over 24 h to. */
const MTTR_LINK =
  '/api/tickets?tenant=demo&severity=error&status=resolved&window=24h&windowOn=resolved';
const MTTR_FILTERS: TicketFilters = {
  ...NONE,
  tenant: 'demo',
  severity: ['error'],
  status: ['resolved'],
  window: '24h',
  windowOn: 'resolved',
};

function parse(search: string, tenant: string | null = 'demo') {
  const list = emptyTicketList();
  const refused: string[] = [];
  for (const [key, value] of new URLSearchParams(search)) {
    const r = applyTicketListParam(list, key as never, value);
    refused.push(...r.map((x) => `${key}=${x.value}`));
  }
  return { filters: ticketFilters(list, tenant), list, refused };
}

describe('ticket list URL parameters', () => {
  it.each([
    {
      name: "Grafana's MTTR link counts the window on resolution, as the figure does",
      search: 'severity=error&window=24h&status=resolved',
      expected: { ...MTTR_FILTERS },
    },
    {
      name: "Grafana's open-tickets link counts the window on opening",
      search: 'severity=critical&window=1h&status=open',
      expected: { ...NONE, tenant: 'demo', severity: ['critical'], status: ['open'], window: '1h' },
    },
    {
      name: 'repeated and comma-separated values add up, without duplicates',
      search: 'status=open&status=acknowledged,open&severity=warning,info',
      expected: {
        ...NONE,
        tenant: 'demo',
        status: ['open', 'acknowledged'],
        severity: ['warning', 'info'],
      },
    },
    {
      name: 'an explicit windowOn wins over the default',
      search: 'status=resolved&window=7d&windowOn=opened',
      expected: { ...NONE, tenant: 'demo', status: ['resolved'], window: '7d' },
    },
    {
      name: 'allTenants drops the tenant',
      search: 'allTenants=1&source=alertmanager&resolvedBy=person',
      expected: { ...NONE, source: ['alertmanager'], resolvedBy: 'person' },
    },
  ])('$name', ({ search, expected }) => {
    const { filters, refused } = parse(search);
    expect(refused).toEqual([]);
    expect(filters).toEqual(expected);
  });

  it.each([
    ['severity=page', 'severity=page'],
    ['severity=error,page', 'severity=page'],
    ['status=closed', 'status=closed'],
    ['window=2w', 'window=2w'],
    ['window=367d', 'window=367d'],
    ['window=0h', 'window=0h'],
    ['windowOn=acked', 'windowOn=acked'],
    ['resolvedBy=bob', 'resolvedBy=bob'],
    ['source=pager', 'source=pager'],
    ['allTenants=yes', 'allTenants=yes'],
  ])('refuses %s and keeps the rest', (search, refusedOne) => {
    const { refused, filters } = parse(search);
    expect(refused).toEqual([refusedOne]);
    if (search === 'severity=error,page') expect(filters.severity).toEqual(['error']);
  });

  it('writes back exactly what it read', () => {
    const search =
      'severity=error&status=resolved&source=manual&resolvedBy=auto&window=7d&windowOn=opened&allTenants=1';
    const { list } = parse(search);
    const query = new URLSearchParams('tenant=demo&view=tickets');
    writeTicketListParams(query, list);
    expect(query.toString()).toBe(`tenant=demo&view=tickets&${search}`);
    writeTicketListParams(query, null);
    expect(query.toString()).toBe('tenant=demo&view=tickets');
  });

  it('keeps windowOn out of the URL where it is the default for the statuses', () => {
    expect(ticketListParams(MTTR_FILTERS).windowOn).toBeNull();
    expect(ticketListParams({ ...MTTR_FILTERS, status: [] }).windowOn).toBe('resolved');
    expect(ticketFilters(ticketListParams(MTTR_FILTERS), 'demo')).toEqual(MTTR_FILTERS);
  });
});

describe('filtersFromApiPath', () => {
  it("reads the MTTR report's drill-down link", () => {
    expect(filtersFromApiPath(MTTR_LINK)).toEqual(MTTR_FILTERS);
  });
  it('reads a link without tenant as all tenants', () => {
    expect(filtersFromApiPath('/api/tickets?severity=info&status=resolved&window=1h')).toEqual({
      ...NONE,
      severity: ['info'],
      status: ['resolved'],
      window: '1h',
      windowOn: 'resolved',
    });
  });
  it.each([
    '/api/mttr?tenant=demo',
    '/api/tickets?severity=page',
    '/api/tickets?tenant=Bad%20Id',
    '/api/tickets?cursor=abc',
  ])('refuses %s', (path) => {
    expect(filtersFromApiPath(path)).toBeNull();
  });
});

describe('ticketListApiPath', () => {
  it('asks for the same tickets the MTTR report links to, a page at a time', () => {
    const path = ticketListApiPath(MTTR_FILTERS, { limit: 50, cursor: null });
    expect(path).toBe(`${MTTR_LINK}&limit=50`);
    expect(filtersFromApiPath(path.replace('&limit=50', ''))).toEqual(MTTR_FILTERS);
  });
  it('passes the cursor and leaves out what is not filtered', () => {
    expect(ticketListApiPath(NONE, { limit: 10, cursor: 'k:1' })).toBe(
      '/api/tickets?limit=10&cursor=k%3A1',
    );
  });
});

describe('filterChips', () => {
  it('offers one chip per filter, each removing just itself', () => {
    const filters: TicketFilters = { ...MTTR_FILTERS, severity: ['error', 'critical'] };
    const chips = filterChips(filters);
    expect(chips.map((c) => c.label)).toEqual([
      'tenant: demo',
      'severity: error',
      'severity: critical',
      'status: resolved',
      'resolved in 24 h',
    ]);
    const by = (id: string) => chips.find((c) => c.id === id)!.without();
    expect(by('tenant')).toEqual({ ...filters, tenant: null });
    expect(by('severity-error')).toEqual({ ...filters, severity: ['critical'] });
    // Without the status the window still bounds the resolution.
    expect(by('status-resolved')).toEqual({ ...filters, status: [] });
    expect(by('window')).toEqual({ ...filters, window: null, windowOn: 'resolved' });
    expect(filterChips(NONE)).toEqual([]);
  });
});

describe('emptyListText', () => {
  it.each([
    { filters: MTTR_FILTERS, text: 'No error tickets of demo resolved in 24 h.' },
    { filters: NONE, text: 'No tickets.' },
    {
      filters: { ...NONE, status: ['open', 'acknowledged'], window: '1h' } as TicketFilters,
      text: 'No tickets open or acknowledged opened in 1 h.',
    },
    {
      filters: { ...NONE, tenant: 'a', resolvedBy: 'person' } as TicketFilters,
      text: 'No tickets of a resolved by a person.',
    },
  ])('says "$text"', ({ filters, text }) => {
    expect(emptyListText(filters)).toBe(text);
  });
});
