// A thread of stream clients, viewer sockets or decoding clients (ClientKind). Each thread runs its
// share of the clients and writes what they see into shared memory, which the coordinator reads
// whenever it likes: an overloaded thread (more frames than its core can take) cannot delay the
// measurement window or its own report.
import { setPriority } from 'node:os';
import path from 'node:path';
import { Worker, parentPort } from 'node:worker_threads';
import { wallClockMs } from '../../../src/core/wall-clock';
import { SUBPROTOCOL } from '../../../src/core/wire/envelope';
import { NodeStreamClient } from '../../../src/testing/node-stream-client';
import { HISTOGRAM_BINS, latencyBin } from './latency-histogram';
import {
  VIEWER_PING_INTERVAL_MS,
  VIEWER_REPORT_INTERVAL_MS,
  ViewerClient,
  type ViewerFrame,
} from './viewer-client';

/** Slots of a thread's `counters`. */
export const C = {
  faults: 0,
  closes: 1,
  connected: 2,
  intervalUs: 3,
  width: 4,
  height: 5,
} as const;

export interface ThreadShared {
  /** Frames each client of the thread decoded so far. */
  frames: Int32Array;
  /** One latency histogram per group of clients, HISTOGRAM_BINS counts each. */
  histograms: Uint32Array;
  counters: Int32Array;
}

export interface ClientThreadInput {
  /** Servers to connect to: client k of the whole run (firstClient + i) takes urls[k % n]. */
  urls: string[];
  firstClient: number;
  tenant: string;
  token: string | undefined;
  count: number;
  /** Histogram group of each client (load threads: all 0). */
  groups: number[];
  /**
   * `viewer`: clients that read, parse and sequence-check every message as a remote viewer's
   * socket does, without the delta decode (viewer-client.ts); `decoding`: clients that also
   * decode and check every frame, as the browser's worker does.
   */
  kind: ClientKind;
  /** Load threads run at the lowest priority, so the probes and the server get the CPU first. */
  lowPriority: boolean;
  buffers: {
    frames: SharedArrayBuffer;
    histograms: SharedArrayBuffer;
    counters: SharedArrayBuffer;
  };
}

export type ClientKind = 'viewer' | 'decoding';

/** What the thread needs of a client of either kind. */
interface LoadClient {
  readonly connected: boolean;
  readonly faults: number;
  readonly closes: number;
  start(): void;
  stop(): void;
  setReading(reading: boolean): void;
}

export type ToClientThread = { t: 'connect'; count: number } | { t: 'go' } | { t: 'stop' };

export function shareFor(
  count: number,
  groups: number,
): { shared: ThreadShared; buffers: ClientThreadInput['buffers'] } {
  const buffers = {
    frames: new SharedArrayBuffer(4 * count),
    histograms: new SharedArrayBuffer(4 * HISTOGRAM_BINS * groups),
    counters: new SharedArrayBuffer(4 * 8),
  };
  return { buffers, shared: sharedViews(buffers) };
}

function sharedViews(buffers: ClientThreadInput['buffers']): ThreadShared {
  return {
    frames: new Int32Array(buffers.frames),
    histograms: new Uint32Array(buffers.histograms),
    counters: new Int32Array(buffers.counters),
  };
}

/** The thread's side: runs inside the worker (client-thread-entry.ts). */
export function runClientThread(input: ClientThreadInput): void {
  // On Linux, setpriority on the calling task sets this thread's nice value alone.
  if (input.lowPriority) setPriority(19);
  const { frames, histograms, counters } = sharedViews(input.buffers);
  const protocols = input.token ? [SUBPROTOCOL, `bearer.${input.token}`] : [SUBPROTOCOL];
  const wsUrls = input.urls.map(
    (u) => `${u.replace(/^http/, 'ws')}/ws?tenant=${encodeURIComponent(input.tenant)}`,
  );
  // Clients go to the servers in turn (the gateways of a cluster; one server alone).
  const urlOf = (i: number): string => wsUrls[(input.firstClient + i) % wsUrls.length]!;
  // Until the coordinator says 'go', a client that has its first frame stops reading (the server
  // backs off from it): a thread decoding for the clients already there would otherwise starve
  // the handshakes of those still connecting, and stretch the ramp into minutes.
  let ramping = true;
  const frameSeen = (i: number, client: LoadClient, frame: ViewerFrame, atMs: number): void => {
    const offset = input.groups[i]! * HISTOGRAM_BINS;
    Atomics.add(histograms, offset + latencyBin(atMs - frame.producedAtMs), 1);
    if (Atomics.add(frames, i, 1) === 0 && ramping) client.setReading(false);
    if (counters[C.intervalUs] === 0) {
      Atomics.store(counters, C.width, frame.width);
      Atomics.store(counters, C.height, frame.height);
      Atomics.store(counters, C.intervalUs, frame.intervalUs);
    }
  };
  const viewers: ViewerClient[] = [];
  const clients: LoadClient[] = Array.from({ length: input.count }, (_v, i) => {
    if (input.kind === 'viewer') {
      const viewer: ViewerClient = new ViewerClient({
        url: urlOf(i),
        protocols,
        onFrame: (frame, receivedAtMs) => frameSeen(i, viewer, frame, receivedAtMs),
      });
      viewers.push(viewer);
      return viewer;
    }
    const client: NodeStreamClient = new NodeStreamClient({
      url: urlOf(i),
      protocols,
      reportLatency: true,
      onFrame: (frame) => {
        // Decode-complete time: what a browser's worker would call the frame's arrival.
        const decodedAtMs = wallClockMs();
        const info = client.decoder.info!;
        frameSeen(i, client, { ...frame, intervalUs: info.intervalUs }, decodedAtMs);
      },
    });
    return client;
  });
  // The browser's cadence, one timer per thread: pings and latency reports reach the server as
  // from that many viewers, and the server handles them as it would theirs.
  const pinging = setInterval(() => viewers.forEach((v) => v.ping()), VIEWER_PING_INTERVAL_MS);
  const reporting = setInterval(
    () => viewers.forEach((v) => v.reportLatencies()),
    VIEWER_REPORT_INTERVAL_MS,
  );
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
  parentPort!.on('message', (message: ToClientThread) => {
    if (message.t === 'connect') {
      for (const client of clients.slice(started, started + message.count)) client.start();
      started = Math.min(clients.length, started + message.count);
    } else if (message.t === 'go') {
      ramping = false;
      for (const client of clients) client.setReading(true);
    } else {
      clearInterval(publish);
      clearInterval(pinging);
      clearInterval(reporting);
      for (const client of clients) client.stop();
      parentPort!.postMessage('stopped');
    }
  });
}

/**
 * The coordinator's side: starts a thread running client-thread-entry.ts; under tsx it registers
 * tsx first (Node 20 workers do not inherit loader hooks).
 */
export function startClientThread(input: ClientThreadInput): Worker {
  const entry = new URL(
    `./client-thread-entry${path.extname(new URL(import.meta.url).pathname)}`,
    import.meta.url,
  ).href;
  if (!entry.endsWith('.ts')) return new Worker(new URL(entry), { workerData: input });
  const api = import.meta.resolve('tsx/esm/api');
  const boot = `import { register } from ${JSON.stringify(api)}; register(); await import(${JSON.stringify(entry)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(boot)}`), {
    workerData: input,
  });
}
