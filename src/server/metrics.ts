// Prometheus metrics of the server (DESIGN.md 4.2 names). One registry per server instance so
// tests can run several servers in one process.
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

export interface StreamMetrics {
  clientConnected(): void;
  clientDisconnected(): void;
  frameSent(bytesSent: number, rawBytes: number): void;
  frameSkipped(): void;
  resync(): void;
}

export interface ServerMetrics {
  readonly registry: Registry;
  forTenant(tenantId: string): StreamMetrics;
  protocolError(reason: string): void;
}

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
  return {
    registry,
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
        m = {
          clientConnected: () => c.inc(),
          clientDisconnected: () => c.dec(),
          frameSent(bytes, rawBytes) {
            sent.inc();
            sentBytes.inc(bytes);
            // Counted only when positive so the counter stays monotonic on incompressible frames.
            if (rawBytes > bytes) saved.inc(rawBytes - bytes);
          },
          frameSkipped: () => skipped.inc(),
          resync: () => resynced.inc(),
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
