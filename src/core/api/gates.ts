// The decision gates (docs/API.md, "Decision gates"): GET /api/gates answers each gate with each
// condition's live value, threshold and verdict; the Gates panel and the tests read it. The SDK
// demand records are the wire-format gate's third condition.
import type { ObserverStatus } from './observer';

/** `no_data`: nothing to judge by yet (no latency reports, no baseline or band). */
export type Verdict = 'met' | 'not_met' | 'no_data';

export interface GateMeasure {
  /** What is measured, for a person: "p95 frame latency, worst tenant". */
  name: string;
  /** null without data. */
  value: number | null;
  unit: 'ms' | 'tickets/day' | 'clients' | 'bytes/s' | 'cores' | 'records';
  comparator: '<' | '>=' | '>' | 'within';
  /** A bound, or for `within` the inclusive range. */
  threshold: number | { low: number; high: number };
  verdict: Verdict;
}

export interface GateCondition {
  id: string;
  title: string;
  /** met when any of its measures is met (one measure for most conditions). */
  verdict: Verdict;
  measures: GateMeasure[];
  /** Where the figures come from and over what window, in a sentence. */
  detail: string;
}

export interface Gate {
  id: 'phase-0' | 'wire-format';
  title: string;
  /** Conditions that must be met for the gate to be met. */
  requires: number;
  verdict: Verdict;
  /** What a met gate means. */
  decision: string;
  conditions: GateCondition[];
}

/** GET /api/gates. */
export interface GatesReport {
  /** ISO 8601 UTC. */
  at: string;
  gates: Gate[];
  observer: ObserverStatus;
  /** Per tenant the caller may see: the p95 the latency condition judged. */
  latencyByTenant: { tenant: string; p95Ms: number | null; samples: number }[];
}

export const SDK_LANGUAGES = ['rust', 'go', 'python', 'java', 'other'] as const;
export type SdkLanguage = (typeof SDK_LANGUAGES)[number];

export interface SdkDemandRecord {
  id: number;
  sdk: SdkLanguage;
  reason: string;
  recordedBy: string;
  recordedAt: string;
}

/** GET /api/gates/sdk-demand. */
export interface SdkDemandList {
  records: SdkDemandRecord[];
}

/** POST /api/gates/sdk-demand (admin). */
export interface SdkDemandInput {
  sdk: SdkLanguage;
  /** Who asks and why: at least 10 characters. */
  reason: string;
}
