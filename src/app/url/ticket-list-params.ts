// The ticket list's URL parameters (the app's own links, the Grafana dashboard's and the MTTR
// report's drill-down links): reading each into the list's state, and writing the state back.
import { SEVERITIES, SOURCES, STATUSES, windowMs } from '../../core/api/vocabulary';
import { RESOLVED_BY, WINDOW_ONS, type TicketListParams } from '../state/ticket-list';

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

export function isOneOf<T extends string>(values: readonly T[], value: string): value is T {
  return (values as readonly string[]).includes(value);
}

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
      if (windowMs(value) !== null) list.window = value;
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
