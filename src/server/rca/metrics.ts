// The RCA's Prometheus metrics (docs/ARCHITECTURE.md 4.5): whether the evidence got its log
// lines, how long a draft takes, how much reviewers rewrite, and how reviews end.
import { Counter, Histogram, type Registry } from 'prom-client';
import type { LogCaptureResult, RcaEngine, RcaReviewOutcome } from '../../core/api/rca';
import { LOG_CAPTURE_RESULTS, RCA_ENGINES, RCA_REVIEW_OUTCOMES } from '../../core/api/rca';

export interface RcaMetrics {
  logCapture(result: LogCaptureResult): void;
  drafted(engine: RcaEngine, seconds: number): void;
  reviewed(outcome: RcaReviewOutcome, reviewSeconds: number | null, ratio: number | null): void;
}

/** Seconds: a built-in draft takes milliseconds, a model on a CPU a minute or more. */
export const DRAFT_BUCKETS_S = [0.01, 0.05, 0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300];
/** Seconds: a glance and approve, to a review left over a weekend. */
export const REVIEW_BUCKETS_S = [10, 30, 60, 120, 300, 600, 1800, 3600, 14_400, 86_400, 259_200];
export const RATIO_BUCKETS = [0, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9, 1];

export function createRcaMetrics(registry: Registry): RcaMetrics {
  const capture = new Counter({
    name: 'rca_log_capture_total',
    help: 'RCA evidence collections by whether the tenant log lines of the 60 s before the ticket were captured',
    labelNames: ['result'],
    registers: [registry],
  });
  const draft = new Histogram({
    name: 'rca_draft_seconds',
    help: 'RCA pipeline time: evidence collected to draft stored, by the engine that wrote it',
    labelNames: ['engine'],
    buckets: DRAFT_BUCKETS_S,
    registers: [registry],
  });
  const ratio = new Histogram({
    name: 'rca_edit_distance_ratio',
    help: 'Word-level edit distance from an RCA draft to the approved text, over the longer text',
    buckets: RATIO_BUCKETS,
    registers: [registry],
  });
  const reviews = new Counter({
    name: 'rca_reviews_total',
    help: 'RCA reviews by outcome',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const reviewSeconds = new Histogram({
    name: 'rca_review_seconds',
    help: 'Editor time of an RCA review: first open of the draft to approval or rejection',
    labelNames: ['outcome'],
    buckets: REVIEW_BUCKETS_S,
    registers: [registry],
  });
  // Every label value present from the start, so rate() and absent() work before the first event.
  for (const result of LOG_CAPTURE_RESULTS) capture.inc({ result }, 0);
  for (const outcome of RCA_REVIEW_OUTCOMES) reviews.inc({ outcome }, 0);
  for (const engine of RCA_ENGINES) draft.zero({ engine });
  return {
    logCapture: (result) => capture.inc({ result }),
    drafted: (engine, seconds) => draft.observe({ engine }, seconds),
    reviewed(outcome, seconds, editRatio) {
      reviews.inc({ outcome });
      if (seconds !== null) reviewSeconds.observe({ outcome }, seconds);
      if (outcome === 'approved' && editRatio !== null) ratio.observe(editRatio);
    },
  };
}
