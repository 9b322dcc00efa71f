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

  // Delivers chunks in order of their (jittered) due times, holding one back now and then.
  const pipe = (from: net.Socket, to: net.Socket): void => {
    let lastDueMs = 0;
    let heldBack: Buffer | null = null;
    from.on('data', (chunk: Buffer) => {
      const nowMs = performance.now();
      const dueMs = Math.max(lastDueMs, nowMs + rng.nextFloat() * options.jitterMs);
      lastDueMs = dueMs;
      let toSend: Buffer[] = [chunk];
      if (heldBack) {
        toSend = [chunk, heldBack];
        heldBack = null;
        stats.reorders += 1;
      } else if (rng.nextFloat() < options.reorderProbability) {
        heldBack = chunk;
        toSend = [];
      }
      setTimeout(() => {
        for (const c of toSend) if (!to.destroyed) to.write(c);
      }, dueMs - nowMs);
    });
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
