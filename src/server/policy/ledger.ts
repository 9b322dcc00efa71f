// Where promotions and the audit chain are kept, behind one asynchronous interface: the data
// directory's console.db (one process and its admin CLI), or the cluster's PostgreSQL with
// --database (state/pg-policy.ts), where every gateway records into, and lists, one chain.
import type { AuditEntry, AuditVerification, Promotion } from '../../core/api/policy';
import type { Db } from '../storage/database';
import type { StateBackend } from '../state/tickets';
import { updateTenantSettings } from '../tenants/tenant-store';
import type { TenantSpec } from '../tenants/tenant-spec';
import { appendAudit, auditHead, listAudit, verifyAudit, type AuditAppend } from './audit';
import type { policyContext } from './context';
import { openPolicyTables } from './migrations';
import {
  insertPromotion,
  markOverridden,
  promotionById,
  promotionRows,
  recordedContext,
  type NewPromotion,
  type PromotionRow,
} from './promotion-store';

export type PolicyContext = ReturnType<typeof policyContext>;

/** What a promotion records: the promotion, its decision row, the settings it applies. */
export interface PromotionRecord {
  promotion: NewPromotion;
  audit: Omit<AuditAppend, 'promotionId'>;
  /** The tenant's new settings when the change is applied, else null. */
  after: TenantSpec | null;
}

/** What an override records. */
export interface OverrideRecord {
  override: { by: string; reason: string; at: string };
  audit: Omit<AuditAppend, 'promotionId'>;
  after: TenantSpec;
}

export interface PromotionFilter {
  tenant?: string;
  limit: number;
  visible?: ReadonlySet<string>;
}

export interface PolicyLedger {
  readonly backend: StateBackend;
  /**
   * Records a promotion and its decision row with the chain held: `decide` runs while no one else
   * can append, so two writers (gateways, the admin CLI) never chain onto the same row. What
   * `decide` throws is passed on and nothing is recorded. Resolves with the promotion's id.
   */
  promote(decide: () => PromotionRecord): Promise<number>;
  /**
   * Records an override with the chain held; `decide` is given the promotion and the context it
   * was judged on (null when there is no such promotion) and may throw to refuse.
   */
  override(
    id: number,
    decide: (found: { promotion: Promotion; context: PolicyContext } | null) => OverrideRecord,
  ): Promise<void>;
  get(id: number): Promise<Promotion | null>;
  /** Newest first. */
  rows(filter: PromotionFilter): Promise<PromotionRow[]>;
  /** The newest rows first, older than `beforeSeq` when given. */
  audit(options: { limit: number; beforeSeq?: number }): Promise<AuditEntry[]>;
  head(): Promise<{ seq: number; hash: string } | null>;
  verify(): Promise<AuditVerification>;
  close(): Promise<void>;
}

/**
 * The ledger in console.db. With `settingsHere` an applied change's settings are written in the
 * same IMMEDIATE transaction (the tenants live in this database too); without it the caller writes
 * them where they live.
 */
export function sqlitePolicyLedger(db: Db, options: { settingsHere: boolean }): PolicyLedger {
  openPolicyTables(db);
  const run = <T>(work: () => T): Promise<T> => {
    try {
      return Promise.resolve(work());
    } catch (error) {
      return Promise.reject(error as Error);
    }
  };
  return {
    backend: 'sqlite',
    promote: (decide) =>
      run(() =>
        db
          .transaction(() => {
            const record = decide();
            const promotionId = insertPromotion(db, record.promotion);
            appendAudit(db, { ...record.audit, promotionId });
            if (record.after && options.settingsHere) updateTenantSettings(db, record.after);
            return promotionId;
          })
          .immediate(),
      ),
    override: (id, decide) =>
      run(() =>
        db
          .transaction(() => {
            const promotion = promotionById(db, id);
            const record = decide(
              promotion ? { promotion, context: recordedContext(db, id) } : null,
            );
            markOverridden(db, id, record.override);
            appendAudit(db, { ...record.audit, promotionId: id });
            if (options.settingsHere) updateTenantSettings(db, record.after);
          })
          .immediate(),
      ),
    get: (id) => run(() => promotionById(db, id)),
    rows: (filter) => run(() => promotionRows(db, filter)),
    audit: (o) => run(() => listAudit(db, o)),
    head: () => run(() => auditHead(db)),
    verify: () => run(() => verifyAudit(db)),
    close: () => Promise.resolve(),
  };
}
