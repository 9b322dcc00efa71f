// The vocabulary of Kaizen tickets, shared by the store, the detector, the receiver and the API.

export {
  AUTO,
  EVENT_KINDS,
  OPEN_RESULTS,
  OUTCOMES,
  SEVERITIES,
  SOURCES,
  STATUSES,
  VISIBILITIES,
  type OpenResult,
  type Outcome,
  type Severity,
  type TicketEventKind,
  type TicketSource,
  type TicketStatus,
  type Visibility,
} from '../../core/api/vocabulary';
import {
  SEVERITIES,
  type Outcome,
  type Severity,
  type TicketEventKind,
  type TicketSource,
  type TicketStatus,
  type Visibility,
} from '../../core/api/vocabulary';

/** Longest note or description, in characters. */
export const MAX_NOTE_CHARS = 10_000;
export const MAX_TITLE_CHARS = 200;
export const MAX_ACTOR_CHARS = 100;
export const MAX_FINGERPRINT_CHARS = 200;

// A ticket as the store holds it, times in ms since the epoch. What the API sends is core/api's
// Ticket (ISO strings, `tenant`, `resolutionSeconds`), built from a record in one place: the
// routes' JSON shaping.
export interface TicketRecord {
  id: number;
  tenantId: string;
  visibility: Visibility;
  title: string;
  severity: Severity;
  source: TicketSource;
  fingerprint: string;
  status: TicketStatus;
  /** All times in ms since the epoch. When the incident began (an alert's startsAt). */
  openedAtMs: number;
  /**
   * When the console recorded the ticket, its `opened` event: an alert's webhook arrives after the
   * incident began. Equal to openedAtMs for tickets opened by the detector or by hand.
   */
  receivedAtMs: number;
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

export interface TicketEventRecord {
  id: number;
  ticketId: number;
  atMs: number;
  kind: TicketEventKind;
  actor: string;
  detail: string;
}

export interface TicketRecordWithEvents extends TicketRecord {
  events: TicketEventRecord[];
}

export function isSeverity(value: string): value is Severity {
  return (SEVERITIES as readonly string[]).includes(value);
}
