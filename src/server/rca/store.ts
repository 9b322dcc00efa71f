// RCAs in SQLite: one row per ticket, every version and every review kept. A revision is one
// review: approving or rejecting ends it, and the next draft or edit starts the next, so an
// approved text is never changed afterwards. Every operation is one transaction.
import type { RcaEngine, RcaEvidence, RcaReviewOutcome, RcaStatus } from '../../core/api/rca';
import { migrate, type Db } from '../storage/database';
import { TicketError } from '../incidents/store';
import { RCA_COMPONENT, RCA_MIGRATIONS } from './migrations';

export const MAX_RCA_MARKDOWN_CHARS = 50_000;
export const MAX_REVIEW_REASON_CHARS = 2000;

export interface RcaVersionRecord {
  version: number;
  revision: number;
  kind: 'draft' | 'edit';
  engine: RcaEngine | null;
  author: string;
  atMs: number;
  markdown: string;
}

export interface RcaReviewRecord {
  revision: number;
  version: number;
  outcome: RcaReviewOutcome;
  by: string;
  atMs: number;
  reason: string;
  editDistanceRatio: number | null;
  reviewSeconds: number | null;
}

export interface RcaRecord {
  ticketId: number;
  tenantId: string;
  status: RcaStatus;
  revision: number;
  engine: RcaEngine | null;
  engineNote: string | null;
  evidence: RcaEvidence | null;
  drafted: boolean;
  firstOpenedAtMs: number | null;
  updatedAtMs: number;
  versions: RcaVersionRecord[];
  reviews: RcaReviewRecord[];
}

export interface DraftResult {
  markdown: string;
  engine: RcaEngine;
  engineNote: string | null;
  evidence: RcaEvidence;
}

export interface ReviewInput {
  outcome: RcaReviewOutcome;
  by: string;
  reason: string;
  version?: number;
  atMs: number;
  /** Computes the review's figures from the revision's draft and the reviewed text. */
  figures(draft: string | null, reviewed: string): { editDistanceRatio: number | null };
}

export interface RcaStore {
  get(ticketId: number): RcaRecord | undefined;
  /** Starts (or restarts) drafting; a reviewed RCA starts a new revision. Null if already drafting. */
  beginDraft(ticketId: number, tenantId: string, atMs: number): RcaRecord | null;
  completeDraft(ticketId: number, draft: DraftResult, atMs: number): RcaRecord;
  /** Drafting failed outright: back to the last text, or no RCA when there was none. */
  abandonDraft(ticketId: number, atMs: number): void;
  edit(
    ticketId: number,
    tenantId: string,
    input: { markdown: string; author: string; baseVersion?: number; atMs: number },
  ): RcaRecord;
  review(ticketId: number, input: ReviewInput): { rca: RcaRecord; review: RcaReviewRecord };
  /** The first time someone who may edit opens the draft of this revision. */
  markOpened(ticketId: number, atMs: number): void;
  /** RCAs left drafting by a process that stopped: their drafts are written again. */
  drafting(): { ticketId: number; tenantId: string }[];
}

interface RcaRow {
  ticket_id: number;
  tenant_id: string;
  status: RcaStatus;
  revision: number;
  engine: RcaEngine | null;
  engine_note: string | null;
  evidence_json: string | null;
  drafted: number;
  first_opened_at: number | null;
  updated_at: number;
}

interface VersionRow {
  version: number;
  revision: number;
  kind: 'draft' | 'edit';
  engine: RcaEngine | null;
  author: string;
  at: number;
  markdown: string;
}

interface ReviewRow {
  revision: number;
  version: number;
  outcome: RcaReviewOutcome;
  by: string;
  at: number;
  reason: string;
  edit_distance_ratio: number | null;
  review_seconds: number | null;
}

function checkMarkdown(markdown: string): void {
  if (markdown.trim().length === 0) throw new TicketError('invalid', 'markdown is empty');
  if (markdown.length > MAX_RCA_MARKDOWN_CHARS) {
    throw new TicketError(
      'too_large',
      `markdown is ${markdown.length} characters; at most ${MAX_RCA_MARKDOWN_CHARS} allowed`,
    );
  }
}

