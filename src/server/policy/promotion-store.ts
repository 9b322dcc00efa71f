// The promotions table: what was asked, the context it was judged on (kept so that a modified
// bundle can be weighed against it), the decision and what came of it.
import type {
  Decision,
  DecidingPolicy,
  Promotion,
  PromotionFigures,
  PromotionKind,
  PromotionStatus,
  TenantSettingsChange,
} from '../../core/api/policy';
import type { Db } from '../storage/database';
import { canonicalJson } from './audit';
import type { policyContext } from './context';

export interface PromotionRow {
  id: number;
  created_at: string;
  tenant: string;
  kind: string;
  change: string;
  by: string;
  decision: string;
  deciding: string;
  errors: string;
  figures: string;
  context: string;
  status: string;
  override_by: string | null;
  override_reason: string | null;
  override_at: string | null;
}

export function toPromotion(row: PromotionRow): Promotion {
  return {
    id: row.id,
    tenant: row.tenant,
    kind: row.kind as PromotionKind,
    change: JSON.parse(row.change) as TenantSettingsChange,
    createdAt: row.created_at,
    by: row.by,
    decision: row.decision as Decision,
    deciding: JSON.parse(row.deciding) as DecidingPolicy[],
    errors: JSON.parse(row.errors) as string[],
    figures: JSON.parse(row.figures) as PromotionFigures,
    status: row.status as PromotionStatus,
    override:
      row.override_by !== null
        ? { by: row.override_by, reason: row.override_reason ?? '', at: row.override_at ?? '' }
        : null,
  };
}

export interface NewPromotion {
  at: string;
  tenant: string;
  kind: PromotionKind;
  change: TenantSettingsChange;
  by: string;
  verdict: {
    decision: Decision;
    deciding: DecidingPolicy[];
    errors: string[];
    figures: PromotionFigures;
    context: ReturnType<typeof policyContext>;
  };
  status: PromotionStatus;
}

/**
 * A promotion's stored values, in the column order (created_at, tenant, kind, change, by,
 * decision, deciding, errors, figures, context, status) of both backends.
 */
export function promotionValues(p: NewPromotion): (string | number)[] {
  return [
    p.at,
    p.tenant,
    p.kind,
    canonicalJson(p.change),
    p.by,
    p.verdict.decision,
    JSON.stringify(p.verdict.deciding),
    JSON.stringify(p.verdict.errors),
    JSON.stringify(p.verdict.figures),
    canonicalJson(p.verdict.context),
    p.status,
  ];
}

/** Inserts a promotion; its id. */
export function insertPromotion(db: Db, p: NewPromotion): number {
  return Number(
    db
      .prepare(
        `INSERT INTO promotions (created_at, tenant, kind, change, by, decision, deciding,
           errors, figures, context, status)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(...promotionValues(p)).lastInsertRowid,
  );
}

export function markOverridden(
  db: Db,
  id: number,
  override: { by: string; reason: string; at: string },
): void {
  db.prepare(
    `UPDATE promotions SET status = 'overridden', override_by = ?, override_reason = ?,
       override_at = ? WHERE id = ?`,
  ).run(override.by, override.reason, override.at, id);
}

export function promotionById(db: Db, id: number): Promotion | null {
  const row = db.prepare('SELECT * FROM promotions WHERE id = ?').get(id) as
    PromotionRow | undefined;
  return row ? toPromotion(row) : null;
}

/** The request context a promotion was judged on. */
export function recordedContext(db: Db, id: number): ReturnType<typeof policyContext> {
  return JSON.parse(
    db.prepare('SELECT context FROM promotions WHERE id = ?').pluck().get(id) as string,
  ) as ReturnType<typeof policyContext>;
}

/** Newest first, of one tenant or of those `visible` lets through (every tenant without it). */
export function promotionRows(
  db: Db,
  filter: { tenant?: string; limit: number; visible?: ReadonlySet<string> },
): PromotionRow[] {
  return db
    .prepare(
      `SELECT * FROM promotions
       WHERE (@tenant IS NULL OR tenant = @tenant)
         AND (@visible IS NULL OR tenant IN (SELECT value FROM json_each(@visible)))
       ORDER BY id DESC LIMIT @limit`,
    )
    .all({
      tenant: filter.tenant ?? null,
      visible: filter.visible ? JSON.stringify([...filter.visible]) : null,
      limit: filter.limit,
    }) as PromotionRow[];
}
