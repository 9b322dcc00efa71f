// Prometheus metrics of the server (DESIGN.md 4.2 names). One registry per server instance so
// tests can run several servers in one process.
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

/** Cumulative byte and frame counts of one tenant's sends, as plain numbers for the REST API. */
export interface BandwidthTotals {
  framesSent: number;
  bytesSent: number;
  /** What the same frames would have cost as raw u16 phases. */
  rawBytes: number;
  bytesSaved: number;
  framesSkipped: number;
  resyncs: number;
}

export interface BandwidthSample {
  /** Wall clock of the sample, ms since the epoch. */
  atMs: number;
  totals: BandwidthTotals;
}

export interface StreamMetrics {
  readonly totals: Readonly<BandwidthTotals>;
  clientConnected(): void;
  clientDisconnected(): void;
  frameSent(bytesSent: number, rawBytes: number): void;
  frameSkipped(): void;
  resync(): void;
}

export interface ServerMetrics {
  readonly registry: Registry;
  forTenant(tenantId: string): StreamMetrics;
  /** Samples of the tenant's totals, one a second, oldest first, over the last `windowS` seconds. */
  bandwidthSamples(tenantId: string, windowS: number): BandwidthSample[];
  /** Takes a sample of every tenant's totals (the server calls it once a second). */
  sampleBandwidth(atMs: number): void;
  protocolError(reason: string): void;
}

/** Ten minutes of one-second bandwidth samples per tenant. */
export const MAX_BANDWIDTH_SAMPLES = 600;

export function createServerMetrics(): ServerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const labelNames = ['tenant_id'] as const;
  const clients = new Gauge({
    name: 'ws_clients',
    help: 'WebSocket clients connected, per tenant stream',
    labelNames,
    registers: [registry],
  });
  const framesSent = new Counter({
    name: 'ws_frames_sent_total',
    help: 'Frame messages sent to clients',
    labelNames,
    registers: [registry],
  });
  const bytesSent = new Counter({
    name: 'ws_bytes_sent_total',
    help: 'Bytes of frame messages sent to clients',
    labelNames,
    registers: [registry],
  });
  const bytesSaved = new Counter({
    name: 'delta_bytes_saved_total',
    help: 'Bytes a raw u16 frame would have needed minus the bytes sent, summed over client sends',
    labelNames,
    registers: [registry],
  });
  const framesSkipped = new Counter({
    name: 'ws_frames_skipped_total',
    help: 'Frames not sent to a client because its socket buffer was over budget (back-off)',
    labelNames,
    registers: [registry],
  });
  const resyncs = new Counter({
    name: 'ws_resyncs_total',
    help: 'Resynchronisations (keyframe sent after a gap or a client request)',
    labelNames,
    registers: [registry],
  });
  const protocolErrors = new Counter({
    name: 'ws_protocol_errors_total',
    help: 'Client connections closed for a protocol error',
    labelNames: ['reason'],
    registers: [registry],
  });

  const perTenant = new Map<string, StreamMetrics>();
  const samples = new Map<string, BandwidthSample[]>();
  return {
    registry,
    sampleBandwidth(atMs) {
      for (const [tenantId, m] of perTenant) {
        let ring = samples.get(tenantId);
        if (!ring) samples.set(tenantId, (ring = []));
        ring.push({ atMs, totals: { ...m.totals } });
        if (ring.length > MAX_BANDWIDTH_SAMPLES) ring.shift();
      }
    },
    bandwidthSamples(tenantId, windowS) {
      const ring = samples.get(tenantId) ?? [];
      const last = ring[ring.length - 1];
      if (!last) return [];
      return ring.filter((s) => last.atMs - s.atMs <= windowS * 1000);
    },
    forTenant(tenantId) {
      let m = perTenant.get(tenantId);
      if (!m) {
        // Label children are resolved once: these counters move per frame per client.
        const c = clients.labels(tenantId);
        const sent = framesSent.labels(tenantId);
        const sentBytes = bytesSent.labels(tenantId);
        const saved = bytesSaved.labels(tenantId);
        const skipped = framesSkipped.labels(tenantId);
        const resynced = resyncs.labels(tenantId);
        const totals: BandwidthTotals = {
          framesSent: 0,
          bytesSent: 0,
          rawBytes: 0,
          bytesSaved: 0,
          framesSkipped: 0,
          resyncs: 0,
        };
        m = {
          totals,
          clientConnected: () => c.inc(),
          clientDisconnected: () => c.dec(),
          frameSent(bytes, rawBytes) {
            sent.inc();
            sentBytes.inc(bytes);
            totals.framesSent += 1;
            totals.bytesSent += bytes;
            totals.rawBytes += rawBytes;
            // Counted only when positive so the counter stays monotonic on incompressible frames.
            if (rawBytes > bytes) {
              saved.inc(rawBytes - bytes);
              totals.bytesSaved += rawBytes - bytes;
            }
          },
          frameSkipped: () => {
            skipped.inc();
            totals.framesSkipped += 1;
          },
          resync: () => {
            resynced.inc();
            totals.resyncs += 1;
          },
        };
        perTenant.set(tenantId, m);
      }
      return m;
    },
    protocolError(reason) {
      protocolErrors.labels(reason).inc();
    },
  };
}
