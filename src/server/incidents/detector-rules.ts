// Detector rules are configuration: defaults here, overrides from a JSON file (KAIZEN_RULES) or
// an object, validated field by field so a typo fails the start instead of silencing a rule.
import { readRegularFile } from '../regular-file';
import { SEVERITIES, isSeverity, type Severity } from './types';

export interface StreamStalledRule {
  enabled: boolean;
  /** No frame for this long = stalled; the ticket opens within afterMs + one evaluation. */
  afterMs: number;
  severity: Severity;
}

export interface OrderParameterLowRule {
  enabled: boolean;
  /** Fires when the Kuramoto order parameter R stays below this (0..1)... */
  threshold: number;
  /** ...for this long. */
  forMs: number;
  /** R is computed on every Nth frame (12k spins cost ~15 us, but 60 per second add up). */
  sampleEveryFrames: number;
  severity: Severity;
}

/**
 * The latency rule judges what the server measures itself (each frame's fan-out, its share of the
 * latency) and what the tenant's clients report, but a client's reports only through the median of
 * at least `minClients` clients: one client, whatever it sends, cannot open the ticket.
 */
export interface LatencyAboveSloRule {
  enabled: boolean;
  /** 0.95 for p95. */
  quantile: number;
  /** The quantile is taken over the samples of this trailing window... */
  windowMs: number;
  /**
   * ...and not at all below this many samples (a handful of pings is not a p95): frames fanned out,
   * or latencies the clients reported in the seconds that count.
   */
  minSamples: number;
  /** A second of client reports counts only when at least this many clients reported in it. */
  minClients: number;
  /** Fires when the quantile stays above the tenant's SLO for this long. */
  forMs: number;
  /** SLO of tenants without their own (docs/ARCHITECTURE.md section 5: frame latency p95 < 7 ms). */
  defaultSloMs: number;
  severity: Severity;
}

export interface DetectorRules {
  /** How often the server evaluates the rules. */
  evaluationIntervalMs: number;
  streamStalled: StreamStalledRule;
  orderParameterLow: OrderParameterLowRule;
  latencyAboveSlo: LatencyAboveSloRule;
}

// The demo trace loops every 20 s with R between 0.008 and 0.195, so a 30 s duration keeps
// the R rule quiet on it while a live lattice that loses sync for half a minute fires.
export const DEFAULT_RULES: DetectorRules = {
  evaluationIntervalMs: 250,
  streamStalled: { enabled: true, afterMs: 2000, severity: 'critical' },
  orderParameterLow: {
    enabled: true,
    threshold: 0.05,
    forMs: 30_000,
    sampleEveryFrames: 6,
    severity: 'warning',
  },
  latencyAboveSlo: {
    enabled: true,
    quantile: 0.95,
    windowMs: 10_000,
    minSamples: 20,
    minClients: 2,
    forMs: 10_000,
    defaultSloMs: 7,
    severity: 'error',
  },
};

export class RulesError extends Error {
  constructor(message: string) {
    super(`[kaizen] ${message}`);
    this.name = 'RulesError';
  }
}

type Check = (value: unknown, path: string) => unknown;

const describe = (value: unknown): string => JSON.stringify(value)?.slice(0, 40) ?? String(value);

const number =
  (min: number, max: number, integer = false): Check =>
  (value, path) => {
    if (
      typeof value !== 'number' ||
      !Number.isFinite(value) ||
      value < min ||
      value > max ||
      (integer && !Number.isInteger(value))
    ) {
      throw new RulesError(
        `${path} must be ${integer ? 'an integer' : 'a number'} in [${min}, ${max}], got ${describe(value)}`,
      );
    }
    return value;
  };

const boolean: Check = (value, path) => {
  if (typeof value !== 'boolean') {
    throw new RulesError(`${path} must be true or false, got ${describe(value)}`);
  }
  return value;
};

const severity: Check = (value, path) => {
  if (typeof value !== 'string' || !isSeverity(value)) {
    throw new RulesError(`${path} must be one of ${SEVERITIES.join(', ')}, got ${describe(value)}`);
  }
  return value;
};

const HOUR_MS = 3_600_000;

const SHAPE = {
  evaluationIntervalMs: number(10, 60_000),
  streamStalled: { enabled: boolean, afterMs: number(100, HOUR_MS), severity },
  orderParameterLow: {
    enabled: boolean,
    threshold: number(0, 1),
    forMs: number(0, HOUR_MS),
    sampleEveryFrames: number(1, 10_000, true),
    severity,
  },
  latencyAboveSlo: {
    enabled: boolean,
    quantile: number(0.5, 1),
    windowMs: number(1000, HOUR_MS),
    minSamples: number(1, 100_000, true),
    minClients: number(2, 10_000, true),
    forMs: number(0, HOUR_MS),
    defaultSloMs: number(0.001, 60_000),
    severity,
  },
};

type Shape = { [key: string]: Check | Shape };

function merge(shape: Shape, defaults: object, input: unknown, path: string): object {
  if (input === undefined) return defaults;
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new RulesError(`${path} must be an object, got ${describe(input)}`);
  }
  const out: Record<string, unknown> = { ...defaults };
  for (const [key, value] of Object.entries(input)) {
    const field = shape[key];
    const fieldPath = `${path}.${key}`;
    if (field === undefined) {
      throw new RulesError(
        `${fieldPath} is not a rule setting (known: ${Object.keys(shape).join(', ')})`,
      );
    }
    out[key] =
      typeof field === 'function'
        ? field(value, fieldPath)
        : merge(field, (defaults as Record<string, object>)[key]!, value, fieldPath);
  }
  return out;
}

/** Defaults overridden by `input` (any subset of DetectorRules), every field checked. */
export function parseDetectorRules(input: unknown, where = 'rules'): DetectorRules {
  return merge(SHAPE, DEFAULT_RULES, input, where) as DetectorRules;
}

export function loadDetectorRules(file: string): DetectorRules {
  let text: string;
  try {
    // A regular file only: a FIFO here would hold the server's start forever.
    text = readRegularFile(file, 1024 * 1024);
  } catch (error) {
    throw new RulesError(`cannot read rules file ${file}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new RulesError(`${file} is not JSON: ${(error as Error).message}`);
  }
  return parseDetectorRules(json, file);
}
