// Which clients run on which thread, and the threads' lifetime. The load clients share a few
// threads; every probe gets a thread of its own, since a thread decodes one frame at a time and
// probes queued behind each other would measure the queue.
import type { Worker } from 'node:worker_threads';
import {
  shareFor,
  startClientThread,
  type ThreadShared,
  type ToClientThread,
} from './client-thread';
import type { LoadOptions } from './options';

export interface ClientPlan {
  /** Probes placed evenly through the server's fan-out order, one in each slice of load clients. */
  spread: number;
  /** 1 when a probe joins after everybody, else 0. */
  lastProbe: number;
  probes: number;
  loadClients: number;
  loadThreads: number;
  /** Load clients of each load thread. */
  perWorker: number[];
  /** Histogram group of each client, per thread: the load threads, then one per probe. */
  groups: number[][];
}

export function planClients(
  options: Pick<LoadOptions, 'clients' | 'probes' | 'workers'>,
): ClientPlan {
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
  for (let p = 0; p < probes; p++) groups.push([p < spread ? 0 : 1]);
  return { spread, lastProbe, probes, loadClients, loadThreads, perWorker, groups };
}

export interface ClientThreads {
  workers: Worker[];
  shares: ThreadShared[];
  send(thread: number, message: ToClientThread): void;
  /** Asks every thread to stop its clients, waiting up to 2 s for each. */
  stop(): Promise<void>;
  terminate(): Promise<void>;
}

export function startClientThreads(
  urls: string[],
  options: Pick<LoadOptions, 'tenant' | 'token' | 'loadClients'>,
  plan: ClientPlan,
): ClientThreads {
  const workers: Worker[] = [];
  let firstClient = 0;
  const shares = plan.groups.map((groupOf, w) => {
    const { shared, buffers } = shareFor(groupOf.length, plan.probes > 0 ? 2 : 1);
    const worker = startClientThread({
      urls,
      firstClient,
      tenant: options.tenant,
      token: options.token,
      count: groupOf.length,
      groups: groupOf,
      // Probes decode every frame, as a browser does: their latency is a viewer's.
      kind: w < plan.loadThreads ? options.loadClients : 'decoding',
      lowPriority: w < plan.loadThreads,
      buffers,
    });
    firstClient += groupOf.length;
    worker.on('error', (error) => {
      console.error(`[bench:load] client thread failed: ${error.stack ?? error.message}`);
      process.exit(2);
    });
    workers.push(worker);
    return shared;
  });
  return {
    workers,
    shares,
    send: (thread, message) => workers[thread]!.postMessage(message),
    async stop() {
      await Promise.all(
        workers.map(
          (worker) =>
            new Promise<void>((resolve) => {
              const timer = setTimeout(resolve, 2000);
              worker.once('message', () => (clearTimeout(timer), resolve()));
              worker.postMessage({ t: 'stop' } satisfies ToClientThread);
            }),
        ),
      );
    },
    async terminate() {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
