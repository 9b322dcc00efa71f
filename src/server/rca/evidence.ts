// What a draft is written from, collected when the ticket opens (or when someone asks): the alert
// or detector reading, the tenant's log lines of the 60 s before the open time, the stream's
// figures around it, what changed before it, and alike tickets of the same tenant with their
// approved causes. Nothing of another tenant is read: every source is asked for this tenant only.
import type {
  LogCaptureResult,
  RcaChange,
  RcaEvidence,
  RcaLogLine,
  RcaMetrics,
  RcaSimilarTicket,
} from '../../core/api/rca';
import { isoTime } from '../../core/api/time';
import type { TicketRecordWithEvents } from '../incidents/types';
import type { TenantLogRing } from './log-ring';

export const LOG_WINDOW_MS = 60_000;
/** Log lines kept in the evidence: the newest, when the window had more. */
export const MAX_EVIDENCE_LOG_LINES = 300;
/** How far back recent changes are looked for. */
export const CHANGES_WINDOW_MS = 24 * 3_600_000;

export interface EvidenceSources {
  logs: TenantLogRing;
  /** The tenant's stream figures over [fromMs, toMs]. */
  streamFigures(tenantId: string, fromMs: number, toMs: number): RcaMetrics;
  changes(tenantId: string, fromMs: number, toMs: number): Promise<RcaChange[]>;
  similar(ticket: TicketRecordWithEvents): RcaSimilarTicket[];
}

/** The rule or alertname the ticket's fingerprint names (`detector:RULE:tenant`). */
export function ruleOf(ticket: {
  source: string;
  fingerprint: string;
  title: string;
}): string | null {
  if (ticket.source === 'detector') return ticket.fingerprint.split(':')[1] ?? null;
  if (ticket.source === 'alertmanager') return /^[\w:-]+/.exec(ticket.title)?.[0] ?? null;
  return null;
}

function captureResult(lines: number, partial: boolean): LogCaptureResult {
  if (partial) return 'partial';
  return lines > 0 ? 'captured' : 'empty';
}

export async function collectEvidence(
  ticket: TicketRecordWithEvents,
  sources: EvidenceSources,
  nowMs: number,
): Promise<RcaEvidence> {
  // A reopened ticket is the incident happening again: its evidence is of the latest opening.
  const opened = ticket.events.filter((e) => e.kind === 'opened' || e.kind === 'reopened').at(-1);
  const openedMs = Math.max(ticket.openedAtMs, opened?.atMs ?? 0);
  const fromMs = openedMs - LOG_WINDOW_MS;
  let capture: LogCaptureResult;
  let lines: RcaLogLine[] = [];
  try {
    const read = sources.logs.read(ticket.tenantId, fromMs, openedMs);
    lines = read.entries.slice(-MAX_EVIDENCE_LOG_LINES).map((e) => ({
      at: isoTime(e.atMs),
      level: e.level,
      subsystem: e.subsystem,
      message: e.line,
    }));
    capture = captureResult(lines.length, read.partial || read.entries.length > lines.length);
  } catch {
    capture = 'failed';
  }
  return {
    collectedAt: isoTime(nowMs),
    alert: {
      title: ticket.title,
      severity: ticket.severity,
      source: ticket.source,
      fingerprint: ticket.fingerprint,
      summary: ticket.summary,
      openedAt: isoTime(openedMs),
      reopened: opened?.kind === 'reopened',
      rule: ruleOf(ticket),
      signal: opened?.detail ?? '',
    },
    logs: { from: isoTime(fromMs), to: isoTime(openedMs), capture, lines },
    metrics: sources.streamFigures(
      ticket.tenantId,
      fromMs,
      Math.min(nowMs, openedMs + LOG_WINDOW_MS),
    ),
    changes: await sources.changes(ticket.tenantId, openedMs - CHANGES_WINDOW_MS, openedMs),
    similar: sources.similar(ticket),
  };
}
