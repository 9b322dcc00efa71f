// Load benchmark: N real stream clients against one server process, every client decoding every
// frame with the browser's stream decoder (CRC checked), and one JSON object with what it cost.
//
//   npm run bench:load -- --clients N --seconds S [--tenant T] [--url http://HOST:PORT]
//        [--token TOKEN] [--workers W] [--probes K] [--warmup S] [--profile DIR]
//        [--server-cpus LIST] [--client-cpus LIST]
//
// Without --url it starts its own server (`src/server/main.ts`, a fresh data directory) as a
// separate process; --profile DIR runs that server under `node --cpu-prof` and summarizes the
// profile. The clients run in worker threads of this process, so their decoding never shares an
// event loop with the server: W threads of load clients (default: one per core less two, at least
// one) and a thread for each probe client. They count frames and latencies in shared
// memory that the coordinating thread reads at the window's edges, so an overloaded client thread
// cannot stretch the window.
//
// A thread decodes its clients' frames one after another, so the last of 100 clients in a thread
// sees its frame tens of milliseconds late for reasons that have nothing to do with the server.
// The load threads run at nice 19: in production the clients are other machines, and here the
// server and the probes must not wait for a core behind them.
//
// The reported latency is therefore the probes': K clients (--probes, default 8), each on a thread
// of its own, connected one in the middle of each K-th of the load clients, so they sit evenly
// through the server's subscription order, plus one that joins after everybody
// (latencyMsLastJoined). A server that fans out in subscription order serves that one last every
// frame; one that rotates the start of its fan-out (src/server/stream/bus.ts) serves every client
// at every position in turn, and the last-joined probe then measures like the others. Every
// client's latency, thread queue included, is reported beside them (latencyMsAllClients).
//
// --server-cpus / --client-cpus pin the two processes with taskset (e.g. 0 and 1 on two cores).
//
// Latency is decode-complete time minus the frame's producedAtMs: both are the wall clock of the
// same machine (performance.timeOrigin + performance.now()), so no offset is needed. Frames per
// second, latency and server CPU are taken over the same window, after every client has its
// first frame, has caught up with the frames queued during the ramp, and a warm-up. Exits 1 when
// the run does not hold the target (the probes' p95 < 7 ms, every client at >= 90 % of the
// stream's rate and none of them behind the stream), 2 when it cannot run.
import { spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { availableParallelism, loadavg, setPriority } from 'node:os';
import path from 'node:path';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { parseArgs } from 'node:util';
import { percentile } from '../../src/core/stats';
import { numberOption, optionsOrExit } from '../support/cli';
import { SUBPROTOCOL } from '../../src/core/wire/envelope';
import { NodeStreamClient } from '../../src/server/stream/node-client';
import {
  freePort,
  metricSum,
  procStat,
  round,
  scrapeMetrics,
  sleep,
  spawnServer,
  stopServer,
  tempDir,
  waitHealthy,
  type MetricSample,
} from '../support/server-process';

const TARGET = { clients: 500, framesPerSecond: 60, latencyP95Ms: 7 };
/** A client holds the stream when it decodes at least this share of the stream's frame rate. */
const MIN_RATE_SHARE = 0.9;
/** A client whose frames reach it later than this is behind the stream, not keeping up. */
const CAUGHT_UP_MS = 100;
const CATCH_UP_LIMIT_S = 20;

// ---------------------------------------------------------------- client threads

// Each worker thread runs its share of the clients and writes what they see into shared memory,
// which the coordinator reads whenever it likes: an overloaded worker (more frames to decode than
// its core can) cannot delay the measurement window or its own report.

/** Latency histogram: 10 us bins below 20 ms, 1 ms bins up to 2 s, then one overflow bin. */
const FINE_BINS = 2000;
const FINE_BIN_MS = 0.01;
const COARSE_BINS = 1980;
const HISTOGRAM_BINS = FINE_BINS + COARSE_BINS + 1;

function latencyBin(ms: number): number {
  if (ms < FINE_BINS * FINE_BIN_MS) return Math.max(0, Math.floor(ms / FINE_BIN_MS));
  return Math.min(FINE_BINS + Math.floor(ms - FINE_BINS * FINE_BIN_MS), HISTOGRAM_BINS - 1);
}

/** Upper edge of a bin, ms (Infinity for the overflow bin). */
function binUpperMs(bin: number): number {
  if (bin < FINE_BINS) return (bin + 1) * FINE_BIN_MS;
  if (bin < HISTOGRAM_BINS - 1) return FINE_BINS * FINE_BIN_MS + (bin - FINE_BINS + 1);
  return Infinity;
}

/** Slots of a worker's `counters`. */
const C = { faults: 0, closes: 1, connected: 2, intervalUs: 3, width: 4, height: 5 } as const;

interface WorkerShared {
  /** Frames each client of the worker decoded so far. */
  frames: Int32Array;
  /** One latency histogram per group of clients, HISTOGRAM_BINS counts each. */
  histograms: Uint32Array;
  counters: Int32Array;
}

interface WorkerInput {
  url: string;
  tenant: string;
  token: string | undefined;
  count: number;
  /** Histogram group of each client (load threads: all 0). */
  groups: number[];
  /** Load threads run at the lowest priority, so the probes and the server get the CPU first. */
  lowPriority: boolean;
  buffers: {
    frames: SharedArrayBuffer;
    histograms: SharedArrayBuffer;
    counters: SharedArrayBuffer;
  };
}

type ToWorker = { t: 'connect'; count: number } | { t: 'go' } | { t: 'stop' };

function shareFor(
  count: number,
  groups: number,
): { shared: WorkerShared; buffers: WorkerInput['buffers'] } {
  const buffers = {
    frames: new SharedArrayBuffer(4 * count),
    histograms: new SharedArrayBuffer(4 * HISTOGRAM_BINS * groups),
    counters: new SharedArrayBuffer(4 * 8),
  };
  return { buffers, shared: sharedViews(buffers) };
}

function sharedViews(buffers: WorkerInput['buffers']): WorkerShared {
  return {
    frames: new Int32Array(buffers.frames),
    histograms: new Uint32Array(buffers.histograms),
    counters: new Int32Array(buffers.counters),
  };
}

function runClientThread(input: WorkerInput): void {
  // On Linux, setpriority on the calling task sets this thread's nice value alone.
  if (input.lowPriority) setPriority(19);
  const { frames, histograms, counters } = sharedViews(input.buffers);
  const protocols = input.token ? [SUBPROTOCOL, `bearer.${input.token}`] : [SUBPROTOCOL];
  const url = `${input.url.replace(/^http/, 'ws')}/ws?tenant=${encodeURIComponent(input.tenant)}`;
  // Until the coordinator says 'go', a client that has its first frame stops reading (the server
  // backs off from it): a thread decoding for the clients already there would otherwise starve
  // the handshakes of those still connecting, and stretch the ramp into minutes.
  let ramping = true;
  const clients: NodeStreamClient[] = Array.from({ length: input.count }, (_v, i) => {
    const offset = input.groups[i]! * HISTOGRAM_BINS;
    const client = new NodeStreamClient({
      url,
      protocols,
      onFrame: (frame) => {
        const decodedAtMs = performance.timeOrigin + performance.now();
        Atomics.add(histograms, offset + latencyBin(decodedAtMs - frame.producedAtMs), 1);
        if (Atomics.add(frames, i, 1) === 0 && ramping) client.setReading(false);
        if (counters[C.intervalUs] === 0) {
          const info = client.decoder.info!;
          Atomics.store(counters, C.width, info.width);
          Atomics.store(counters, C.height, info.height);
          Atomics.store(counters, C.intervalUs, info.intervalUs);
        }
      },
    });
    return client;
  });
  let started = 0;
  const publish = setInterval(() => {
    Atomics.store(
      counters,
      C.faults,
      clients.reduce((s, c) => s + c.faults, 0),
    );
    Atomics.store(
      counters,
      C.closes,
      clients.reduce((s, c) => s + c.closes, 0),
    );
    Atomics.store(counters, C.connected, clients.filter((c) => c.connected).length);
  }, 100);
  parentPort!.on('message', (message: ToWorker) => {
    if (message.t === 'connect') {
      for (const client of clients.slice(started, started + message.count)) client.start();
      started = Math.min(clients.length, started + message.count);
    } else if (message.t === 'go') {
      ramping = false;
      for (const client of clients) client.setReading(true);
    } else {
      clearInterval(publish);
      for (const client of clients) client.stop();
      parentPort!.postMessage('stopped');
    }
  });
}

/** Starts a worker thread running this file; under tsx it registers tsx first (Node 20 workers do not inherit loader hooks). */
function startWorker(input: WorkerInput): Worker {
  const self = import.meta.url;
  if (!self.endsWith('.ts')) return new Worker(new URL(self), { workerData: input });
  const api = import.meta.resolve('tsx/esm/api');
  const boot = `import { register } from ${JSON.stringify(api)}; register(); await import(${JSON.stringify(self)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(boot)}`), {
    workerData: input,
  });
}

