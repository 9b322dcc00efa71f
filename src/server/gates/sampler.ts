// What the decision gates judge the process by, sampled once a second over a trailing window:
// WebSocket clients, bytes sent and the codec's time (cumulative counts, differenced on read).
import type { ProcessTotals } from '../metrics';

export interface GateSample {
  atMs: number;
  clients: number;
  totals: ProcessTotals;
}

export interface GateSampler {
  sample(atMs: number, clients: number, totals: ProcessTotals): void;
  /** Samples of the last `windowS` seconds, oldest first. */
  window(windowS: number): GateSample[];
}

export const GATE_WINDOW_S = 600;

export function createGateSampler(maxSamples = GATE_WINDOW_S + 1): GateSampler {
  const ring: GateSample[] = [];
  return {
    sample(atMs, clients, totals) {
      ring.push({ atMs, clients, totals: { ...totals } });
      if (ring.length > maxSamples) ring.shift();
    },
    window(windowS) {
      const last = ring[ring.length - 1];
      if (!last) return [];
      return ring.filter((s) => last.atMs - s.atMs <= windowS * 1000);
    },
  };
}
