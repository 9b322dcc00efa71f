// The Kaizen API as the browser sees it (docs/API.md). The app may not import the server, so the
// vocabulary is restated here; the e2e tests run against the real server and catch any drift.

export const SEVERITIES = ['critical', 'error', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const STATUSES = ['open', 'acknowledged', 'resolved'] as const;
export type TicketStatus = (typeof STATUSES)[number];

export const SOURCES = ['detector', 'alertmanager', 'manual'] as const;
export type TicketSource = (typeof SOURCES)[number];

export const RESOLVED_BY = ['auto', 'person'] as const;
export type ResolvedByFilter = (typeof RESOLVED_BY)[number];

export const WINDOW_ONS = ['opened', 'resolved'] as const;
export type WindowOn = (typeof WINDOW_ONS)[number];

export const OUTCOMES = ['true_positive', 'false_positive'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** Windows the MTTR panel offers; the list accepts any the API does. */
export const MTTR_WINDOWS = ['1h', '24h', '7d', '30d'] as const;
/** Same rule as the server's WINDOW_PATTERN: a count and a unit m, h or d, at most 366 days. */
export const WINDOW_FORMAT = /^([1-9][0-9]{0,3})([mhd])$/;
const UNIT_MINUTES = { m: 1, h: 60, d: 1440 } as const;
export const MAX_WINDOW_MINUTES = 366 * 1440;

export function isWindow(text: string): boolean {
  const match = WINDOW_FORMAT.exec(text);
  if (!match) return false;
  return (
    Number(match[1]) * UNIT_MINUTES[match[2] as keyof typeof UNIT_MINUTES] <= MAX_WINDOW_MINUTES
  );
}

/** `resolvedBy` of a ticket that closed by itself. */
export const AUTO = 'auto';

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

export const EVENT_KINDS = [
  'opened',
  'deduplicated',
  'acknowledged',
  'noted',
  'resolved',
  'reopened',
] as const;
export type TicketEventKind = (typeof EVENT_KINDS)[number];

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