export function createRcaStore(db: Db): RcaStore {
  migrate(db, RCA_COMPONENT, RCA_MIGRATIONS);
  const stmt = {
    row: db.prepare('SELECT * FROM rcas WHERE ticket_id = ?'),
    versions: db.prepare('SELECT * FROM rca_versions WHERE ticket_id = ? ORDER BY version'),
    reviews: db.prepare('SELECT * FROM rca_reviews WHERE ticket_id = ? ORDER BY revision'),
    insert: db.prepare(
      `INSERT INTO rcas (ticket_id, tenant_id, status, revision, updated_at)
       VALUES (?, ?, ?, 1, ?)`,
    ),
    setStatus: db.prepare(
      'UPDATE rcas SET status = ?, revision = ?, first_opened_at = ?, updated_at = ? WHERE ticket_id = ?',
    ),
    addVersion: db.prepare(
      `INSERT INTO rca_versions (ticket_id, version, revision, kind, engine, author, at, markdown)
       VALUES (@ticketId, @version, @revision, @kind, @engine, @author, @at, @markdown)`,
    ),
    drafted: db.prepare(
      `UPDATE rcas SET status = 'draft', engine = ?, engine_note = ?, evidence_json = ?,
         drafted = 1, updated_at = ? WHERE ticket_id = ?`,
    ),
    review: db.prepare(
      `INSERT INTO rca_reviews (ticket_id, revision, version, outcome, by, at, reason,
         edit_distance_ratio, review_seconds)
       VALUES (@ticketId, @revision, @version, @outcome, @by, @at, @reason, @ratio, @seconds)`,
    ),
    opened: db.prepare(
      `UPDATE rcas SET first_opened_at = ? WHERE ticket_id = ? AND first_opened_at IS NULL
         AND status = 'draft'`,
    ),
    drafting: db.prepare(`SELECT ticket_id, tenant_id FROM rcas WHERE status = 'drafting'`),
    remove: db.prepare('DELETE FROM rcas WHERE ticket_id = ?'),
  };

  const get = (ticketId: number): RcaRecord | undefined => {
    const row = stmt.row.get(ticketId) as RcaRow | undefined;
    if (!row) return undefined;
    const versions = (stmt.versions.all(ticketId) as VersionRow[]).map((v) => ({
      version: v.version,
      revision: v.revision,
      kind: v.kind,
      engine: v.engine,
      author: v.author,
      atMs: v.at,
      markdown: v.markdown,
    }));
    const reviews = (stmt.reviews.all(ticketId) as ReviewRow[]).map((r) => ({
      revision: r.revision,
      version: r.version,
      outcome: r.outcome,
      by: r.by,
      atMs: r.at,
      reason: r.reason,
      editDistanceRatio: r.edit_distance_ratio,
      reviewSeconds: r.review_seconds,
    }));
    return {
      ticketId: row.ticket_id,
      tenantId: row.tenant_id,
      status: row.status,
      revision: row.revision,
      engine: row.engine,
      engineNote: row.engine_note,
      evidence: row.evidence_json === null ? null : (JSON.parse(row.evidence_json) as RcaEvidence),
      drafted: row.drafted === 1,
      firstOpenedAtMs: row.first_opened_at,
      updatedAtMs: row.updated_at,
      versions,
      reviews,
    };
  };

  const mustGet = (ticketId: number): RcaRecord => {
    const rca = get(ticketId);
    if (!rca) throw new TicketError('not_found', `ticket ${ticketId} has no RCA`);
    return rca;
  };

  /** The revision a write lands in: a reviewed RCA's next write opens the next one. */
  const writableRevision = (rca: RcaRecord): number =>
    rca.status === 'approved' || rca.status === 'rejected' ? rca.revision + 1 : rca.revision;

  const addVersion = (
    rca: RcaRecord,
    revision: number,
    version: Omit<RcaVersionRecord, 'version' | 'revision'>,
  ): void => {
    const last = rca.versions[rca.versions.length - 1];
    stmt.addVersion.run({
      ticketId: rca.ticketId,
      version: (last?.version ?? 0) + 1,
      revision,
      kind: version.kind,
      engine: version.engine,
      author: version.author,
      at: version.atMs,
      markdown: version.markdown,
    });
  };

  return {
    get,

    beginDraft(ticketId, tenantId, atMs) {
      return db.transaction(() => {
        const rca = get(ticketId);
        if (!rca) {
          stmt.insert.run(ticketId, tenantId, 'drafting', atMs);
          return mustGet(ticketId);
        }
        if (rca.status === 'drafting') return null;
        const revision = writableRevision(rca);
        const openedAt = revision === rca.revision ? rca.firstOpenedAtMs : null;
        stmt.setStatus.run('drafting', revision, openedAt, atMs, ticketId);
        return mustGet(ticketId);
      })();
    },

    completeDraft(ticketId, draft, atMs) {
      checkMarkdown(draft.markdown);
      return db.transaction(() => {
        const rca = mustGet(ticketId);
        addVersion(rca, rca.revision, {
          kind: 'draft',
          engine: draft.engine,
          author: draft.engine,
          atMs,
          markdown: draft.markdown,
        });
        stmt.drafted.run(
          draft.engine,
          draft.engineNote,
          JSON.stringify(draft.evidence),
          atMs,
          ticketId,
        );
        return mustGet(ticketId);
      })();
    },

    abandonDraft(ticketId, atMs) {
      db.transaction(() => {
        const rca = get(ticketId);
        if (!rca || rca.status !== 'drafting') return;
        if (rca.versions.length === 0) {
          stmt.remove.run(ticketId);
          return;
        }
        const reviewed = rca.reviews.find((r) => r.revision === rca.revision - 1);
        const inRevision = rca.versions.some((v) => v.revision === rca.revision);
        // A new revision with nothing in it yet goes back to the review that ended the last one.
        if (!inRevision && reviewed) {
          stmt.setStatus.run(reviewed.outcome, rca.revision - 1, null, atMs, ticketId);
        } else {
          stmt.setStatus.run('draft', rca.revision, rca.firstOpenedAtMs, atMs, ticketId);
        }
      })();
    },

    edit(ticketId, tenantId, input) {
      checkMarkdown(input.markdown);
      return db.transaction(() => {
        let rca = get(ticketId);
        if (!rca) {
          // A person writes the RCA without a draft (drafting off, or before one was asked for).
          stmt.insert.run(ticketId, tenantId, 'draft', input.atMs);
          rca = mustGet(ticketId);
        }
        if (rca.status === 'drafting') {
          throw new TicketError(
            'conflict',
            `ticket ${ticketId}'s RCA is being drafted; edit it once the draft is in`,
          );
        }
        const latest = rca.versions[rca.versions.length - 1]?.version ?? 0;
        if (input.baseVersion !== undefined && input.baseVersion !== latest) {
          throw new TicketError(
            'conflict',
            `the RCA is at version ${latest}, not ${input.baseVersion}: reload it and edit again`,
          );
        }
        const revision = writableRevision(rca);
        addVersion(rca, revision, {
          kind: 'edit',
          engine: null,
          author: input.author,
          atMs: input.atMs,
          markdown: input.markdown,
        });
        const openedAt = revision === rca.revision ? rca.firstOpenedAtMs : input.atMs;
        stmt.setStatus.run('draft', revision, openedAt ?? input.atMs, input.atMs, ticketId);
        return mustGet(ticketId);
      })();
    },

    review(ticketId, input) {
      if (input.reason.length > MAX_REVIEW_REASON_CHARS) {
        throw new TicketError(
          'too_large',
          `reason is ${input.reason.length} characters; at most ${MAX_REVIEW_REASON_CHARS} allowed`,
        );
      }
      return db.transaction(() => {
        const rca = mustGet(ticketId);
        if (rca.status !== 'draft') {
          throw new TicketError(
            'conflict',
            rca.status === 'drafting'
              ? `ticket ${ticketId}'s RCA is being drafted; review it once the draft is in`
              : `ticket ${ticketId}'s RCA is ${rca.status}; edit it or draft again to start a new review`,
          );
        }
        const inRevision = rca.versions.filter((v) => v.revision === rca.revision);
        const latest = inRevision[inRevision.length - 1];
        if (!latest) throw new TicketError('conflict', `ticket ${ticketId}'s RCA has no text`);
        if (input.version !== undefined && input.version !== latest.version) {
          throw new TicketError(
            'conflict',
            `the RCA is at version ${latest.version}, not ${input.version}: reload it and review again`,
          );
        }
        const draft = [...inRevision].reverse().find((v) => v.kind === 'draft') ?? null;
        const { editDistanceRatio } = input.figures(draft?.markdown ?? null, latest.markdown);
        const startedMs = rca.firstOpenedAtMs ?? inRevision[0]!.atMs;
        const review: RcaReviewRecord = {
          revision: rca.revision,
          version: latest.version,
          outcome: input.outcome,
          by: input.by,
          atMs: input.atMs,
          reason: input.reason,
          editDistanceRatio,
          reviewSeconds: Math.max(0, (input.atMs - startedMs) / 1000),
        };
        stmt.review.run({
          ticketId,
          revision: review.revision,
          version: review.version,
          outcome: review.outcome,
          by: review.by,
          at: review.atMs,
          reason: review.reason,
          ratio: review.editDistanceRatio,
          seconds: review.reviewSeconds,
        });
        stmt.setStatus.run(input.outcome, rca.revision, rca.firstOpenedAtMs, input.atMs, ticketId);
        return { rca: mustGet(ticketId), review };
      })();
    },

    markOpened(ticketId, atMs) {
      stmt.opened.run(atMs, ticketId);
    },

    drafting() {
      return (stmt.drafting.all() as { ticket_id: number; tenant_id: string }[]).map((r) => ({
        ticketId: r.ticket_id,
        tenantId: r.tenant_id,
      }));
    },
  };
}
