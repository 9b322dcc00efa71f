// Stored tickets into the API's JSON (core/api/tickets.ts): ms times become ISO 8601 strings,
// tenantId becomes tenant, and resolutionSeconds is derived. The only place these shapes are built.
import type { Ticket, TicketDetail, TicketEvent, TicketPage } from '../../../core/api/tickets';
import { isoTime } from '../../../core/api/time';
import type { TicketRecordPage } from '../store';
import type { TicketEventRecord, TicketRecord, TicketRecordWithEvents } from '../types';

const isoOrNull = (ms: number | null): string | null => (ms === null ? null : isoTime(ms));

export function ticketJson(ticket: TicketRecord): Ticket {
  return {
    id: ticket.id,
    tenant: ticket.tenantId,
    visibility: ticket.visibility,
    title: ticket.title,
    severity: ticket.severity,
    source: ticket.source,
    fingerprint: ticket.fingerprint,
    status: ticket.status,
    openedAt: isoTime(ticket.openedAtMs),
    receivedAt: isoTime(ticket.receivedAtMs),
    acknowledgedAt: isoOrNull(ticket.acknowledgedAtMs),
    resolvedAt: isoOrNull(ticket.resolvedAtMs),
    resolvedBy: ticket.resolvedBy,
    outcome: ticket.outcome,
    resolutionSeconds:
      ticket.resolvedAtMs === null ? null : (ticket.resolvedAtMs - ticket.openedAtMs) / 1000,
    summary: ticket.summary,
    reopenCount: ticket.reopenCount,
    noteCount: ticket.noteCount,
  };
}

export function eventJson(event: TicketEventRecord): TicketEvent {
  return {
    id: event.id,
    at: isoTime(event.atMs),
    kind: event.kind,
    actor: event.actor,
    detail: event.detail,
  };
}

export function ticketPageJson(page: TicketRecordPage): TicketPage {
  return { tickets: page.tickets.map(ticketJson), total: page.total, nextCursor: page.nextCursor };
}

export function ticketDetailJson(detail: TicketRecordWithEvents): TicketDetail {
  return { ticket: ticketJson(detail), events: detail.events.map(eventJson) };
}
