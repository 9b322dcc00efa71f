// The policy gate's Prometheus metrics (docs/ARCHITECTURE.md 4.5).
import { Counter, Histogram, type Registry } from 'prom-client';
import { PROMOTION_KINDS } from '../../core/api/policy';

export interface PolicyMetrics {
  /** A promotion decided (dry runs are not decisions). */
  decided(decision: 'allow' | 'deny', kind: string): void;
  overridden(): void;
  /** One bundle evaluation, dry runs and impact analysis included. */
  observeEvaluation(seconds: number): void;
}

export const NO_POLICY_METRICS: PolicyMetrics = {
  decided: () => {},
  overridden: () => {},
  observeEvaluation: () => {},
};

export function registerPolicyMetrics(registry: Registry): PolicyMetrics {
  const decisions = new Counter({
    name: 'policy_decisions_total',
    help: 'Promotions decided by the policy bundle, by decision and kind',
    labelNames: ['decision', 'kind'] as const,
    registers: [registry],
  });
  // Present at zero from the start, so a rate over them is defined before the first promotion.
  for (const kind of PROMOTION_KINDS) {
    for (const decision of ['allow', 'deny']) decisions.labels(decision, kind);
  }
  const overrides = new Counter({
    name: 'policy_overrides_total',
    help: 'Denied promotions an admin overrode with a reason',
    registers: [registry],
  });
  const evaluation = new Histogram({
    name: 'policy_evaluation_seconds',
    help: 'Time one evaluation of the policy bundle takes',
    buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1],
    registers: [registry],
  });
  return {
    decided: (decision, kind) => decisions.labels(decision, kind).inc(),
    overridden: () => overrides.inc(),
    observeEvaluation: (seconds) => evaluation.observe(seconds),
  };
}
