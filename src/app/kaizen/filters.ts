// The ticket list's filters: how URL parameters (the app's own links, the Grafana dashboard's and
// the MTTR report's drill-down links) become filters, and filters become API requests, URL
// parameters, removable chips and an empty-state sentence.
import { isTenantId } from '../../core/tenant-id';
import { formatWindow } from './format';
import {
  RESOLVED_BY,
  SEVERITIES,
  SOURCES,
  STATUSES,
  WINDOW_ONS,
  isOneOf,
  isWindow,
  type ResolvedByFilter,
  type Severity,
  type TicketSource,
  type TicketStatus,
  type WindowOn,
} from './types';

/** What the list shows, as the API filters it. */
export interface TicketFilters {
  /** One tenant, or null for every tenant the caller may see. */
  tenant: string | null;
  severity: Severity[];
  status: TicketStatus[];
  source: TicketSource[];
  resolvedBy: ResolvedByFilter | null;
  /** A trailing window like `24h`, or null for all time. */
  window: string | null;
  /** What the window bounds. */
  windowOn: WindowOn;
}

/**
 * The filters as the app keeps them in its URL parameters: the tenant is the console's own
 * (`tenant=`) unless `allTenants`, so switching tenants moves the list along; `windowOn` is null
 * when it is the default for the statuses (see defaultWindowOn).
 */
export interface TicketListParams {
  allTenants: boolean;
  severity: Severity[];
  status: TicketStatus[];
  source: TicketSource[];
  resolvedBy: ResolvedByFilter | null;
  window: string | null;
  windowOn: WindowOn | null;
}

export const DEFAULT_TICKET_LIST: TicketListParams = {
  allTenants: false,
  severity: [],
  status: [],
  source: [],
  resolvedBy: null,
  window: null,
  windowOn: null,
};

/**
 * A window over resolved tickets means "resolved in the window": that is what an MTTR figure
 * counts, and what the Grafana dashboard's `status=resolved&window=24h` links mean. Otherwise a
 * window bounds the opening time, as the API does by default.
 */
export function defaultWindowOn(status: readonly TicketStatus[]): WindowOn {
  return status.length === 1 && status[0] === 'resolved' ? 'resolved' : 'opened';
}

/** URL parameter names the ticket list owns. */
export const TICKET_LIST_KEYS = [
  'severity',
  'status',
  'source',
  'resolvedBy',
  'window',
  'windowOn',
  'allTenants',
] as const;
export type TicketListKey = (typeof TICKET_LIST_KEYS)[number];

export function isTicketListKey(key: string): key is TicketListKey {
  return isOneOf(TICKET_LIST_KEYS, key);
}

/** A value the parameter refused: what it expected and what is used instead. */
export interface Refusal {
  value: string;
  expected: string;
  fallback: string;
}

function addEach<T extends string>(
  allowed: readonly T[],
  list: T[],
  value: string,
  what: string,
): Refusal[] {
  const refusals: Refusal[] = [];
  // Repeated parameters and comma lists (Grafana's multi-value format) both work.
  for (const part of value.split(',')) {
    if (isOneOf(allowed, part)) {
      if (!list.includes(part)) list.push(part);
    } else {
      refusals.push({ value: part, expected: allowed.join(', '), fallback: `no ${what} filter` });
    }
  }
  return refusals;
}

/** Applies one URL parameter to `list` (in place); returns what it refused. */
export function applyTicketListParam(
  list: TicketListParams,
  key: TicketListKey,
  value: string,
): Refusal[] {
  switch (key) {
    case 'severity':
      return addEach(SEVERITIES, list.severity, value, 'severity');
    case 'status':
      return addEach(STATUSES, list.status, value, 'status');
    case 'source':
      return addEach(SOURCES, list.source, value, 'source');
    case 'resolvedBy':
      if (isOneOf(RESOLVED_BY, value)) list.resolvedBy = value;
      else return [{ value, expected: RESOLVED_BY.join(' or '), fallback: 'anyone' }];
      return [];
    case 'window':
      if (isWindow(value)) list.window = value;
      else
        return [
          {
            value,
            expected: 'a count and a unit m, h or d, like 1h, 24h, 7d',
            fallback: 'all time',
          },
        ];
      return [];
    case 'windowOn':
      if (isOneOf(WINDOW_ONS, value)) list.windowOn = value;
      else return [{ value, expected: WINDOW_ONS.join(' or '), fallback: 'the default' }];
      return [];
    case 'allTenants':
      if (value === '1' || value === '0') list.allTenants = value === '1';
      else return [{ value, expected: '1 or 0', fallback: '0' }];
      return [];
  }
}

export function emptyTicketList(): TicketListParams {
  return { ...DEFAULT_TICKET_LIST, severity: [], status: [], source: [] };
}

/** The list's filters, with the console's current tenant (null while it is not known). */
export function ticketFilters(list: TicketListParams, tenant: string | null): TicketFilters {
  return {
    tenant: list.allTenants ? null : tenant,
    severity: list.severity,
    status: list.status,
    source: list.source,
    resolvedBy: list.resolvedBy,
    window: list.window,
    windowOn: list.windowOn ?? defaultWindowOn(list.status),
  };
}

export function ticketListParams(filters: TicketFilters): TicketListParams {
  return {
    allTenants: filters.tenant === null,
    severity: [...filters.severity],
    status: [...filters.status],
    source: [...filters.source],
    resolvedBy: filters.resolvedBy,
    window: filters.window,
    windowOn: filters.windowOn === defaultWindowOn(filters.status) ? null : filters.windowOn,
  };
}

