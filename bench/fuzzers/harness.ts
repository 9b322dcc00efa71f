// The fuzzers' harness: targets, reports, and the seeded generator of each case, derived from
// (seed, target, case index) so that one failing case reruns alone (`--index`).
import { createRng, type Rng } from '../../src/sim/rng';

export const TARGETS = ['trace', 'postmessage', 'http', 'ws'] as const;
export type Target = (typeof TARGETS)[number];

export interface FuzzFailure {
  target: Target;
  seed: string;
  index: number;
  input: string;
  problem: string;
}

export interface FuzzReport {
  target: Target;
  seed: string;
  cases: number;
  seconds: number;
  /** How the cases were answered (outcome -> count), so a run shows what it exercised. */
  outcomes: Record<string, number>;
  failures: FuzzFailure[];
  [figure: string]: unknown;
}

export interface FuzzOptions {
  seed: bigint;
  cases: number;
  /** Run only this case index. */
  index?: number;
}

const TARGET_SALT: Record<Target, bigint> = { trace: 1n, postmessage: 2n, http: 3n, ws: 4n };
const MASK64 = (1n << 64n) - 1n;

/** The generator of one case: independent of every other case, so `--index` reproduces it. */
export function caseRng(seed: bigint, target: Target, index: number): Rng {
  return createRng(
    (seed * 0x100000001b3n + TARGET_SALT[target] * 0x9e3779b97f4a7c15n + BigInt(index)) & MASK64,
  );
}

export function newReport(target: Target, options: FuzzOptions): FuzzReport {
  return { target, seed: String(options.seed), cases: 0, seconds: 0, outcomes: {}, failures: [] };
}

export function count(report: FuzzReport, outcome: string): void {
  report.outcomes[outcome] = (report.outcomes[outcome] ?? 0) + 1;
}

export function indices(options: FuzzOptions): number[] {
  if (options.index !== undefined) return [options.index];
  return Array.from({ length: options.cases }, (_v, i) => i);
}

/** Runs `one` over the cases with at most `parallel` in flight. */
export async function runCases(
  options: FuzzOptions,
  parallel: number,
  one: (index: number) => Promise<void>,
): Promise<void> {
  const queue = indices(options);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(parallel, queue.length) }, async () => {
      while (next < queue.length) await one(queue[next++]!);
    }),
  );
}
