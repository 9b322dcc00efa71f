// The promotion gate: the one path for changes to what operators see or what a tenant costs.
// A promotion is evaluated by the bundle against the tenant's live figures; the promotion and its
// audit row are recorded by the ledger with the audit chain held (ledger.ts: console.db, or the
// cluster's PostgreSQL with --database), so no two writers ever fork the chain. Without --database
// the tenant's new settings commit in the same console.db transaction; with it they are written to
// PostgreSQL's tenants once the promotion is recorded.
import { performance } from 'node:perf_hooks';
import type {
  Decision,
  ImpactReport,
  PolicyReport,
  Promotion,
  PromotionEvaluation,
  PromotionKind,
  PromotionStatus,
  TenantSettingsChange,
} from '../../core/api/policy';
import type { Db } from '../storage/database';
import { listTenants } from '../tenants/tenant-store';
import type { TenantRecord, TenantSpec } from '../tenants/tenant-spec';
import { canonicalJson } from './audit';
import { applyChange, ChangeError, spinsOf, type AppliedChange } from './change';
import { policyContext, promotionFigures } from './context';
import { compileBundle, engineVersion, evaluatePolicies, type CompiledBundle } from './engine';
import { NO_RATES, type TenantRates } from './figures';
import { NO_POLICY_METRICS, type PolicyMetrics } from './metrics';
import { sqlitePolicyLedger, type PolicyLedger } from './ledger';
import { openPolicyTables } from './migrations';
import { toPromotion } from './promotion-store';
import type { Pricing } from './settings';

/** A request the gate refuses: its HTTP status and a message naming the fault. */
export class PromotionError extends Error {
  constructor(
    readonly status: 400 | 404 | 409,
    message: string,
  ) {
    super(message);
    this.name = 'PromotionError';
  }
}

export interface PromotionGateOptions {
  /** The tenants' database when there is no `tenantStore`, and the default ledger's. */
  db: Db;
  /** Where promotions and the audit chain are kept (default: console.db, `db`). */
  ledger?: PolicyLedger;
  bundle: CompiledBundle;
  pricing: Pricing;
  /** The tenant's rates now: the server's live metrics, or the CLI's none. */
  rates?: (tenant: string) => TenantRates;
  metrics?: PolicyMetrics;
  /** Told after a change is applied (the server reloads its tenant directory at once). */
  onApplied?: (tenant: string) => void;
  /**
   * Where tenant settings live when not in `db` (with --database: the cluster's PostgreSQL). The
   * promotion and its audit row commit in `db` first, then the settings are written here and
   * onApplied is told; a failed write is logged with the promotion's id.
   */
  tenantStore?: {
    tenants(): readonly TenantRecord[];
    write(spec: TenantSpec): Promise<boolean>;
    log(line: string): void;
  };
  now?: () => number;
}

export interface PromotionInput {
  tenant: string;
  kind: PromotionKind;
  change: TenantSettingsChange;
  /** Who asks, as recorded: `token:ID` or the CLI's user. */
  by: string;
  /** The Cedar principal: the token's or the user's name. */
  principal: string;
}

export interface PromotionGate {
  readonly bundle: CompiledBundle;
  /** Where promotions and the audit chain are kept. */
  readonly ledger: PolicyLedger;
  evaluate(input: PromotionInput): PromotionEvaluation;
  promote(input: PromotionInput): Promise<Promotion>;
  override(id: number, by: string, reason: string): Promise<Promotion>;
  get(id: number): Promise<Promotion | null>;
  list(options: {
    tenant?: string;
    limit: number;
    visible?: ReadonlySet<string>;
  }): Promise<Promotion[]>;
  report(tenant: string): PolicyReport;
  impact(policies: string, limit: number, visible: ReadonlySet<string>): Promise<ImpactReport>;
}

