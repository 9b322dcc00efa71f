// The load run's JSON: what the window cost and whether it holds the target, from two snapshots.
// The reported latency is the probes' (see load.ts); every client's is beside it.
import { availableParallelism, loadavg } from 'node:os';
import { percentile } from '../../../src/core/stats';
import { round } from '../../support/round';
import { metricSum } from '../../support/server-metrics';
import { C } from './client-thread';
import type { ClientPlan, ClientThreads } from './client-threads';
import { clusterReport } from './cluster-report';
import { latencyBetween } from './latency-histogram';
import type { LoadOptions } from './options';
import type { CatchUp, Snapshot } from './sampling';
import type { LoadServer } from './server';
import { CAUGHT_UP_MS, MIN_RATE_SHARE, TARGET } from './target';

const LOAD_CLIENTS_NOTE = {
  viewer:
    'load clients read, parse and sequence-check every message, ping and report latency as a viewer socket does, without the delta decode; probes decode every frame',
  decoding: 'every client decodes and checks every frame',
} as const;

export interface LoadRun {
  options: LoadOptions;
  server: LoadServer;
  plan: ClientPlan;
  threads: ClientThreads;
  catchUp: CatchUp;
  before: Snapshot;
  after: Snapshot;
  loadAtStart: number;
}

export function loadReport(run: LoadRun) {
  const { options, plan, before, after, catchUp } = run;
  const { url, child } = run.server;
  const { shares } = run.threads;
  const { spread, lastProbe, probes, loadThreads, perWorker } = plan;
  const connected = shares.reduce((s, sh) => s + sh.counters[C.connected]!, 0);
  const stream = {
    width: shares[0]!.counters[C.width]!,
    height: shares[0]!.counters[C.height]!,
    intervalUs: shares[0]!.counters[C.intervalUs]!,
  };

  const windowS = (after.atMs - before.atMs) / 1000;
  const rates = after.frames.flatMap((frames, w) =>
    Array.from(frames, (f, i) => (f - before.frames[w]![i]!) / windowS),
  );
  const allLatency = latencyBetween(before.histogram, after.histogram);
  const probeLatency =
    spread > 0 ? latencyBetween(before.probeHistogram, after.probeHistogram) : null;
  const lastLatency =
    lastProbe > 0 ? latencyBetween(before.lastProbeHistogram, after.lastProbeHistogram) : null;
  const delta = (name: string, labels: Record<string, string> = {}): number =>
    metricSum(after.metrics, name, labels) - metricSum(before.metrics, name, labels);
  const tenantLabel = { tenant_id: options.tenant };
  const serverCpuSeconds =
    before.server && after.server
      ? after.server.cpuSeconds - before.server.cpuSeconds
      : delta('process_cpu_seconds_total');
  // The server's own share: a frame's production to its last client write (bucket upper edges).
  const fanOutQuantileMs = (fraction: number): number | string => {
    const buckets = after.metrics
      .filter((m) => m.name === 'ws_fanout_seconds_bucket' && m.labels.tenant_id === options.tenant)
      .map((m) => ({
        le: Number(m.labels.le === '+Inf' ? Infinity : m.labels.le),
        count: m.value - metricSum(before.metrics, m.name, m.labels),
      }))
      .sort((a, b) => a.le - b.le);
    const total = buckets.at(-1)?.count ?? 0;
    if (total === 0) return 'none';
    const bucket = buckets.find((b) => b.count >= fraction * total)!;
    return Number.isFinite(bucket.le) ? `<= ${round(bucket.le * 1000, 2)}` : '> 100';
  };
  const nominalFps = stream.intervalUs > 0 ? 1e6 / stream.intervalUs : 0;
  const fps = {
    min: round(Math.min(...rates), 1),
    median: round(percentile(rates, 0.5), 1),
    max: round(Math.max(...rates), 1),
  };
  // The probes' figures are the server's: see load.ts's header.
  const latencyMs = {
    ...(probeLatency ?? lastLatency ?? allLatency),
    of: probeLatency
      ? `${spread} probe clients spread evenly through the server's fan-out order`
      : lastLatency
        ? 'one probe client, joined last'
        : 'every client',
    resolution: '10 us bins below 20 ms, 1 ms bins to 2 s (upper edges)',
  };
  const behind =
    typeof allLatency.p95 !== 'number' || allLatency.p95 > CAUGHT_UP_MS || !catchUp.caughtUp;
  const holds =
    connected === options.clients &&
    latencyMs.samples > 0 &&
    typeof latencyMs.p95 === 'number' &&
    latencyMs.p95 < TARGET.latencyP95Ms &&
    fps.min >= MIN_RATE_SHARE * nominalFps &&
    !behind;
  const rssBytes =
    after.server?.rssBytes ?? metricSum(after.metrics, 'process_resident_memory_bytes');
  const serverCpuPercent = round((100 * serverCpuSeconds) / windowS, 1);
  const cluster = clusterReport(before, after, options.tenant);
  const result = {
    bench: 'load',
    date: new Date().toISOString(),
    url,
    tenant: options.tenant,
    clients: options.clients,
    loadClients: options.loadClients,
    connected,
    seconds: round(windowS, 2),
    warmupSeconds: options.warmupSeconds,
    catchUp: {
      seconds: catchUp.seconds,
      caughtUp: catchUp.caughtUp,
      clientsBehindInWindow: behind,
    },
    stream: { ...stream, spins: stream.width * stream.height, nominalFps: round(nominalFps, 2) },
    machine: {
      cpus: availableParallelism(),
      loadAverage1m: round(loadavg()[0]!),
      loadAverageAtStart1m: run.loadAtStart,
    },
    split: {
      server: cluster
        ? `${cluster.gateways} gateway processes (their CPU summed as the server's), a source and nats-server, cpus ${options.serverCpus ?? 'any'}`
        : child
          ? `own process (pid ${child.pid}), cpus ${options.serverCpus ?? 'any'}`
          : `the process behind ${url}`,
      generator: `this process (pid ${process.pid}): ${loadThreads} worker thread(s) of ${perWorker.join('/')} load clients and ${probes} of one probe client each, cpus ${options.clientCpus ?? 'any'}; ${LOAD_CLIENTS_NOTE[options.loadClients]}`,
      pinning: options.pinnedByDefault
        ? 'chosen by the run: the server on a core of its own, the generator on the others (--server-cpus any --client-cpus any: not pinned)'
        : 'as given',
      serverCpuPercentOfCore: serverCpuPercent,
      generatorCpuPercentOfCore: round(
        (after.generatorCpuUs - before.generatorCpuUs) / 1e4 / windowS,
        1,
      ),
    },
    framesPerSecondPerClient: fps,
    latencyMs,
    latencyMsLastJoined: lastLatency && {
      ...lastLatency,
      note: 'one probe that joined after every other client: last in the subscription order',
    },
    latencyMsAllClients: {
      ...allLatency,
      note: "includes each client thread's queue: a thread decodes its clients one after another",
    },
    server: {
      cpuPercentOfCore: serverCpuPercent,
      cpuSource: before.server ? '/proc/PID/stat' : '/metrics process_cpu_seconds_total',
      rssMiB: round(rssBytes / 2 ** 20, 1),
      peakRssMiB: after.server ? round(after.server.peakRssBytes / 2 ** 20, 1) : null,
      clientsSeen: metricSum(after.metrics, 'ws_clients', tenantLabel),
      fanOutMs: {
        p50: fanOutQuantileMs(0.5),
        p95: fanOutQuantileMs(0.95),
        p99: fanOutQuantileMs(0.99),
        frames: Math.round(delta('ws_fanout_seconds_count', tenantLabel)),
        mean: round(
          (1000 * delta('ws_fanout_seconds_sum', tenantLabel)) /
            Math.max(1, delta('ws_fanout_seconds_count', tenantLabel)),
          2,
        ),
        note: "a frame's production to its write to the last client (ws_fanout_seconds)",
      },
    },
    egressBytesPerSecond: Math.round(delta('ws_bytes_sent_total', tenantLabel) / windowS),
    framesSentPerSecond: Math.round(delta('ws_frames_sent_total', tenantLabel) / windowS),
    framesSkippedByBackoff: delta('ws_frames_skipped_total', tenantLabel),
    resyncs: delta('ws_resyncs_total', tenantLabel),
    cluster,
    clientFaults: after.faults - before.faults,
    reconnects: after.closes - before.closes,
    target: {
      ...TARGET,
      rule: `probes' p95 < ${TARGET.latencyP95Ms} ms, every client >= ${MIN_RATE_SHARE * 100} % of the stream's rate, and every client caught up (p95 of all clients <= ${CAUGHT_UP_MS} ms)`,
    },
    holds,
  };
  return result;
}
