// The policy audit log: every decision and override, append-only, each row's hash covering the
// previous row's hash and its own canonical content, so that a row edited or deleted in the
// database breaks the chain (`npm run admin -- audit verify`). Triggers refuse UPDATE and DELETE;
// someone who drops them to edit a row is caught by the chain, and a row cut off the end by the
// promotions that lost their record (or by a head hash kept elsewhere).
import { createHash } from 'node:crypto';
import type { AuditEntry, AuditVerification, Decision } from '../../core/api/policy';
import type { Db } from '../storage/database';

export const GENESIS_HASH = '0'.repeat(64);

/** One row of the chain as either backend stores it (detail as canonical JSON text). */
export interface AuditRow {
  seq: number;
  at: string;
  kind: string;
  actor: string;
  tenant: string;
  promotion_id: number;
  decision: string;
  detail: string;
  prev_hash: string;
  hash: string;
}

/** JSON with object keys sorted at every depth: one text for one content. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

type Content = Omit<AuditEntry, 'prevHash' | 'hash'>;

export function rowHash(prevHash: string, content: Content): string {
  return createHash('sha256')
    .update(`${prevHash}\n${canonicalJson(content)}`)
    .digest('hex');
}

function contentOf(row: AuditRow): { content: Content; detailFault: string | null } {
  let detail: Record<string, unknown> = {};
  let detailFault: string | null = null;
  try {
    detail = JSON.parse(row.detail) as Record<string, unknown>;
  } catch {
    detailFault = `row ${row.seq}: detail is not JSON`;
  }
  return {
    content: {
      seq: row.seq,
      at: row.at,
      kind: row.kind as AuditEntry['kind'],
      actor: row.actor,
      tenant: row.tenant,
      promotionId: row.promotion_id,
      decision: row.decision as Decision,
      detail,
    },
    detailFault,
  };
}

export function toEntry(row: AuditRow): AuditEntry {
  return { ...contentOf(row).content, prevHash: row.prev_hash, hash: row.hash };
}

export interface AuditAppend {
  kind: AuditEntry['kind'];
  actor: string;
  tenant: string;
  promotionId: number;
  decision: Decision;
  detail: Record<string, unknown>;
  at?: string;
}

/** The next row of the chain after `last` (null: the chain is empty), ready to insert. */
export function nextAuditRow(
  last: { seq: number; hash: string } | null,
  entry: AuditAppend,
): AuditRow {
  const content: Content = {
    seq: (last?.seq ?? 0) + 1,
    at: entry.at ?? new Date().toISOString(),
    kind: entry.kind,
    actor: entry.actor,
    tenant: entry.tenant,
    promotionId: entry.promotionId,
    decision: entry.decision,
    detail: JSON.parse(canonicalJson(entry.detail)) as Record<string, unknown>,
  };
  const prevHash = last?.hash ?? GENESIS_HASH;
  return {
    seq: content.seq,
    at: content.at,
    kind: content.kind,
    actor: content.actor,
    tenant: content.tenant,
    promotion_id: content.promotionId,
    decision: content.decision,
    detail: canonicalJson(content.detail),
    prev_hash: prevHash,
    hash: rowHash(prevHash, content),
  };
}

/**
 * Appends one row. Call inside an IMMEDIATE transaction (the promotion's), so that two processes
 * (the server and the admin CLI) never chain onto the same previous row.
 */
export function appendAudit(db: Db, entry: AuditAppend): AuditEntry {
  const row = nextAuditRow(auditHead(db), entry);
  db.prepare(
    `INSERT INTO policy_audit (seq, at, kind, actor, tenant, promotion_id, decision, detail, prev_hash, hash)
     VALUES (@seq, @at, @kind, @actor, @tenant, @promotion_id, @decision, @detail, @prev_hash, @hash)`,
  ).run(row);
  return toEntry(row);
}

export function auditHead(db: Db): { seq: number; hash: string } | null {
  return (
    (db.prepare('SELECT seq, hash FROM policy_audit ORDER BY seq DESC LIMIT 1').get() as
      { seq: number; hash: string } | undefined) ?? null
  );
}

/** The newest rows first, older than `beforeSeq` when given. */
export function listAudit(db: Db, options: { limit: number; beforeSeq?: number }): AuditEntry[] {
  const rows = db
    .prepare(`SELECT * FROM policy_audit WHERE seq < ? ORDER BY seq DESC LIMIT ?`)
    .all(options.beforeSeq ?? Number.MAX_SAFE_INTEGER, options.limit) as AuditRow[];
  return rows.map(toEntry);
}

/**
 * Walks the whole chain, fed its rows in order of seq: sequence numbers without gaps from 1, each
 * row's previous hash the hash of the row before, each hash recomputed from the row's content;
 * then every promotion must have its decision row, and every overridden one its override row.
 */
export class ChainCheck {
  private readonly problems: string[] = [];
  private prevHash = GENESIS_HASH;
  private expectedSeq = 1;
  private rows = 0;
  private head: AuditVerification['head'] = null;
  private readonly recorded = new Set<string>();

  row(row: AuditRow): void {
    const { problems } = this;
    this.rows += 1;
    if (row.seq !== this.expectedSeq) {
      problems.push(
        row.seq > this.expectedSeq
          ? `rows ${this.expectedSeq}..${row.seq - 1} are missing (deleted)`
          : `row ${row.seq} is out of order`,
      );
    }
    if (row.prev_hash !== this.prevHash) {
      problems.push(`row ${row.seq}: its previous hash does not match row ${row.seq - 1}'s hash`);
    }
    const { content, detailFault } = contentOf(row);
    if (detailFault) problems.push(detailFault);
    if (rowHash(row.prev_hash, content) !== row.hash) {
      problems.push(`row ${row.seq}: its content does not match its hash (edited)`);
    }
    this.recorded.add(`${row.kind}:${row.promotion_id}`);
    this.prevHash = row.hash;
    this.expectedSeq = row.seq + 1;
    this.head = { seq: row.seq, hash: row.hash };
  }

  /** The verdict, given every promotion's id and status. */
  finish(promotions: readonly { id: number; status: string }[]): AuditVerification {
    const { problems, recorded } = this;
    for (const p of promotions) {
      if (!recorded.has(`decision:${p.id}`)) {
        problems.push(`promotion ${p.id} has no decision row (deleted)`);
      }
      if (p.status === 'overridden' && !recorded.has(`override:${p.id}`)) {
        problems.push(`promotion ${p.id} was overridden but has no override row (deleted)`);
      }
    }
    return { ok: problems.length === 0, rows: this.rows, head: this.head, problems };
  }
}

export function verifyAudit(db: Db): AuditVerification {
  const check = new ChainCheck();
  for (const row of db
    .prepare('SELECT * FROM policy_audit ORDER BY seq')
    .iterate() as IterableIterator<AuditRow>) {
    check.row(row);
  }
  return check.finish(
    db.prepare('SELECT id, status FROM promotions ORDER BY id').all() as {
      id: number;
      status: string;
    }[],
  );
}
