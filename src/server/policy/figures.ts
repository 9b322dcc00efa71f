// Live figures of a tenant for the policy gate: the latency its clients report, the bytes it sends
// and the CPU its encoder spends, over the server's last ten minutes of one-second samples.
import type { ServerMetrics } from '../metrics';

/** A tenant's rates now, before any change. */
export interface TenantRates {
  /** p95 of the per-second latency figures over the window, ms; null under MIN_LATENCY_SECONDS. */
  latencyP95Ms: number | null;
  egressBytesPerS: number;
  encodeCpuMsPerS: number;
  /** Seconds the rates cover. */
  windowS: number;
}

export const FIGURES_WINDOW_S = 600;
/** Seconds of client latency reports needed before the latency budget judges a tenant. */
export const MIN_LATENCY_SECONDS = 10;

export const NO_RATES: TenantRates = {
  latencyP95Ms: null,
  egressBytesPerS: 0,
  encodeCpuMsPerS: 0,
  windowS: 0,
};

function p95(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)]!;
}

export function liveRates(metrics: ServerMetrics, tenant: string): TenantRates {
  const latency = metrics.latencySamples(tenant, FIGURES_WINDOW_S).map((s) => s.p95Ms);
  const samples = metrics.bandwidthSamples(tenant, FIGURES_WINDOW_S);
  const first = samples[0];
  const last = samples[samples.length - 1];
  const windowS = first && last ? (last.atMs - first.atMs) / 1000 : 0;
  return {
    latencyP95Ms: latency.length >= MIN_LATENCY_SECONDS ? p95(latency) : null,
    egressBytesPerS: windowS > 0 ? (last!.totals.bytesSent - first!.totals.bytesSent) / windowS : 0,
    encodeCpuMsPerS:
      windowS > 0 ? (last!.totals.encodeCpuMs - first!.totals.encodeCpuMs) / windowS : 0,
    windowS,
  };
}
