// Stored RCAs into the API's JSON (core/api/rca.ts): ms times become ISO 8601 strings, and the
// current text, sections and last approval are derived. The only place the shape is built.
import type { Rca } from '../../../core/api/rca';
import { isoTime } from '../../../core/api/time';
import type { RcaRecord } from '../../rca/store';
import { sectionsFilled } from '../../rca/template';

export function rcaJson(rca: RcaRecord): Rca {
  const latest = rca.versions[rca.versions.length - 1];
  const lastApproval = [...rca.reviews].reverse().find((r) => r.outcome === 'approved');
  const approvedText = lastApproval
    ? rca.versions.find((v) => v.version === lastApproval.version)
    : undefined;
  const markdown = latest?.markdown ?? '';
  return {
    ticketId: rca.ticketId,
    tenant: rca.tenantId,
    status: rca.status,
    revision: rca.revision,
    markdown,
    version: latest?.version ?? 0,
    engine: rca.engine,
    engineNote: rca.engineNote,
    evidence: rca.evidence,
    sectionsFilled: sectionsFilled(markdown),
    approved:
      lastApproval && approvedText
        ? {
            revision: lastApproval.revision,
            version: lastApproval.version,
            markdown: approvedText.markdown,
            at: isoTime(lastApproval.atMs),
            by: lastApproval.by,
          }
        : null,
    versions: rca.versions.map((v) => ({
      version: v.version,
      revision: v.revision,
      kind: v.kind,
      engine: v.engine,
      author: v.author,
      at: isoTime(v.atMs),
      markdown: v.markdown,
    })),
    reviews: rca.reviews.map((r) => ({
      revision: r.revision,
      version: r.version,
      outcome: r.outcome,
      by: r.by,
      at: isoTime(r.atMs),
      reason: r.reason,
      editDistanceRatio: r.editDistanceRatio,
      reviewSeconds: r.reviewSeconds,
    })),
    updatedAt: isoTime(rca.updatedAtMs),
  };
}
