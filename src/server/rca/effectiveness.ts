// Does drafting help? Tickets opened in a window, in two groups: those whose RCA began as an
// engine's draft, and the rest (drafting off, RCAs written by hand, tickets from before the
// feature). Per group: how many reached an approved RCA, how long from the ticket's opening to the
// first approval, and how consistently the approved texts fill the template.
import type { RcaEffectiveness, RcaGroupStats } from '../../core/api/rca';
import { RCA_SECTIONS } from '../../core/api/rca';
import { isoTime } from '../../core/api/time';
import { quantile } from '../incidents/mttr';
import type { Db } from '../storage/database';
import { sectionsFilled } from './template';

interface Row {
  opened_at: number;
  drafted: number | null;
  first_approved_at: number | null;
  rejected: number;
  approved_markdown: string | null;
  mean_ratio: number | null;
}

export interface EffectivenessQuery {
  /** Tenants the caller may see. */
  tenants: ReadonlySet<string>;
  tenant?: string;
  window: string;
  fromMs: number;
  toMs: number;
}

function groupStats(rows: Row[]): RcaGroupStats {
  const approved = rows.filter((r) => r.first_approved_at !== null);
  const seconds = approved
    .map((r) => (r.first_approved_at! - r.opened_at) / 1000)
    .sort((a, b) => a - b);
  const filled = approved.map((r) => new Set(sectionsFilled(r.approved_markdown ?? '')));
  const ratios = approved.map((r) => r.mean_ratio).filter((r): r is number => r !== null);
  const mean = (values: number[]): number | null =>
    values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
  return {
    tickets: rows.length,
    approved: approved.length,
    rejected: rows.reduce((n, r) => n + (r.rejected > 0 ? 1 : 0), 0),
    medianSecondsToApproved: seconds.length === 0 ? null : quantile(seconds, 0.5),
    meanSecondsToApproved: mean(seconds),
    sectionsFilledShare: mean(filled.map((f) => f.size / RCA_SECTIONS.length)),
    sections: RCA_SECTIONS.map((section) => ({
      section,
      filledShare:
        filled.length === 0 ? 0 : filled.filter((f) => f.has(section)).length / filled.length,
    })),
    meanEditDistanceRatio: mean(ratios),
  };
}

export function rcaEffectiveness(db: Db, query: EffectivenessQuery): RcaEffectiveness {
  const rows = db
    .prepare(
      `SELECT t.opened_at, r.drafted,
         (SELECT MIN(v.at) FROM rca_reviews v WHERE v.ticket_id = t.id AND v.outcome = 'approved')
           AS first_approved_at,
         (SELECT COUNT(*) FROM rca_reviews v WHERE v.ticket_id = t.id AND v.outcome = 'rejected')
           AS rejected,
         (SELECT ve.markdown FROM rca_reviews v JOIN rca_versions ve
            ON ve.ticket_id = v.ticket_id AND ve.version = v.version
          WHERE v.ticket_id = t.id AND v.outcome = 'approved' ORDER BY v.revision DESC LIMIT 1)
           AS approved_markdown,
         (SELECT AVG(v.edit_distance_ratio) FROM rca_reviews v
          WHERE v.ticket_id = t.id AND v.outcome = 'approved') AS mean_ratio
       FROM tickets t LEFT JOIN rcas r ON r.ticket_id = t.id
       WHERE t.opened_at BETWEEN @fromMs AND @toMs
         AND t.tenant_id IN (SELECT value FROM json_each(@tenants))
         AND (@tenant IS NULL OR t.tenant_id = @tenant)`,
    )
    .all({
      fromMs: query.fromMs,
      toMs: query.toMs,
      tenants: JSON.stringify([...query.tenants]),
      tenant: query.tenant ?? null,
    }) as Row[];
  return {
    tenant: query.tenant ?? null,
    window: query.window,
    from: isoTime(query.fromMs),
    to: isoTime(query.toMs),
    withDraft: groupStats(rows.filter((r) => r.drafted === 1)),
    withoutDraft: groupStats(rows.filter((r) => r.drafted !== 1)),
  };
}
