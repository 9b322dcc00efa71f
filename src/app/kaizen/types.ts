// The tickets API as the browser uses it: its shapes and vocabulary are src/core/api's, shared with
// the server; what only the browser needs (the filters it offers) is here.

export {
  AUTO,
  EVENT_KINDS,
  OUTCOMES,
  SEVERITIES,
  SOURCES,
  STATUSES,
  type Outcome,
  type Severity,
  type TicketEventKind,
  type TicketSource,
  type TicketStatus,
} from '../../core/api/vocabulary';
export type {
  MttrReport,
  ResolutionStats,
  SeverityMttr,
  Ticket,
  TicketDetail,
  TicketEvent,
  TicketPage,
  TrendPoint,
} from '../../core/api/tickets';
import { windowMs } from '../../core/api/vocabulary';

export const RESOLVED_BY = ['auto', 'person'] as const;
export type ResolvedByFilter = (typeof RESOLVED_BY)[number];

export const WINDOW_ONS = ['opened', 'resolved'] as const;
export type WindowOn = (typeof WINDOW_ONS)[number];

/** Windows the MTTR panel offers; the list accepts any the API does. */
export const MTTR_WINDOWS = ['1h', '24h', '7d', '30d'] as const;

export function isWindow(text: string): boolean {
  return windowMs(text) !== null;
}

export function isOneOf<T extends string>(values: readonly T[], value: string): value is T {
  return (values as readonly string[]).includes(value);
}
