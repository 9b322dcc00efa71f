// Which rule opened each ticket, and when it was open: the alert overlap report's "fired
// together" and the baseline's alarm volume per rule. Detector tickets name their rule in the
// fingerprint (detector:RULE:TENANT); Alertmanager's name it in the opening event
// (alertname=NAME); manual tickets have none.
import type { Db } from '../storage/database';
import type { Severity, TicketSource } from './types';

export interface TicketFiring {
  ticketId: number;
  tenant: string;
  source: TicketSource;
  severity: Severity;
  /** The alert rule's name, `manual` for tickets opened by hand. */
  rule: string;
  openedAtMs: number;
  /** null while unresolved. */
  resolvedAtMs: number | null;
}

interface Row {
  id: number;
  tenant_id: string;
  source: TicketSource;
  severity: Severity;
  fingerprint: string;
  opened_at: number;
  resolved_at: number | null;
  opened_detail: string | null;
}

export function ruleOfTicket(row: Pick<Row, 'source' | 'fingerprint' | 'opened_detail'>): string {
  if (row.source === 'detector') return row.fingerprint.split(':')[1] ?? 'detector';
  if (row.source === 'alertmanager') {
    return /(?:^|\s)alertname=(\S+)/.exec(row.opened_detail ?? '')?.[1] ?? 'alertmanager';
  }
  return 'manual';
}

/** Tickets opened in [fromMs, toMs], oldest first. */
export function ticketFirings(db: Db, fromMs: number, toMs: number): TicketFiring[] {
  const hasTickets = db
    .prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'tickets'`)
    .get();
  if (!hasTickets) return [];
  const rows = db
    .prepare(
      `SELECT t.id, t.tenant_id, t.source, t.severity, t.fingerprint, t.opened_at, t.resolved_at,
         (SELECT e.detail FROM ticket_events e WHERE e.ticket_id = t.id AND e.kind = 'opened'
          ORDER BY e.id LIMIT 1) AS opened_detail
       FROM tickets t WHERE t.opened_at BETWEEN ? AND ? ORDER BY t.opened_at, t.id`,
    )
    .all(fromMs, toMs) as Row[];
  return rows.map((r) => ({
    ticketId: r.id,
    tenant: r.tenant_id,
    source: r.source,
    severity: r.severity,
    rule: ruleOfTicket(r),
    openedAtMs: r.opened_at,
    resolvedAtMs: r.resolved_at,
  }));
}
