// The frame path's traffic over NATS, for Prometheus and the capacity figures (docs/SCALING.md):
// what a source publishes per tenant, what a gateway receives, and whether this process is the
// active source.
import { Counter, Gauge, type Registry } from 'prom-client';

export interface ClusterMetrics {
  published(tenant: string, bytes: number, withKey: boolean): void;
  received(tenant: string, bytes: number): void;
  setActiveSource(active: boolean): void;
}

export function createClusterMetrics(registry: Registry): ClusterMetrics {
  const registers = [registry];
  const published = new Counter({
    name: 'cluster_frames_published_total',
    help: 'Frame messages this source published on NATS',
    labelNames: ['tenant_id'],
    registers,
  });
  const publishedBytes = new Counter({
    name: 'cluster_frame_bytes_published_total',
    help: 'Bytes of frame messages this source published on NATS',
    labelNames: ['tenant_id'],
    registers,
  });
  const keys = new Counter({
    name: 'cluster_keyframes_published_total',
    help: 'Frame messages that carried a keyframe because a gateway asked for one',
    labelNames: ['tenant_id'],
    registers,
  });
  const received = new Counter({
    name: 'cluster_frames_received_total',
    help: 'Frame messages this gateway received from NATS',
    labelNames: ['tenant_id'],
    registers,
  });
  const receivedBytes = new Counter({
    name: 'cluster_frame_bytes_received_total',
    help: 'Bytes of frame messages this gateway received from NATS',
    labelNames: ['tenant_id'],
    registers,
  });
  const active = new Gauge({
    name: 'cluster_source_active',
    help: '1 while this process holds the source lease and publishes frames, else 0',
    registers,
  });
  return {
    published(tenant, bytes, withKey) {
      published.inc({ tenant_id: tenant });
      publishedBytes.inc({ tenant_id: tenant }, bytes);
      if (withKey) keys.inc({ tenant_id: tenant });
    },
    received(tenant, bytes) {
      received.inc({ tenant_id: tenant });
      receivedBytes.inc({ tenant_id: tenant }, bytes);
    },
    setActiveSource: (on) => active.set(on ? 1 : 0),
  };
}