// ---------------------------------------------------------------- coordinator

interface Options {
  clients: number;
  seconds: number;
  warmupSeconds: number;
  tenant: string;
  url: string | undefined;
  token: string | undefined;
  workers: number;
  probes: number;
  profileDir: string | undefined;
  serverCpus: string | undefined;
  clientCpus: string | undefined;
}

function parseOptions(): Options {
  const { values } = parseArgs({
    options: {
      clients: { type: 'string', default: String(TARGET.clients) },
      seconds: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '3' },
      tenant: { type: 'string', default: 'demo' },
      url: { type: 'string' },
      token: { type: 'string' },
      workers: { type: 'string' },
      probes: { type: 'string', default: '8' },
      profile: { type: 'string' },
      'server-cpus': { type: 'string' },
      'client-cpus': { type: 'string' },
    },
    strict: true,
  });
  const count = (name: string, value: string, min: number): number =>
    numberOption(name, value, { min });
  const clients = count('clients', values.clients, 1);
  // One core for the server, one thread for the probes, the rest for the load.
  const workers = values.workers
    ? count('workers', values.workers, 1)
    : Math.max(1, availableParallelism() - 2);
  if (values.profile && values.url) {
    throw new Error('[bench:load] --profile profiles the server it starts: leave out --url');
  }
  if (values['server-cpus'] && values.url) {
    throw new Error('[bench:load] --server-cpus pins the server it starts: leave out --url');
  }
  return {
    clients,
    seconds: count('seconds', values.seconds, 1),
    warmupSeconds: count('warmup', values.warmup, 0),
    tenant: values.tenant,
    url: values.url?.replace(/\/$/, ''),
    token: values.token,
    workers,
    probes: count('probes', values.probes, 0),
    profileDir: values.profile ? path.resolve(values.profile) : undefined,
    serverCpus: values['server-cpus'],
    clientCpus: values['client-cpus'],
  };
}

