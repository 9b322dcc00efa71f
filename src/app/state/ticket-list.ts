// Which tickets the tickets view lists, in the form the app keeps in its parameters and URL
// (url/ticket-list-params.ts reads and writes it; tickets/filters.ts turns it into API filters).
// The tenant is the console's own (`tenant=`) unless `allTenants`, so switching tenants moves the
// list along; `windowOn` is null when it is the default for the statuses (see defaultWindowOn).
import type { Severity, TicketSource, TicketStatus } from '../../core/api/vocabulary';

/** Who resolved a ticket, as the list filters it. */
export const RESOLVED_BY = ['auto', 'person'] as const;
export type ResolvedByFilter = (typeof RESOLVED_BY)[number];

/** What a window bounds: the opening or the resolution time. */
export const WINDOW_ONS = ['opened', 'resolved'] as const;
export type WindowOn = (typeof WINDOW_ONS)[number];

export interface TicketListParams {
  allTenants: boolean;
  severity: Severity[];
  status: TicketStatus[];
  source: TicketSource[];
  resolvedBy: ResolvedByFilter | null;
  /** A trailing window like `24h`, or null for all time. */
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

/** A list with no filters whose arrays may be filled in place. */
export function emptyTicketList(): TicketListParams {
  return { ...DEFAULT_TICKET_LIST, severity: [], status: [], source: [] };
}

/**
 * A window over resolved tickets means "resolved in the window": that is what an MTTR figure
 * counts, and what the Grafana dashboard's `status=resolved&window=24h` links mean. Otherwise a
 * window bounds the opening time, as the API does by default.
 */
export function defaultWindowOn(status: readonly TicketStatus[]): WindowOn {
  return status.length === 1 && status[0] === 'resolved' ? 'resolved' : 'opened';
}
