// The tickets API (docs/API.md): tickets, their timelines, pages of the list, and the MTTR report.
// The server writes these shapes, the app and the CLI read them; times are ISO 8601 UTC strings.
import type {
  OpenResult,
  Outcome,
  Severity,
  TicketEventKind,
  TicketSource,
  TicketStatus,
  Visibility,
} from './vocabulary';

export interface Ticket {
  id: number;
  tenant: string;
  visibility: Visibility;
  title: string;
  severity: Severity;
  source: TicketSource;
  fingerprint: string;
  status: TicketStatus;
  /** ISO 8601 UTC: when the incident began (an alert's startsAt). MTTR counts from here. */
  openedAt: string;
  /**
   * ISO 8601 UTC: when the console recorded the ticket (its `opened` event; an alert's webhook
   * arrives after the alert started). Equal to openedAt for the detector's and manual tickets.
   */
  receivedAt: string;
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
  /** ISO 8601 UTC. */
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

/** POST /api/tickets: 201 when it `opened` a ticket, 200 when it deduplicated or reopened one. */
export interface CreateTicketResult {
  result: OpenResult;
  ticket: Ticket;
}

export interface ResolutionStats {
  count: number;
  /** null when count is 0. */
  meanSeconds: number | null;
  medianSeconds: number | null;
  p90Seconds: number | null;
}

export interface TrendPoint {
  /** Start of the bucket, ISO 8601 UTC. */
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
  /** ISO 8601 UTC. */
  from: string;
  to: string;
  bucketSeconds: number;
  /** Every severity, most severe first. */
  severities: SeverityMttr[];
}
