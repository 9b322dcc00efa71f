// The policy gate (docs/POLICY.md, docs/API.md "Promotions and policy"): a change to a tenant's
// settings is a promotion, evaluated by the policy bundle against live figures, applied when
// allowed, overridable by an admin with a reason, and recorded in a hash-chained audit log.

/** What a promotion changes. Future rollouts add kinds here. */
export const PROMOTION_KINDS = ['tenant-settings'] as const;
export type PromotionKind = (typeof PROMOTION_KINDS)[number];

/** A tenant-settings change: only the fields given change. */
export interface TenantSettingsChange {
  /** p95 latency objective, ms. */
  sloMs?: number;
  visibility?: 'public' | 'private';
  /** Spins below which the app draws on the CPU canvas; null: the server's --gpu-threshold. */
  gpuThreshold?: number | null;
  /** A live tenant's lattice size. */
  lattice?: { width: number; height: number };
  /** A replay tenant's trace file (its version), a path on the server. */
  trace?: string;
}

export interface PromotionRequest {
  tenant: string;
  kind: PromotionKind;
  change: TenantSettingsChange;
}

/** A policy that took part in a decision: those that decided it, with their messages. */
export interface DecidingPolicy {
  id: string;
  effect: 'permit' | 'forbid';
  message: string;
}

/** The live figures a decision was taken on, now and projected for the change. */
export interface PromotionFigures {
  latency: {
    /** Whether clients reported enough seconds of latency to judge by. */
    measured: boolean;
    /** p95 over the window of the per-second p95 figures, ms; null when not measured. */
    p95Ms: number | null;
    projectedP95Ms: number | null;
    /** The SLO after the change, ms. */
    sloMs: number;
  };
  cost: {
    egressUsdPerDay: number;
    projectedEgressUsdPerDay: number;
    usdPerGb: number;
  };
  carbon: {
    cpuSecondsPerDay: number;
    projectedCpuSecondsPerDay: number;
    gramsPerDay: number;
    projectedGramsPerDay: number;
    wattsPerCore: number;
    gridGramsPerKwh: number;
  };
  /** Spins before and after the change (the projections scale with their ratio). */
  spinsBefore: number;
  spinsAfter: number;
  /** Seconds of history the figures cover. */
  windowS: number;
}

export type Decision = 'allow' | 'deny';

export interface PromotionEvaluation {
  decision: Decision;
  /** The policies that decided: forbids for a denial, permits for an allowance. */
  deciding: DecidingPolicy[];
  /** Evaluation errors (a policy that failed to evaluate denies: the gate fails closed). */
  errors: string[];
  figures: PromotionFigures;
}

export type PromotionStatus = 'applied' | 'denied' | 'overridden';

export interface Promotion extends PromotionEvaluation {
  id: number;
  tenant: string;
  kind: PromotionKind;
  change: TenantSettingsChange;
  /** ISO 8601 UTC. */
  createdAt: string;
  /** Who asked: `token:ID` or the admin CLI's user. */
  by: string;
  status: PromotionStatus;
  override: { by: string; reason: string; at: string } | null;
}

export interface PromotionList {
  promotions: Promotion[];
}

export interface OverrideRequest {
  reason: string;
}

export const MIN_OVERRIDE_REASON_CHARS = 10;
export const MAX_OVERRIDE_REASON_CHARS = 2000;

/** One policy of the bundle, as the policy view lists it. */
export interface PolicySummary {
  id: string;
  effect: 'permit' | 'forbid';
  message: string;
  /** The figure it bounds (a context path like `cost.projectedEgressMilliUsdPerDay`), if any. */
  figure: string | null;
  /** Its budget as written in the bundle's `@budget` annotation, for people. */
  budget: string | null;
  text: string;
}

export interface PolicyReport {
  engine: string;
  policies: PolicySummary[];
  tenant: string;
  /** Today's figures of the tenant, with no change. */
  figures: PromotionFigures;
  /** Forbid policies today's figures already break (a no-change promotion would be denied). */
  over: string[];
  /** Today's request context as the policies read it (their `@figure` paths point into it). */
  context: Record<string, unknown>;
}

export interface AuditEntry {
  seq: number;
  at: string;
  kind: 'decision' | 'override';
  actor: string;
  tenant: string;
  promotionId: number;
  decision: Decision;
  /** What was decided on: the change, the deciding policies, the reason of an override. */
  detail: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

export interface AuditPage {
  entries: AuditEntry[];
  /** The newest row: keep its hash elsewhere to detect rows cut off the end. */
  head: { seq: number; hash: string } | null;
}

export interface AuditVerification {
  ok: boolean;
  rows: number;
  head: { seq: number; hash: string } | null;
  problems: string[];
}

export interface ImpactRequest {
  /** The modified bundle's policies, Cedar text. */
  policies: string;
  /** How many recent promotions to evaluate it against (default 50). */
  limit?: number;
}

export interface ImpactFlip {
  promotionId: number;
  tenant: string;
  createdAt: string;
  before: Decision;
  after: Decision;
  deciding: DecidingPolicy[];
}

export interface ImpactReport {
  evaluated: number;
  flips: ImpactFlip[];
  /** Today's figures of each tenant the caller may see, with no change: decisions that flip. */
  today: { tenant: string; before: Decision; after: Decision; deciding: DecidingPolicy[] }[];
}