/** Pins every thread of a running process to the CPUs in `list` (taskset syntax, e.g. "0" or "1-3"). */
function pin(pid: number, list: string): void {
  const run = spawnSync('taskset', ['-a', '-p', '-c', list, String(pid)], { encoding: 'utf8' });
  if (run.status !== 0) {
    throw new Error(`[bench:load] taskset -a -p -c ${list} ${pid} failed: ${run.stderr.trim()}`);
  }
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

/** Where the server spent its samples: top functions by self time, and by file. */
function summarizeProfile(file: string) {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as {
    nodes: ProfileNode[];
    startTime: number;
    endTime: number;
  };
  const total = profile.nodes.reduce((s, n) => s + (n.hitCount ?? 0), 0);
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    if (hits === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const where = url ? url.replace(/^file:\/\//, '').replace(`${process.cwd()}/`, '') : '';
    const key = `${functionName || '(anonymous)'} ${where ? `${where}:${lineNumber + 1}` : ''}`;
    byFunction.set(key.trim(), (byFunction.get(key.trim()) ?? 0) + hits);
    const fileKey = where.replace(/^.*node_modules\//, 'node_modules/') || functionName;
    byFile.set(fileKey, (byFile.get(fileKey) ?? 0) + hits);
  }
  const top = (map: Map<string, number>, n: number) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, hits]) => ({ name, selfPercent: round((100 * hits) / total, 1) }));
  return {
    file,
    seconds: round((profile.endTime - profile.startTime) / 1e6, 1),
    samples: total,
    topFunctionsBySelfTime: top(byFunction, 15),
    topFilesBySelfTime: top(byFile, 10),
  };
}

