// Readings of the run: the wait until every client has caught up with the stream, and snapshots of
// the clients' shared counters, the server's /metrics and both processes' CPU time, taken at the
// edges of the measuring window.
import { procStat, type ProcStat } from '../../support/proc-stat';
import { round } from '../../support/round';
import { scrapeMetrics, type MetricSample } from '../../support/server-metrics';
import { sleep } from '../../support/sleep';
import { C } from './client-thread';
import type { ClientThreads } from './client-threads';
import type { LoadNode, LoadServer } from './server';
import { HISTOGRAM_BINS, histogramPercentile, sumHistograms } from './latency-histogram';
import { CATCH_UP_LIMIT_S, CAUGHT_UP_MS } from './target';

export interface CatchUp {
  seconds: number;
  caughtUp: boolean;
}

/**
 * The clients that waited during the ramp find frames queued in their sockets: the window starts
 * once every client decodes frames within CAUGHT_UP_MS of their production (p99 over half a
 * second), or after CATCH_UP_LIMIT_S when the load threads cannot keep up at all.
 */
export async function waitForCatchUp(threads: ClientThreads): Promise<CatchUp> {
  const { shares } = threads;
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
  return { seconds: round((performance.now() - catchUpStarted) / 1000, 1), caughtUp };
}

/** One process of a cluster run at a window's edge. */
export interface NodeReading {
  role: LoadNode['role'];
  url: string | null;
  cpuSeconds: number | null;
  metrics: MetricSample[];
}

export interface Snapshot {
  atMs: number;
  /** The /metrics of the servers under load: one server, or every gateway (sums add up). */
  metrics: MetricSample[];
  /** With --gateways: each process of the cluster. */
  nodes: NodeReading[];
  server: ReturnType<typeof procStat>;
  generatorCpuUs: number;
  frames: Int32Array[];
  histogram: Uint32Array;
  probeHistogram: Uint32Array;
  lastProbeHistogram: Uint32Array;
  faults: number;
  closes: number;
}

/** The probes' threads come after the load threads; their second histogram is the last probe's. */
export async function takeSnapshot(
  threads: ClientThreads,
  loadThreads: number,
  server: LoadServer,
): Promise<Snapshot> {
  const serving = server.nodes.filter((n) => n.role === 'all' || n.role === 'gateway');
  const { shares } = threads;
  const probeShares = shares.slice(loadThreads);
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
    server: serving.every((n) => n.pid !== undefined)
      ? sumProcStats(serving.map((n) => procStat(n.pid!)))
      : null,
    generatorCpuUs: process.cpuUsage().user + process.cpuUsage().system,
  };
  const auth = server.metricsAuthorization;
  const scrape = (url: string | null): Promise<MetricSample[]> =>
    url ? scrapeMetrics(url, auth) : Promise.resolve([]);
  const nodes =
    server.nodes.length > 1
      ? await Promise.all(
          server.nodes.map(async (n) => ({
            role: n.role,
            url: n.url,
            cpuSeconds: n.pid !== undefined ? (procStat(n.pid)?.cpuSeconds ?? null) : null,
            metrics: await scrape(n.url),
          })),
        )
      : [];
  const metrics = (await Promise.all(serving.map((n) => scrape(n.url)))).flat();
  return { ...taken, metrics, nodes };
}

/** Several processes as one: CPU and memory added up; null if any of them is gone. */
function sumProcStats(stats: (ProcStat | null)[]): ProcStat | null {
  if (stats.some((s) => s === null)) return null;
  return stats.reduce<ProcStat>(
    (sum, s) => ({
      cpuSeconds: sum.cpuSeconds + s!.cpuSeconds,
      rssBytes: sum.rssBytes + s!.rssBytes,
      peakRssBytes: sum.peakRssBytes + s!.peakRssBytes,
    }),
    { cpuSeconds: 0, rssBytes: 0, peakRssBytes: 0 },
  );
}
