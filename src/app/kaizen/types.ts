// The Kaizen API as the browser sees it (docs/API.md): its shapes here, its vocabulary shared with
// the server through src/core/kaizen-vocabulary.ts.

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
} from '../../core/kaizen-vocabulary';
import {
  windowMs,
  type Outcome,
  type Severity,
  type TicketEventKind,
  type TicketSource,
  type TicketStatus,
} from '../../core/kaizen-vocabulary';

export const RESOLVED_BY = ['auto', 'person'] as const;
export type ResolvedByFilter = (typeof RESOLVED_BY)[number];

export const WINDOW_ONS = ['opened', 'resolved'] as const;
export type WindowOn = (typeof WINDOW_ONS)[number];

/** Windows the MTTR panel offers; the list accepts any the API does. */
export const MTTR_WINDOWS = ['1h', '24h', '7d', '30d'] as const;

export function isWindow(text: string): boolean {
  return windowMs(text) !== null;
}

export interface Ticket {
  id: number;
  tenant: string;
  visibility: 'public' | 'private';
  title: string;
  severity: Severity;
  source: TicketSource;
  fingerprint: string;
  status: TicketStatus;
  /** ISO 8601 UTC. */
  openedAt: string;
  acknowledgedAt: string | null;
  resolvedAt: string | null;
  /** `auto` or the name of the person. */
  resolvedBy: string | null;
  outcome: Outcome | null;
  resolutionSeconds: number | null;
  summary: string;
  reopenCount: number;
  noteCount: number;
}

export interface TicketEvent {
  id: number;
  at: string;
  kind: TicketEventKind;
  actor: string;
  detail: string;
}

export interface TicketPage {
  tickets: Ticket[];
  /** Matching tickets on all pages. */
  total: number;
  nextCursor: string | null;
}

export interface TicketDetail {
  ticket: Ticket;
  /** Oldest first. */
  events: TicketEvent[];
}

export interface ResolutionStats {
  count: number;
  /** null when count is 0. */
  meanSeconds: number | null;
  medianSeconds: number | null;
  p90Seconds: number | null;
}

export interface TrendPoint {
  start: string;
  count: number;
  meanSeconds: number | null;
  medianSeconds: number | null;
}

export interface SeverityMttr {
  severity: Severity;
  all: ResolutionStats;
  auto: ResolutionStats;
  person: ResolutionStats;
  /** Unresolved tickets of this severity now. */
  open: number;
  /** Oldest first, by resolution time, covering the window without gaps. */
  trend: TrendPoint[];
  /** The list request (`/api/tickets?...`) that returns exactly the tickets behind the figures. */
  tickets: string;
}

export interface MttrReport {
  tenant: string | null;
  window: string;
  from: string;
  to: string;
  bucketSeconds: number;
  /** Every severity, most severe first. */
  severities: SeverityMttr[];
}

export function isOneOf<T extends string>(values: readonly T[], value: string): value is T {
  return (values as readonly string[]).includes(value);
}
