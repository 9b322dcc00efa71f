// A loopback TCP proxy that misbehaves on purpose, for resilience tests and drills: delays each
// chunk with jitter, sometimes swaps two chunks, and cuts connections at random moments.
import net from 'node:net';
import { createRng } from '../sim/rng';

export interface ChaosOptions {
  targetPort: number;
  targetHost?: string;
  /** Each chunk is delayed by a uniform 0..jitterMs. */
  jitterMs: number;
  /** Probability that a chunk is held back and sent after the next one. */
  reorderProbability: number;
  /** Each connection is cut after a uniform random lifetime in this range (ms); null never cuts. */
  lifetimeMs: [min: number, max: number] | null;
  seed: bigint;
}

export interface ChaosProxy {
  port: number;
  connections: number;
  drops: number;
  reorders: number;
  close(): Promise<void>;
}

export async function startChaosProxy(options: ChaosOptions): Promise<ChaosProxy> {
  const rng = createRng(options.seed);
  const sockets = new Set<net.Socket>();
  const stats = { connections: 0, drops: 0, reorders: 0 };

  // Delivers chunks in order, each no earlier than its jittered due time (a FIFO drained by one
  // timer: separate timers due at the same moment fire in no promised order, which would reorder
  // chunks by accident); only `reorderProbability` swaps two chunks on purpose.
  const pipe = (from: net.Socket, to: net.Socket): void => {
    const queue: { dueMs: number; chunk: Buffer }[] = [];
    let timer: NodeJS.Timeout | undefined;
    let heldBack: Buffer | null = null;
    const drain = (): void => {
      timer = undefined;
      const nowMs = performance.now();
      while (queue.length > 0 && queue[0]!.dueMs <= nowMs) {
        const { chunk } = queue.shift()!;
        if (!to.destroyed) to.write(chunk);
      }
      if (queue.length > 0) timer = setTimeout(drain, queue[0]!.dueMs - nowMs);
    };
    from.on('data', (chunk: Buffer) => {
      const nowMs = performance.now();
      const last = queue[queue.length - 1]?.dueMs ?? 0;
      const dueMs = Math.max(last, nowMs + rng.nextFloat() * options.jitterMs);
      let toSend: Buffer[] = [chunk];
      if (heldBack) {
        toSend = [chunk, heldBack];
        heldBack = null;
        stats.reorders += 1;
      } else if (rng.nextFloat() < options.reorderProbability) {
        heldBack = chunk;
        toSend = [];
      }
      for (const c of toSend) queue.push({ dueMs, chunk: c });
      if (timer === undefined && queue.length > 0)
        timer = setTimeout(drain, queue[0]!.dueMs - nowMs);
    });
    from.on('close', () => clearTimeout(timer));
  };

  const server = net.createServer((client) => {
    stats.connections += 1;
    const upstream = net.connect(options.targetPort, options.targetHost ?? '127.0.0.1');
    sockets.add(client);
    sockets.add(upstream);
    const cut = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', cut);
    upstream.on('error', cut);
    client.on('close', () => {
      sockets.delete(client);
      upstream.destroy();
    });
    upstream.on('close', () => {
      sockets.delete(upstream);
      client.destroy();
    });
    pipe(client, upstream);
    pipe(upstream, client);
    if (options.lifetimeMs) {
      const [min, max] = options.lifetimeMs;
      const dropTimer = setTimeout(
        () => {
          stats.drops += 1;
          cut();
        },
        min + rng.nextFloat() * (max - min),
      );
      client.on('close', () => clearTimeout(dropTimer));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as net.AddressInfo;
  return {
    port: address.port,
    get connections() {
      return stats.connections;
    },
    get drops() {
      return stats.drops;
    },
    get reorders() {
      return stats.reorders;
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
