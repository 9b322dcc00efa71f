// The tenant's stream figures over a window, from what the server keeps in memory: the bandwidth
// counters sampled each second (bytes saved, frames skipped, resyncs), the clients' latency p95
// per second, and the detector's view (order parameter R, last frame). Samples reach back
// MAX_BANDWIDTH_SAMPLES seconds; a window older than that gives nulls, not guesses.
import type { RcaMetrics } from '../../core/api/rca';
import { isoTime } from '../../core/api/time';
import type { StreamHealth } from '../incidents/detector';
import { MAX_BANDWIDTH_SAMPLES, type ServerMetrics } from '../metrics';

export interface StreamFigureSources {
  metrics: Pick<ServerMetrics, 'bandwidthSamples' | 'latencySamples'>;
  health(): StreamHealth[];
  /** Clients watching the tenant's stream now; null when it has no stream. */
  clients(tenantId: string): number | null;
  sloMs(tenantId: string): number | null;
  now(): number;
}

const round = (value: number, digits: number): number => Number(value.toFixed(digits));

export function streamFigures(
  sources: StreamFigureSources,
  tenantId: string,
  fromMs: number,
  toMs: number,
): RcaMetrics {
  const nowMs = sources.now();
  const spanS = Math.min(MAX_BANDWIDTH_SAMPLES, Math.ceil((nowMs - fromMs) / 1000) + 1);
  const inWindow = <T extends { atMs: number }>(samples: T[]): T[] =>
    samples.filter((s) => s.atMs >= fromMs && s.atMs <= toMs);
  const bandwidth = inWindow(sources.metrics.bandwidthSamples(tenantId, spanS));
  const latency = inWindow(sources.metrics.latencySamples(tenantId, spanS));
  const first = bandwidth[0]?.totals;
  const last = bandwidth[bandwidth.length - 1]?.totals;
  const delta = (key: 'bytesSaved' | 'framesSkipped' | 'resyncs' | 'framesSent'): number | null =>
    first && last ? last[key] - first[key] : null;
  const weighted = latency.reduce((sum, s) => sum + s.p95Ms * s.count, 0);
  const count = latency.reduce((sum, s) => sum + s.count, 0);
  const health = sources.health().find((h) => h.tenantId === tenantId);
  const current = nowMs - toMs < 5000;
  return {
    from: isoTime(fromMs),
    to: isoTime(toMs),
    latencyP95MsWorst:
      latency.length > 0 ? round(Math.max(...latency.map((s) => s.p95Ms)), 3) : null,
    latencyP95MsMean: count > 0 ? round(weighted / count, 3) : null,
    sloMs: sources.sloMs(tenantId),
    bytesSaved: delta('bytesSaved'),
    framesSkipped: delta('framesSkipped'),
    resyncs: delta('resyncs'),
    framesSent: delta('framesSent'),
    // Clients and R are figures of now: stated only when now is the window's end.
    clients: current ? sources.clients(tenantId) : null,
    orderParameterR:
      current && health?.orderParameterR != null ? round(health.orderParameterR, 4) : null,
    lastFrameAt: health && health.lastFrameAtMs > 0 ? isoTime(health.lastFrameAtMs) : null,
  };
}
