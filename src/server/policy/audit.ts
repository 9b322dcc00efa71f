// The policy audit log: every decision and override, append-only, each row's hash covering the
// previous row's hash and its own canonical content, so that a row edited or deleted in the
// database breaks the chain (`npm run admin -- audit verify`). Triggers refuse UPDATE and DELETE;
// someone who drops them to edit a row is caught by the chain, and a row cut off the end by the
// promotions that lost their record (or by a head hash kept elsewhere).
import { createHash } from 'node:crypto';
import type { AuditEntry, AuditVerification, Decision } from '../../core/api/policy';
import type { Db } from '../storage/database';

export const GENESIS_HASH = '0'.repeat(64);

interface AuditRow {
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

function toEntry(row: AuditRow): AuditEntry {
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

/**
 * Appends one row. Call inside an IMMEDIATE transaction (the promotion's), so that two processes
 * (the server and the admin CLI) never chain onto the same previous row.
 */
export function appendAudit(db: Db, entry: AuditAppend): AuditEntry {
  const last = db.prepare('SELECT seq, hash FROM policy_audit ORDER BY seq DESC LIMIT 1').get() as
    { seq: number; hash: string } | undefined;
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
  const hash = rowHash(prevHash, content);
  db.prepare(
    `INSERT INTO policy_audit (seq, at, kind, actor, tenant, promotion_id, decision, detail, prev_hash, hash)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    content.seq,
    content.at,
    content.kind,
    content.actor,
    content.tenant,
    content.promotionId,
    content.decision,
    canonicalJson(content.detail),
    prevHash,
    hash,
  );
  return { ...content, prevHash, hash };
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
 * Walks the whole chain: sequence numbers without gaps from 1, each row's previous hash the hash of
 * the row before, each hash recomputed from the row's content; then every promotion must have its
 * decision row, and every overridden one its override row.
 */
export function verifyAudit(db: Db): AuditVerification {
  const problems: string[] = [];
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  let rows = 0;
  let head: AuditVerification['head'] = null;
  const recorded = new Set<string>();
  for (const row of db
    .prepare('SELECT * FROM policy_audit ORDER BY seq')
    .iterate() as IterableIterator<AuditRow>) {
    rows += 1;
    if (row.seq !== expectedSeq) {
      problems.push(
        row.seq > expectedSeq
          ? `rows ${expectedSeq}..${row.seq - 1} are missing (deleted)`
          : `row ${row.seq} is out of order`,
      );
    }
    if (row.prev_hash !== prevHash) {
      problems.push(`row ${row.seq}: its previous hash does not match row ${row.seq - 1}'s hash`);
    }
    const { content, detailFault } = contentOf(row);
    if (detailFault) problems.push(detailFault);
    if (rowHash(row.prev_hash, content) !== row.hash) {
      problems.push(`row ${row.seq}: its content does not match its hash (edited)`);
    }
    recorded.add(`${row.kind}:${row.promotion_id}`);
    prevHash = row.hash;
    expectedSeq = row.seq + 1;
    head = { seq: row.seq, hash: row.hash };
  }
  const promotions = db.prepare('SELECT id, status FROM promotions ORDER BY id').all() as {
    id: number;
    status: string;
  }[];
  for (const p of promotions) {
    if (!recorded.has(`decision:${p.id}`)) {
      problems.push(`promotion ${p.id} has no decision row (deleted)`);
    }
    if (p.status === 'overridden' && !recorded.has(`override:${p.id}`)) {
      problems.push(`promotion ${p.id} was overridden but has no override row (deleted)`);
    }
  }
  return { ok: problems.length === 0, rows, head, problems };
}
