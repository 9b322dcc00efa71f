// Prometheus metrics of the server (names: docs/ARCHITECTURE.md 4.5). One registry per server instance so
// tests can run several servers in one process.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { percentile } from '../core/stats';
import { bucketOf, type LatencyHistogram } from './latency-histogram';
import { PanelHistory, type HistoryPoint } from './panel-history';

/** Cumulative byte and frame counts of one tenant's sends, as plain numbers for the REST API. */
export interface BandwidthTotals {
  framesSent: number;
  bytesSent: number;
  /** What the same frames would have cost as raw u16 phases. */
  rawBytes: number;
  bytesSaved: number;
  framesSkipped: number;
  resyncs: number;
  /** CPU time of this tenant's frame encodes, ms of the thread that ran them. */
  encodeCpuMs: number;
}

export interface BandwidthSample {
  /** Wall clock of the sample, ms since the epoch. */
  atMs: number;
  totals: BandwidthTotals;
}

/**
 * One second of a tenant's frame latencies, as clients reported them: each reporting client's p95
 * of that second, and the median over the clients (the lower one of an even count), so that one
 * client of several cannot move the figure however it reports.
 */
export interface LatencySample {
  atMs: number;
  /** The median over the reporting clients of each client's p95 in this second. */
  p95Ms: number;
  /** Latency samples in the second, all clients together. */
  count: number;
  /** Clients whose reports make up the figure. */
  clients: number;
}

export interface StreamMetrics {
  readonly totals: Readonly<BandwidthTotals>;
  /**
   * Produced-to-decoded latencies (ms) reported by a client of this tenant; `client` tells clients
   * apart (its session object), each weighing the same in the tenant's figures. Samples are clamped
   * to 0..MAX_REPORTED_LATENCY_MS.
   */
  observeLatency(samplesMs: readonly number[], client?: object): void;
  clientConnected(): void;
  clientDisconnected(): void;
  frameSent(bytesSent: number, rawBytes: number): void;
  frameSkipped(): void;
  resync(): void;
  /** One frame's fan-out: from its production to its last client write, in ms. */
  observeFanOut(fanOutMs: number): void;
  /** One frame's encode (every form it went out in), in ms of its thread's time. */
  observeEncode(encodeMs: number): void;
}

/** The process's sums over every tenant, since it started: what the decision gates sample. */
export interface ProcessTotals {
  bytesSent: number;
  encodes: number;
  encodeCpuMs: number;
}

export interface ServerMetrics {
  readonly registry: Registry;
  forTenant(tenantId: string): StreamMetrics;
  /** Samples of the tenant's totals, one a second, oldest first, over the last `windowS` seconds. */
  bandwidthSamples(tenantId: string, windowS: number): BandwidthSample[];
  /** Takes a sample of every tenant's totals and latencies (the server calls it once a second). */
  sampleBandwidth(atMs: number): void;
  /** Per-second latency p95 of the tenant over the last `windowS` seconds, oldest first. */
  latencySamples(tenantId: string, windowS: number): LatencySample[];
  /**
   * The tenant's panel history over `windowS` (and as much again before it, for hysteresis), at
   * the finest resolution that covers it (server/panel-history.ts).
   */
  panelHistory(tenantId: string, windowS: number): { stepS: number; points: HistoryPoint[] };
  /** When the server began counting the tenant's sends (ms since the epoch); null if it never did. */
  countingSinceMs(tenantId: string): number | null;
  /** Called with each tenant's second of latencies as it is taken (once a second), for the detector. */
  onLatencySecond(listener: (tenantId: string, second: LatencySample) => void): void;
  protocolError(reason: string): void;
  processTotals(): ProcessTotals;
}

/** Ten minutes of one-second bandwidth samples per tenant. */
export const MAX_BANDWIDTH_SAMPLES = 600;
/** Latencies kept per tenant between two one-second samples (60 frames/s x many clients). */
const MAX_PENDING_LATENCIES = 20_000;
/** Latencies kept per client between two samples: its frames of a second, with room to spare. */
const MAX_PENDING_PER_CLIENT = 480;
/**
 * A reported latency above this counts as this: a client that far behind is backed off anyway
 * (docs/PROTOCOL.md section 5), and a forged 59,999 ms weighs no more than a real 10 s.
 */
export const MAX_REPORTED_LATENCY_MS = 10_000;

