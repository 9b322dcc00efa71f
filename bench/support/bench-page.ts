// What the browser benchmarks' pages share: their query parameters, per-second counts, and
// publishing the result on the window global that bench/support/browser-bench.ts reads.
import type { BenchPageState } from './browser-bench';

export function integerParam(
  params: URLSearchParams,
  name: string,
  fallback: number,
  max: number,
): number {
  const raw = params.get(name);
  if (raw === null) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new Error(`${name}=${raw} is not an integer from 1 to ${max}`);
  }
  return value;
}

/** Stamps in each whole second from `fromMs`, over `seconds` seconds. */
export function perSecond(stampsMs: readonly number[], fromMs: number, seconds: number): number[] {
  const counts = Array.from({ length: seconds }, () => 0);
  for (const stamp of stampsMs) {
    const second = Math.floor((stamp - fromMs) / 1000);
    if (second >= 0 && second < seconds) counts[second]! += 1;
  }
  return counts;
}

/** Intervals between consecutive stamps, ms. */
export function intervals(stampsMs: readonly number[]): number[] {
  return stampsMs.slice(1).map((stamp, i) => stamp - stampsMs[i]!);
}

export function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

/**
 * Runs the page's benchmark and leaves its state on `window[name]` (running, the result, or the
 * error) and as text in the #status element.
 */
export function publishResult<T>(name: string, run: () => Promise<T>): void {
  const globals = window as unknown as Record<string, BenchPageState<T>>;
  const status = document.getElementById('status');
  globals[name] = { done: false };
  run().then(
    (result) => {
      globals[name] = { done: true, result };
      if (status) status.textContent = JSON.stringify(result, null, 2);
    },
    (error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      globals[name] = { error: message };
      if (status) status.textContent = `error: ${message}`;
    },
  );
}