export function createPromotionGate(options: PromotionGateOptions): PromotionGate {
  const { db, bundle, pricing } = options;
  // console.db keeps the live rates the server shares with the admin CLI, whatever the ledger.
  openPolicyTables(db);
  const ledger = options.ledger ?? sqlitePolicyLedger(db, { settingsHere: !options.tenantStore });
  const metrics = options.metrics ?? NO_POLICY_METRICS;
  const rates = options.rates ?? (() => NO_RATES);
  const now = options.now ?? Date.now;

  const store = options.tenantStore;
  const currentTenants = (): readonly TenantRecord[] =>
    store ? store.tenants() : listTenants(db).tenants;
  const tenantRecord = (id: string): TenantRecord => {
    const found = currentTenants().find((t) => t.id === id);
    if (!found) throw new PromotionError(404, `no tenant "${id}"`);
    return found;
  };

  const timed = <T>(evaluate: () => T): T => {
    const started = performance.now();
    try {
      return evaluate();
    } finally {
      metrics.observeEvaluation((performance.now() - started) / 1000);
    }
  };

  const judge = (
    against: CompiledBundle,
    kind: string,
    applied: AppliedChange,
    principal: string,
  ) => {
    const figures = promotionFigures(applied, rates(applied.before.id), pricing);
    const context = policyContext(kind, applied, figures);
    const outcome = timed(() =>
      evaluatePolicies(against, { principal, tenant: applied.before.id, context }),
    );
    return { ...outcome, figures, context };
  };

  const applyOf = (before: TenantRecord, change: TenantSettingsChange): AppliedChange => {
    try {
      return applyChange(before, change);
    } catch (error) {
      if (error instanceof ChangeError) throw new PromotionError(400, error.message);
      throw error;
    }
  };

  const unchanged = (tenant: TenantRecord): AppliedChange => {
    let spins = 0;
    try {
      spins = spinsOf(tenant.source);
    } catch {
      // A trace that cannot be read has no size today; the projections then stay as they are.
    }
    return { before: tenant, after: tenant, fields: [], spinsBefore: spins, spinsAfter: spins };
  };

  const get = (id: number) => ledger.get(id);

  // The settings a committed promotion applies, written to the tenant store after the commit.
  const settle = (promotionId: number, tenant: string, after: TenantSpec | null): void => {
    if (!store || !after) {
      options.onApplied?.(tenant);
      return;
    }
    store.write(after).then(
      () => options.onApplied?.(tenant),
      (error: Error) =>
        store.log(
          `[policy] promotion ${promotionId} of ${tenant} was decided but its settings were not ` +
            `written: ${error.message}; promote it again`,
        ),
    );
  };

  const gate: PromotionGate = {
    bundle,
    ledger,
    evaluate(input) {
      const applied = applyOf(tenantRecord(input.tenant), input.change);
      const { decision, deciding, errors, figures } = judge(
        bundle,
        input.kind,
        applied,
        input.principal,
      );
      return { decision, deciding, errors, figures };
    },

    async promote(input) {
      let after: TenantSpec | null = null;
      const id = await ledger.promote(() => {
        const applied = applyOf(tenantRecord(input.tenant), input.change);
        const verdict = judge(bundle, input.kind, applied, input.principal);
        const at = new Date(now()).toISOString();
        const status: PromotionStatus = verdict.decision === 'allow' ? 'applied' : 'denied';
        after = status === 'applied' ? applied.after : null;
        return {
          promotion: {
            at,
            tenant: input.tenant,
            kind: input.kind,
            change: input.change,
            by: input.by,
            verdict,
            status,
          },
          audit: {
            kind: 'decision',
            at,
            actor: input.by,
            tenant: input.tenant,
            decision: verdict.decision,
            detail: {
              kind: input.kind,
              change: input.change,
              deciding: verdict.deciding.map((d) => d.id),
              errors: verdict.errors,
              applied: status === 'applied',
            },
          },
          after,
        };
      });
      const promotion = (await get(id))!;
      metrics.decided(promotion.decision, promotion.kind);
      if (promotion.status === 'applied') settle(id, promotion.tenant, after);
      return promotion;
    },

    async override(id, by, reason) {
      let after: TenantSpec | null = null;
      await ledger.override(id, (found) => {
        if (!found) throw new PromotionError(404, `no promotion ${id}`);
        const { promotion } = found;
        if (promotion.status !== 'denied') {
          throw new PromotionError(
            409,
            `promotion ${id} is ${promotion.status}: only a denial is overridden`,
          );
        }
        const current = tenantRecord(promotion.tenant);
        const applied = applyOf(current, promotion.change);
        // The change is applied to the settings it was judged on, or not at all.
        const decidedOn = found.context.change.before;
        const today = policyContext(promotion.kind, applied, promotion.figures).change.before;
        if (canonicalJson(decidedOn) !== canonicalJson(today)) {
          throw new PromotionError(
            409,
            `tenant "${promotion.tenant}" changed since promotion ${id} was decided: promote the change again`,
          );
        }
        const at = new Date(now()).toISOString();
        after = applied.after;
        return {
          override: { by, reason, at },
          audit: {
            kind: 'override',
            at,
            actor: by,
            tenant: promotion.tenant,
            decision: 'allow',
            detail: {
              reason,
              overrode: promotion.deciding.map((d) => d.id),
              change: promotion.change,
            },
          },
          after: applied.after,
        };
      });
      metrics.overridden();
      const promotion = (await get(id))!;
      settle(id, promotion.tenant, after);
      return promotion;
    },

    get,

    async list({ tenant, limit, visible }) {
      return (await ledger.rows({ tenant, limit, visible })).map(toPromotion);
    },

    report(tenant) {
      const record = tenantRecord(tenant);
      const verdict = judge(bundle, 'tenant-settings', unchanged(record), 'today');
      return {
        engine: engineVersion(),
        policies: [...bundle.policies],
        tenant,
        figures: verdict.figures,
        over:
          verdict.decision === 'deny'
            ? verdict.deciding.filter((d) => d.effect === 'forbid').map((d) => d.id)
            : [],
        context: verdict.context,
      };
    },

    async impact(policies, limit, visible) {
      // One cache slot for every analysis: the engine keeps what it parsed until the next one.
      const modified = compileBundle(
        policies,
        bundle.schema,
        { policies: 'the modified policies', schema: 'the bundle schema' },
        'impact-analysis',
      );
      const rows = await ledger.rows({ limit, visible });
      const flips = rows.flatMap((row) => {
        const outcome = timed(() =>
          evaluatePolicies(modified, {
            principal: row.by,
            tenant: row.tenant,
            context: JSON.parse(row.context) as Record<string, unknown>,
          }),
        );
        if (outcome.decision === row.decision) return [];
        return [
          {
            promotionId: row.id,
            tenant: row.tenant,
            createdAt: row.created_at,
            before: row.decision as Decision,
            after: outcome.decision,
            deciding: outcome.deciding,
          },
        ];
      });
      const today = currentTenants()
        .filter((t) => visible.has(t.id))
        .flatMap((t) => {
          const applied = unchanged(t);
          const was = judge(bundle, 'tenant-settings', applied, 'today');
          const modifiedVerdict = judge(modified, 'tenant-settings', applied, 'today');
          return was.decision === modifiedVerdict.decision
            ? []
            : [
                {
                  tenant: t.id,
                  before: was.decision,
                  after: modifiedVerdict.decision,
                  deciding: modifiedVerdict.deciding,
                },
              ];
        });
      return { evaluated: rows.length, flips, today };
    },
  };
  return gate;
}