/**
 * Writes the list's parameters into `query` (or removes them all when `list` is null). Equal
 * parameters in another order stay as they are, so a link's address does not change on opening.
 */
export function writeTicketListParams(query: URLSearchParams, list: TicketListParams | null): void {
  const wanted: [TicketListKey, string][] = [];
  if (list) {
    for (const s of list.severity) wanted.push(['severity', s]);
    for (const s of list.status) wanted.push(['status', s]);
    for (const s of list.source) wanted.push(['source', s]);
    if (list.resolvedBy) wanted.push(['resolvedBy', list.resolvedBy]);
    if (list.window) wanted.push(['window', list.window]);
    if (list.windowOn) wanted.push(['windowOn', list.windowOn]);
    if (list.allTenants) wanted.push(['allTenants', '1']);
  }
  const key = ([k, v]: [string, string]): string => `${k}=${v}`;
  const present = [...query].filter(([k]) => isTicketListKey(k)).map(key);
  if (present.sort().join('&') === wanted.map(key).sort().join('&')) return;
  for (const k of TICKET_LIST_KEYS) query.delete(k);
  for (const [k, v] of wanted) query.append(k, v);
}

/**
 * Filters from an API list request such as the MTTR report's drill-down link
 * (`/api/tickets?tenant=demo&severity=error&status=resolved&window=24h&windowOn=resolved`);
 * null when it holds anything the list cannot show.
 */
export function filtersFromApiPath(path: string): TicketFilters | null {
  const url = new URL(path, 'http://x');
  if (url.pathname !== '/api/tickets') return null;
  const list = emptyTicketList();
  let tenant: string | null = null;
  let windowOn: WindowOn | null = null;
  for (const [key, value] of url.searchParams) {
    if (key === 'tenant' && isTenantId(value)) tenant = value;
    else if (key === 'windowOn' && isOneOf(WINDOW_ONS, value)) windowOn = value;
    else if (key === 'allTenants' || !isTicketListKey(key)) return null;
    else if (applyTicketListParam(list, key, value).length > 0) return null;
  }
  const filters = ticketFilters({ ...list, allTenants: tenant === null }, tenant);
  return windowOn ? { ...filters, windowOn } : filters;
}

/** The API request for one page of the list. */
export function ticketListApiPath(
  filters: TicketFilters,
  page: { limit: number; cursor: string | null },
): string {
  const query = new URLSearchParams();
  if (filters.tenant !== null) query.set('tenant', filters.tenant);
  for (const s of filters.severity) query.append('severity', s);
  for (const s of filters.status) query.append('status', s);
  for (const s of filters.source) query.append('source', s);
  if (filters.resolvedBy) query.set('resolvedBy', filters.resolvedBy);
  if (filters.window) {
    query.set('window', filters.window);
    query.set('windowOn', filters.windowOn);
  }
  query.set('limit', String(page.limit));
  if (page.cursor !== null) query.set('cursor', page.cursor);
  return `/api/tickets?${query.toString()}`;
}

export interface FilterChip {
  /** Stable per chip, for React keys and test ids: `severity-error`, `window`. */
  id: string;
  label: string;
  /** The filters without this one. */
  without: () => TicketFilters;
}

export function filterChips(filters: TicketFilters): FilterChip[] {
  const chips: FilterChip[] = [];
  if (filters.tenant !== null)
    chips.push({
      id: 'tenant',
      label: `tenant: ${filters.tenant}`,
      without: () => ({ ...filters, tenant: null }),
    });
  const each = <K extends 'severity' | 'status' | 'source'>(key: K): void => {
    for (const value of filters[key] as string[]) {
      chips.push({
        id: `${key}-${value}`,
        label: `${key}: ${value}`,
        // windowOn stays as it is: the window keeps meaning what it meant when the chip went.
        without: () => ({
          ...filters,
          [key]: (filters[key] as string[]).filter((v) => v !== value),
        }),
      });
    }
  };
  each('severity');
  each('status');
  each('source');
  if (filters.resolvedBy !== null)
    chips.push({
      id: 'resolvedBy',
      label: `resolved by: ${filters.resolvedBy}`,
      without: () => ({ ...filters, resolvedBy: null }),
    });
  if (filters.window !== null)
    chips.push({
      id: 'window',
      label: `${filters.windowOn} in ${formatWindow(filters.window)}`,
      without: () => ({ ...filters, window: null, windowOn: defaultWindowOn(filters.status) }),
    });
  return chips;
}

/** `No error tickets of demo resolved in 24 h.` */
export function emptyListText(filters: TicketFilters): string {
  const severities = filters.severity.length > 0 ? `${filters.severity.join(' or ')} ` : '';
  let text = `No ${severities}tickets`;
  if (filters.tenant !== null) text += ` of ${filters.tenant}`;
  const resolvedWindow = filters.window !== null && filters.windowOn === 'resolved';
  const impliedStatus =
    resolvedWindow && filters.status.length === 1 && filters.status[0] === 'resolved';
  if (filters.status.length > 0 && !impliedStatus) text += ` ${filters.status.join(' or ')}`;
  if (filters.source.length > 0) text += ` from ${filters.source.join(' or ')}`;
  if (filters.resolvedBy === 'auto') text += ' that resolved by themselves';
  if (filters.resolvedBy === 'person') text += ' resolved by a person';
  if (filters.window !== null) text += ` ${filters.windowOn} in ${formatWindow(filters.window)}`;
  return `${text}.`;
}
