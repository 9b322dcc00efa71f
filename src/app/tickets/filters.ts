// The ticket list's filters: the list's state (state/ticket-list.ts, read from the URL by
// url/ticket-list-params.ts) with the console's tenant becomes filters, and filters become API
// requests, the list's state again, removable chips and an empty-state sentence.
import { isTenantId } from '../../core/tenant-id';
import type { Severity, TicketSource, TicketStatus } from '../../core/api/vocabulary';
import {
  WINDOW_ONS,
  defaultWindowOn,
  emptyTicketList,
  type ResolvedByFilter,
  type TicketListParams,
  type WindowOn,
} from '../state/ticket-list';
import { applyTicketListParam, isOneOf, isTicketListKey } from '../url/ticket-list-params';
import { formatWindow } from './format';

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
