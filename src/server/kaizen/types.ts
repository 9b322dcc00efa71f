// The vocabulary of Kaizen tickets, shared by the store, the detector, the receiver and the API.

export const SEVERITIES = ['critical', 'error', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const SOURCES = ['detector', 'alertmanager', 'manual'] as const;
export type TicketSource = (typeof SOURCES)[number];

export const STATUSES = ['open', 'acknowledged', 'resolved'] as const;
export type TicketStatus = (typeof STATUSES)[number];

export const VISIBILITIES = ['public', 'private'] as const;
export type Visibility = (typeof VISIBILITIES)[number];

export const OUTCOMES = ['true_positive', 'false_positive'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const EVENT_KINDS = [
  'opened',
  'deduplicated',
  'acknowledged',
  'noted',
  'resolved',
  'reopened',
] as const;
export type TicketEventKind = (typeof EVENT_KINDS)[number];

/** `resolved_by` of a ticket that closed by itself (its rule cleared, its alert resolved). */
export const AUTO = 'auto';

/** Longest note or description, in characters. */
export const MAX_NOTE_CHARS = 10_000;
export const MAX_TITLE_CHARS = 200;
export const MAX_ACTOR_CHARS = 100;
export const MAX_FINGERPRINT_CHARS = 200;

export interface Ticket {
  id: number;
  tenantId: string;
  visibility: Visibility;
  title: string;
  severity: Severity;
  source: TicketSource;
  fingerprint: string;
  status: TicketStatus;
  /** All times in ms since the epoch. */
  openedAtMs: number;
  acknowledgedAtMs: number | null;
  resolvedAtMs: number | null;
  /** `'auto'` or the name of the person who resolved it. */
  resolvedBy: string | null;
  outcome: Outcome | null;
  /** What the ticket is about (alert description, detector reading, text of a manual ticket). */
  summary: string;
  /** Times the ticket reopened after a resolution inside the reopen window. */
  reopenCount: number;
  noteCount: number;
}

export interface TicketEvent {
  id: number;
  ticketId: number;
  atMs: number;
  kind: TicketEventKind;
  actor: string;
  detail: string;
}

export interface TicketDetail extends Ticket {
  events: TicketEvent[];
}

export function isSeverity(value: string): value is Severity {
  return (SEVERITIES as readonly string[]).includes(value);
}
