// Past tickets of the same tenant that look like this one, best first: the same incident key (the
// same fingerprint: it happened before), then the same rule or alert; with the probable cause of
// each one's approved RCA, so later drafts learn from what reviewers accepted.
import type { RcaSimilarTicket } from '../../core/api/rca';
import { isoTime } from '../../core/api/time';
import type { Db } from '../storage/database';
import type { TicketRecord } from '../incidents/types';
import { ruleOf } from './evidence';
import { splitSections } from './template';

export const MAX_SIMILAR = 5;
const MAX_CAUSE_CHARS = 600;

interface Row {
  id: number;
  title: string;
  fingerprint: string;
  opened_at: number;
  resolved_at: number | null;
  approved: string | null;
}

export function createSimilarFinder(db: Db): (ticket: TicketRecord) => RcaSimilarTicket[] {
  // The approved text is the version the last approval of each ticket reviewed.
  const select = db.prepare(
    `SELECT t.id, t.title, t.fingerprint, t.opened_at, t.resolved_at,
       (SELECT v.markdown FROM rca_reviews r JOIN rca_versions v
          ON v.ticket_id = r.ticket_id AND v.version = r.version
        WHERE r.ticket_id = t.id AND r.outcome = 'approved'
        ORDER BY r.revision DESC LIMIT 1) AS approved
     FROM tickets t
     WHERE t.tenant_id = @tenant AND t.id != @id AND t.opened_at <= @openedAt
       AND (t.fingerprint = @fingerprint OR t.fingerprint LIKE @rulePattern ESCAPE '\\'
            OR t.title = @title)
     ORDER BY (t.fingerprint = @fingerprint) DESC, (approved IS NOT NULL) DESC, t.opened_at DESC
     LIMIT ${MAX_SIMILAR}`,
  );
  return (ticket) => {
    const rule = ruleOf(ticket);
    const escape = (s: string): string => s.replace(/[\\%_]/g, (c) => `\\${c}`);
    const rows = select.all({
      tenant: ticket.tenantId,
      id: ticket.id,
      openedAt: ticket.openedAtMs,
      fingerprint: ticket.fingerprint,
      // Detector fingerprints are detector:RULE:tenant; no rule: a pattern nothing matches.
      rulePattern: ticket.source === 'detector' && rule ? `detector:${escape(rule)}:%` : '\u0000',
      title: ticket.title,
    }) as Row[];
    return rows.map((r) => {
      const cause =
        r.approved === null ? null : (splitSections(r.approved)['Probable cause'] ?? null);
      return {
        id: r.id,
        title: r.title,
        openedAt: isoTime(r.opened_at),
        resolvedAt: r.resolved_at === null ? null : isoTime(r.resolved_at),
        match: r.fingerprint === ticket.fingerprint ? 'same-incident' : 'same-rule',
        approvedCause:
          cause === null || cause === ''
            ? null
            : cause.length > MAX_CAUSE_CHARS
              ? `${cause.slice(0, MAX_CAUSE_CHARS)}…`
              : cause,
      };
    });
  };
}