interface Snapshot {
  atMs: number;
  metrics: MetricSample[];
  server: ReturnType<typeof procStat>;
  generatorCpuUs: number;
  frames: Int32Array[];
  histogram: Uint32Array;
  probeHistogram: Uint32Array;
  lastProbeHistogram: Uint32Array;
  faults: number;
  closes: number;
}

/** A latency for the JSON: the overflow bin has no upper edge. */
const ms = (value: number): number | string => (Number.isFinite(value) ? round(value, 2) : '>2000');

/** Latency percentile (upper bin edge, ms) from a histogram of counts. */
function histogramPercentile(histogram: Uint32Array, total: number, fraction: number): number {
  const rank = Math.max(1, Math.ceil(fraction * total));
  let seen = 0;
  for (let bin = 0; bin < histogram.length; bin++) {
    seen += histogram[bin]!;
    if (seen >= rank) return binUpperMs(bin);
  }
  return 0;
}

async function main(): Promise<void> {
  const options = optionsOrExit(
    'bench:load',
    'npm run bench:load -- --clients N --seconds S [--tenant T] [--url http://HOST:PORT] ' +
      '[--token TOKEN] [--workers W] [--probes K] [--warmup S] [--profile DIR] ' +
      '[--server-cpus LIST] [--client-cpus LIST]',
    parseOptions,
  );
  const loadAtStart = round(loadavg()[0]!);
  let server: ChildProcess | undefined;
  let url = options.url;
  if (!url) {
    const port = await freePort();
    const nodeArgs = options.profileDir
      ? ['--cpu-prof', `--cpu-prof-dir=${options.profileDir}`]
      : [];
    server = spawnServer({ port, dataDir: tempDir('bench-load'), nodeArgs });
    url = `http://127.0.0.1:${port}`;
    await waitHealthy(url, 180_000, server);
    if (options.serverCpus) pin(server.pid!, options.serverCpus);
  }
  const workers: Worker[] = [];
  try {
    // Probes: `spread` of them placed evenly through the server's fan-out order (one in the
    // middle of each slice of load clients), and one that joins after everybody.
    const spread = options.probes > 0 ? Math.min(options.probes, options.clients - 1) : 0;
    const lastProbe = options.probes > 0 ? 1 : 0;
    const probes = spread + lastProbe;
    const loadClients = options.clients - probes;
    const loadThreads = loadClients > 0 ? Math.min(options.workers, loadClients) : 0;
    const perWorker = Array.from(
      { length: loadThreads },
      (_v, i) => Math.floor(loadClients / loadThreads) + (i < loadClients % loadThreads ? 1 : 0),
    );
    const groups = perWorker.map((count) => new Array<number>(count).fill(0));
    // One thread per probe: a thread decodes one frame at a time, and probes that queued behind
    // each other would measure the queue.
    for (let p = 0; p < probes; p++) groups.push([p < spread ? 0 : 1]);
    const shares = groups.map((groupOf, w) => {
      const { shared, buffers } = shareFor(groupOf.length, probes > 0 ? 2 : 1);
      const worker = startWorker({
        url: url!,
        tenant: options.tenant,
        token: options.token,
        count: groupOf.length,
        groups: groupOf,
        lowPriority: w < loadThreads,
        buffers,
      });
      worker.on('error', (error) => {
        console.error(`[bench:load] client thread failed: ${error.stack ?? error.message}`);
        process.exit(2);
      });
      workers.push(worker);
      return shared;
    });
    if (options.clientCpus) pin(process.pid, options.clientCpus);

    // The ramp, step by step so that the server's fan-out order is the order above: each step's
    // clients have their first frame (they are subscribed) before the next step connects.
    const started = shares.map(() => 0);
    const readyBy = Date.now() + 120_000;
    const connect = async (counts: number[]): Promise<void> => {
      counts.forEach((count, w) => {
        if (count === 0) return;
        workers[w]!.postMessage({ t: 'connect', count } satisfies ToWorker);
        started[w]! += count;
      });
      for (;;) {
        const waiting = shares.reduce(
          (s, sh, w) => s + sh.frames.subarray(0, started[w]).filter((f) => f === 0).length,
          0,
        );
        if (waiting === 0) return;
        if (Date.now() > readyBy) {
          const state = shares.map((sh, w) => ({
            started: started[w],
            withoutFrame: sh.frames.subarray(0, started[w]).filter((f) => f === 0).length,
            connected: sh.counters[C.connected],
            closes: sh.counters[C.closes],
          }));
          throw new Error(
            `[bench:load] ${waiting} clients without a frame after 120 s: ${JSON.stringify(state)}`,
          );
        }
        await sleep(5);
      }
    };
    const connectLoad = (n: number): Promise<void> => {
      const counts = shares.map(() => 0);
      for (let k = 0; k < n; k++) {
        // The load thread least filled, relative to its share.
        let best = -1;
        for (let w = 0; w < loadThreads; w++) {
          if (started[w]! + counts[w]! >= perWorker[w]!) continue;
          const fill = (started[w]! + counts[w]!) / perWorker[w]!;
          if (best < 0 || fill < (started[best]! + counts[best]!) / perWorker[best]!) best = w;
        }
        if (best >= 0) counts[best]! += 1;
      }
      return connect(counts);
    };
    let probesConnected = 0;
    const connectProbe = (): Promise<void> => {
      const thread = loadThreads + probesConnected++;
      return connect(shares.map((_sh, w) => (w === thread ? 1 : 0)));
    };
    const rounds = Math.max(1, spread);
    for (let r = 0; r < rounds; r++) {
      const chunk =
        Math.floor((loadClients * (r + 1)) / rounds) - Math.floor((loadClients * r) / rounds);
      await connectLoad(Math.floor(chunk / 2));
      if (spread > 0) await connectProbe();
      await connectLoad(chunk - Math.floor(chunk / 2));
    }
    if (lastProbe) await connectProbe();
    for (const worker of workers) worker.postMessage({ t: 'go' } satisfies ToWorker);

    const sumHistograms = (parts: Uint32Array[]): Uint32Array => {
      const sum = new Uint32Array(HISTOGRAM_BINS);
      for (const part of parts)
        for (let i = 0; i < part.length; i++) sum[i % HISTOGRAM_BINS]! += part[i]!;
      return sum;
    };
    // The clients that waited during the ramp find frames queued in their sockets: the window
    // starts once every client decodes frames within CAUGHT_UP_MS of their production (p99 over
    // half a second), or after CATCH_UP_LIMIT_S when the load threads cannot keep up at all.
    const catchUpStarted = performance.now();
    let caughtUp = false;
    while (performance.now() - catchUpStarted < CATCH_UP_LIMIT_S * 1000) {
      const from = sumHistograms(shares.map((sh) => sh.histograms));
      await sleep(500);
      const to = sumHistograms(shares.map((sh) => sh.histograms));
      const recent = to.map((n, b) => n - from[b]!);
      const total = recent.reduce((sum, n) => sum + n, 0);
      if (total > 0 && histogramPercentile(recent, total, 0.99) <= CAUGHT_UP_MS) {
        caughtUp = true;
        break;
      }
    }
    const catchUpSeconds = round((performance.now() - catchUpStarted) / 1000, 1);
    await sleep(options.warmupSeconds * 1000);
    const probeShares = shares.slice(loadThreads);
    const snapshot = async (): Promise<Snapshot> => {
      const taken = {
        atMs: performance.now(),
        frames: shares.map((sh) => sh.frames.slice()),
        histogram: sumHistograms(shares.map((sh) => sh.histograms)),
        probeHistogram: sumHistograms(
          probeShares.map((sh) => sh.histograms.subarray(0, HISTOGRAM_BINS)),
        ),
        lastProbeHistogram: sumHistograms(
          probeShares.map((sh) => sh.histograms.subarray(HISTOGRAM_BINS)),
        ),
        faults: shares.reduce((s, sh) => s + sh.counters[C.faults]!, 0),
        closes: shares.reduce((s, sh) => s + sh.counters[C.closes]!, 0),
        server: server ? procStat(server.pid!) : null,
        generatorCpuUs: process.cpuUsage().user + process.cpuUsage().system,
      };
      return { ...taken, metrics: await scrapeMetrics(url!) };
    };
    const before = await snapshot();
    await sleep(options.seconds * 1000);
    const after = await snapshot();
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
    const latencies = (from: Uint32Array, to: Uint32Array) => {
      const histogram = to.map((n, b) => n - from[b]!);
      const samples = histogram.reduce((s, n) => s + n, 0);
      let maxBin = 0;
      histogram.forEach((n, b) => (maxBin = n > 0 ? b : maxBin));
      return {
        p50: ms(histogramPercentile(histogram, samples, 0.5)),
        p95: ms(histogramPercentile(histogram, samples, 0.95)),
        p99: ms(histogramPercentile(histogram, samples, 0.99)),
        max: samples > 0 ? ms(binUpperMs(maxBin)) : 0,
        samples,
      };
    };
    const allLatency = latencies(before.histogram, after.histogram);
    const probeLatency = spread > 0 ? latencies(before.probeHistogram, after.probeHistogram) : null;
    const lastLatency =
      lastProbe > 0 ? latencies(before.lastProbeHistogram, after.lastProbeHistogram) : null;
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
        .filter(
          (m) => m.name === 'ws_fanout_seconds_bucket' && m.labels.tenant_id === options.tenant,
        )
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
    // The probes' figures are the server's: see the header.
    const latencyMs = {
      ...(probeLatency ?? lastLatency ?? allLatency),
      of: probeLatency
        ? `${spread} probe clients spread evenly through the server's fan-out order`
        : lastLatency
          ? 'one probe client, joined last'
          : 'every client',
      resolution: '10 us bins below 20 ms, 1 ms bins to 2 s (upper edges)',
    };
    const behind = typeof allLatency.p95 !== 'number' || allLatency.p95 > CAUGHT_UP_MS || !caughtUp;
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
    const result = {
      bench: 'load',
      date: new Date().toISOString(),
      url,
      tenant: options.tenant,
      clients: options.clients,
      connected,
      seconds: round(windowS, 2),
      warmupSeconds: options.warmupSeconds,
      catchUp: { seconds: catchUpSeconds, caughtUp, clientsBehindInWindow: behind },
      stream: { ...stream, spins: stream.width * stream.height, nominalFps: round(nominalFps, 2) },
      machine: {
        cpus: availableParallelism(),
        loadAverage1m: round(loadavg()[0]!),
        loadAverageAtStart1m: loadAtStart,
      },
      split: {
        server: server
          ? `own process (pid ${server.pid}), cpus ${options.serverCpus ?? 'any'}`
          : `the process behind ${url}`,
        generator: `this process (pid ${process.pid}): ${loadThreads} worker thread(s) of ${perWorker.join('/')} load clients and ${probes} of one probe client each, cpus ${options.clientCpus ?? 'any'}; every client decodes every frame`,
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
      clientFaults: after.faults - before.faults,
      reconnects: after.closes - before.closes,
      target: {
        ...TARGET,
        rule: `probes' p95 < ${TARGET.latencyP95Ms} ms, every client >= ${MIN_RATE_SHARE * 100} % of the stream's rate, and every client caught up (p95 of all clients <= ${CAUGHT_UP_MS} ms)`,
      },
      holds,
    };
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, 2000);
            worker.once('message', () => (clearTimeout(timer), resolve()));
            worker.postMessage('stop');
          }),
      ),
    );
    if (server) {
      const stoppedAt = performance.now();
      const exitCode = await stopServer(server, 60_000);
      Object.assign(result.server, {
        exitCode,
        shutdownSeconds: round((performance.now() - stoppedAt) / 1000, 2),
      });
      server = undefined;
      if (options.profileDir) {
        // The main thread's profile: node names it CPU.DATE.TIME.PID.THREAD.SEQ.cpuprofile.
        const file = existsSync(options.profileDir)
          ? readdirSync(options.profileDir).find((f) => /\.0\.\d+\.cpuprofile$/.test(f))
          : undefined;
        Object.assign(result, {
          serverProfile: file
            ? summarizeProfile(path.join(options.profileDir, file))
            : `no profile written to ${options.profileDir}`,
        });
      }
    }
    console.log(JSON.stringify(result, null, 2));
    if (!holds) process.exitCode = 1;
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
    if (server) await stopServer(server);
  }
}

if (isMainThread) {
  main().catch((error: unknown) => {
    console.error((error as Error).message);
    process.exit(2);
  });
} else {
  runClientThread(workerData as WorkerInput);
}
