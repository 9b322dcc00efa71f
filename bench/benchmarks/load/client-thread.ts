// A thread of stream clients. Each thread runs its share of the clients and writes what they see
// into shared memory, which the coordinator reads whenever it likes: an overloaded thread (more
// frames to decode than its core can) cannot delay the measurement window or its own report.
import { setPriority } from 'node:os';
import path from 'node:path';
import { Worker, parentPort } from 'node:worker_threads';
import { SUBPROTOCOL } from '../../../src/core/wire/envelope';
import { NodeStreamClient } from '../../../src/testing/node-stream-client';
import { HISTOGRAM_BINS, latencyBin } from './latency-histogram';

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
  /** Load threads run at the lowest priority, so the probes and the server get the CPU first. */
  lowPriority: boolean;
  buffers: {
    frames: SharedArrayBuffer;
    histograms: SharedArrayBuffer;
    counters: SharedArrayBuffer;
  };
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
  // Until the coordinator says 'go', a client that has its first frame stops reading (the server
  // backs off from it): a thread decoding for the clients already there would otherwise starve
  // the handshakes of those still connecting, and stretch the ramp into minutes.
  let ramping = true;
  const clients: NodeStreamClient[] = Array.from({ length: input.count }, (_v, i) => {
    const offset = input.groups[i]! * HISTOGRAM_BINS;
    const client = new NodeStreamClient({
      url: wsUrls[(input.firstClient + i) % wsUrls.length]!,
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
  parentPort!.on('message', (message: ToClientThread) => {
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
