// The words of the tickets API that the server, the browser and the CLI share: ticket severities,
// statuses, sources, outcomes, visibilities, event kinds, and how a time window is written.

export const SEVERITIES = ['critical', 'error', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const STATUSES = ['open', 'acknowledged', 'resolved'] as const;
export type TicketStatus = (typeof STATUSES)[number];

export const SOURCES = ['detector', 'alertmanager', 'manual'] as const;
export type TicketSource = (typeof SOURCES)[number];

export const OUTCOMES = ['true_positive', 'false_positive'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const VISIBILITIES = ['public', 'private'] as const;
export type Visibility = (typeof VISIBILITIES)[number];

export const EVENT_KINDS = [
  'opened',
  'deduplicated',
  'acknowledged',
  'noted',
  'resolved',
  'reopened',
] as const;
export type TicketEventKind = (typeof EVENT_KINDS)[number];

/** What opening a ticket did: a new ticket, or the incident's unresolved or recently resolved one. */
export const OPEN_RESULTS = ['opened', 'deduplicated', 'reopened'] as const;
export type OpenResult = (typeof OPEN_RESULTS)[number];

/** `resolved_by` of a ticket that closed by itself (its rule cleared, its alert resolved). */
export const AUTO = 'auto';

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** A window is a count and a unit (m, h or d), like 15m, 24h or 7d, at most 366 days. */
export const WINDOW_PATTERN = '^[1-9][0-9]{0,3}[mhd]$';
export const MAX_WINDOW_MS = 366 * UNIT_MS.d;
export const WINDOW_EXAMPLES = ['1h', '24h', '7d', '30d'] as const;

/** `'24h'` -> 86,400,000; null for anything that is not a window. */
export function windowMs(text: string): number | null {
  const match = /^([1-9][0-9]{0,3})([mhd])$/.exec(text);
  if (!match) return null;
  const ms = Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
  return ms <= MAX_WINDOW_MS ? ms : null;
}
