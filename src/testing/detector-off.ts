// The detector with every rule off, for a test server whose only tickets must be the test's: a
// slow start on a busy machine would otherwise open a stalled-stream ticket of its own.
import { DEFAULT_RULES } from '../server/incidents/detector-rules';
import type { DetectorRules } from '../server/incidents/detector-rules';

const off = { enabled: false };

export const DETECTOR_OFF: DetectorRules = {
  ...DEFAULT_RULES,
  streamStalled: { ...DEFAULT_RULES.streamStalled, ...off },
  orderParameterLow: { ...DEFAULT_RULES.orderParameterLow, ...off },
  latencyAboveSlo: { ...DEFAULT_RULES.latencyAboveSlo, ...off },
};