/** The lower median: with two clients, the smaller figure, so that neither alone raises it. */
function lowerMedian(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

/** A reported latency, clamped to 0..MAX_REPORTED_LATENCY_MS. */
function clampLatency(ms: number): number {
  return Math.min(MAX_REPORTED_LATENCY_MS, Math.max(0, ms));
}

export function createServerMetrics(): ServerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  // Gauges with a _total suffix, which `promtool check metrics` rejects (that suffix is for counters).
  for (const name of [
    'nodejs_active_handles_total',
    'nodejs_active_requests_total',
    'nodejs_active_resources_total',
  ]) {
    registry.removeSingleMetric(name);
  }
  const labelNames = ['tenant_id'] as const;
  const clients = new Gauge({
    name: 'ws_clients',
    help: 'WebSocket clients connected, per tenant stream',
    labelNames,
    registers: [registry],
  });
  // The send counters move once per client per frame (30,000 times a second at 500 clients), so the
  // hot path adds to plain numbers (each tenant's `totals`) and the counters catch up with them
  // whenever the registry is read, by a scrape or the tenant metrics route.
  const perTenant = new Map<string, StreamMetrics>();
  const mirroredCounter = (name: string, help: string, field: keyof BandwidthTotals): void => {
    const published = new Map<string, number>();
    new Counter({
      name,
      help,
      labelNames,
      registers: [registry],
      collect() {
        for (const [tenantId, m] of perTenant) {
          const value = m.totals[field];
          const before = published.get(tenantId) ?? 0;
          if (value <= before) continue;
          this.inc({ tenant_id: tenantId }, value - before);
          published.set(tenantId, value);
        }
      },
    });
  };
  mirroredCounter('ws_frames_sent_total', 'Frame messages sent to clients', 'framesSent');
  mirroredCounter('ws_bytes_sent_total', 'Bytes of frame messages sent to clients', 'bytesSent');
  mirroredCounter(
    'delta_bytes_saved_total',
    'Bytes a raw u16 frame would have needed minus the bytes sent, summed over client sends',
    'bytesSaved',
  );
  mirroredCounter(
    'ws_frames_skipped_total',
    'Frames not sent to a client because its socket buffer was over budget (back-off)',
    'framesSkipped',
  );
  mirroredCounter(
    'ws_resyncs_total',
    'Resynchronisations (keyframe sent after a gap or a client request)',
    'resyncs',
  );
  const latency = new Histogram({
    name: 'mcp_message_latency_seconds',
    help:
      'Frame latency from produced on the server to decoded in the client, clock offset corrected: ' +
      "one observation a second, the median over the tenant's reporting clients of each client's p95",
    labelNames,
    buckets: [
      0.0005, 0.001, 0.002, 0.003, 0.005, 0.007, 0.01, 0.015, 0.025, 0.05, 0.1, 0.25, 0.5, 1,
    ],
    registers: [registry],
  });
  const fanOut = new Histogram({
    name: 'ws_fanout_seconds',
    help: "Time from a frame's production to the write of its message to the last client of the stream",
    labelNames,
    buckets: [
      0.0001, 0.00025, 0.0005, 0.00075, 0.001, 0.0015, 0.002, 0.003, 0.004, 0.005, 0.006, 0.007,
      0.01, 0.025, 0.1,
    ],
    registers: [registry],
  });
  // The codec's cost per frame, where it runs (the event loop for replays and replay cursors, the
  // simulator's thread for live tenants): the wire-format gate's "encode CPU > 50 % of a core".
  const encode = new Histogram({
    name: 'codec_encode_cpu_seconds',
    help: "Time one frame's encode takes on its thread (every form it is sent in), per tenant",
    labelNames,
    buckets: [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.002, 0.004, 0.008, 0.016, 0.032, 0.064],
    registers: [registry],
  });
  const codec = { encodes: 0, encodeCpuMs: 0 };
  const latencyClients = new Gauge({
    name: 'mcp_latency_reporting_clients',
    help: 'Clients whose latency reports made up the last second of mcp_message_latency_seconds',
    labelNames,
    registers: [registry],
  });
  const protocolErrors = new Counter({
    name: 'ws_protocol_errors_total',
    help: 'Client connections closed for a protocol error',
    labelNames: ['reason'],
    registers: [registry],
  });

  const samples = new Map<string, BandwidthSample[]>();
  /** Each tenant's clients' latencies since the last one-second sample, per client. */
  const pendingLatency = new Map<string, { total: number; byClient: Map<object, number[]> }>();
  const latencySeconds = new Map<string, LatencySample[]>();
  const latencyListeners: ((tenantId: string, second: LatencySample) => void)[] = [];
  const shared = {};
  const histories = new Map<string, PanelHistory>();
  const countingSince = new Map<string, number>();

  /** The second just ended of one tenant: each client's p95, then the median over clients. */
  const takeLatencySecond = (
    tenantId: string,
    pending: { total: number; byClient: Map<object, number[]> },
    atMs: number,
  ): LatencySample | null => {
    const perClient: number[] = [];
    let count = 0;
    for (const values of pending.byClient.values()) {
      if (values.length === 0) continue;
      perClient.push(percentile(values, 0.95));
      count += values.length;
    }
    pending.byClient.clear();
    pending.total = 0;
    if (perClient.length === 0) return null;
    const second = { atMs, p95Ms: lowerMedian(perClient), count, clients: perClient.length };
    latency.labels(tenantId).observe(second.p95Ms / 1000);
    latencyClients.labels(tenantId).set(second.clients);
    let ring = latencySeconds.get(tenantId);
    if (!ring) latencySeconds.set(tenantId, (ring = []));
    ring.push(second);
    if (ring.length > MAX_BANDWIDTH_SAMPLES) ring.shift();
    for (const listener of latencyListeners) listener(tenantId, second);
    return second;
  };

  return {
    panelHistory(tenantId, windowS) {
      return histories.get(tenantId)?.points(windowS) ?? { stepS: 1, points: [] };
    },
    countingSinceMs(tenantId) {
      return countingSince.get(tenantId) ?? null;
    },
    registry,
    onLatencySecond(listener) {
      latencyListeners.push(listener);
    },
    latencySamples(tenantId, windowS) {
      const ring = latencySeconds.get(tenantId) ?? [];
      const last = ring[ring.length - 1];
      if (!last) return [];
      return ring.filter((s) => last.atMs - s.atMs <= windowS * 1000);
    },
    sampleBandwidth(atMs) {
      // The panels' history holds each second's figure (the median over clients of their p95),
      // weighted by the reports it stands for: a window's p95 is over reports, and no client moves it.
      const secondLatency = new Map<string, LatencyHistogram>();
      for (const [tenantId, pending] of pendingLatency) {
        const second = pending.total > 0 ? takeLatencySecond(tenantId, pending, atMs) : null;
        if (pending.byClient.size > 0) pending.byClient.clear();
        if (second) secondLatency.set(tenantId, new Map([[bucketOf(second.p95Ms), second.count]]));
      }
      for (const [tenantId, m] of perTenant) {
        let ring = samples.get(tenantId);
        if (!ring) samples.set(tenantId, (ring = []));
        ring.push({ atMs, totals: { ...m.totals } });
        if (ring.length > MAX_BANDWIDTH_SAMPLES) ring.shift();
        let history = histories.get(tenantId);
        if (!history) histories.set(tenantId, (history = new PanelHistory()));
        history.add(atMs, m.totals, secondLatency.get(tenantId) ?? new Map());
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
        const c = clients.labels(tenantId);
        const fanOutChild = fanOut.labels(tenantId);
        const encodeChild = encode.labels(tenantId);
        const totals: BandwidthTotals = {
          framesSent: 0,
          bytesSent: 0,
          rawBytes: 0,
          bytesSaved: 0,
          framesSkipped: 0,
          resyncs: 0,
          encodeCpuMs: 0,
        };
        const pending = { total: 0, byClient: new Map<object, number[]>() };
        pendingLatency.set(tenantId, pending);
        countingSince.set(tenantId, Date.now());
        m = {
          totals,
          observeLatency(samplesMs, client = shared) {
            let values = pending.byClient.get(client);
            if (!values) pending.byClient.set(client, (values = []));
            for (const ms of samplesMs) {
              if (values.length >= MAX_PENDING_PER_CLIENT) break;
              if (pending.total >= MAX_PENDING_LATENCIES) break;
              if (!Number.isFinite(ms)) continue;
              // A slightly negative figure is clock-offset error, not time travel.
              values.push(clampLatency(ms));
              pending.total += 1;
            }
          },
          clientConnected: () => c.inc(),
          clientDisconnected: () => c.dec(),
          frameSent(bytes, rawBytes) {
            totals.framesSent += 1;
            totals.bytesSent += bytes;
            totals.rawBytes += rawBytes;
            // Counted only when positive so the counter stays monotonic on incompressible frames.
            if (rawBytes > bytes) totals.bytesSaved += rawBytes - bytes;
          },
          frameSkipped: () => {
            totals.framesSkipped += 1;
          },
          resync: () => {
            totals.resyncs += 1;
          },
          observeFanOut: (fanOutMs) => fanOutChild.observe(Math.max(0, fanOutMs) / 1000),
          observeEncode: (encodeMs) => {
            const ms = Math.max(0, encodeMs);
            encodeChild.observe(ms / 1000);
            codec.encodes += 1;
            codec.encodeCpuMs += ms;
            totals.encodeCpuMs += ms;
          },
        };
        perTenant.set(tenantId, m);
      }
      return m;
    },
    protocolError(reason) {
      protocolErrors.labels(reason).inc();
    },
    processTotals() {
      let bytesSent = 0;
      for (const m of perTenant.values()) bytesSent += m.totals.bytesSent;
      return { bytesSent, ...codec };
    },
  };
}
