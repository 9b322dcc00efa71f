// The ramp, step by step so that the server's fan-out order is the planned one: each step's
// clients have their first frame (they are subscribed) before the next step connects. The probes
// join one in the middle of each slice of load clients, and the last probe after everybody.
import { sleep } from '../../support/sleep';
import { C, type ToClientThread } from './client-thread';
import type { ClientPlan, ClientThreads } from './client-threads';

const RAMP_LIMIT_MS = 120_000;

export async function rampClients(plan: ClientPlan, threads: ClientThreads): Promise<void> {
  const { shares } = threads;
  const started = shares.map(() => 0);
  const readyBy = Date.now() + RAMP_LIMIT_MS;
  const connect = async (counts: number[]): Promise<void> => {
    counts.forEach((count, w) => {
      if (count === 0) return;
      threads.send(w, { t: 'connect', count } satisfies ToClientThread);
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
      for (let w = 0; w < plan.loadThreads; w++) {
        if (started[w]! + counts[w]! >= plan.perWorker[w]!) continue;
        const fill = (started[w]! + counts[w]!) / plan.perWorker[w]!;
        if (best < 0 || fill < (started[best]! + counts[best]!) / plan.perWorker[best]!) best = w;
      }
      if (best >= 0) counts[best]! += 1;
    }
    return connect(counts);
  };
  let probesConnected = 0;
  const connectProbe = (): Promise<void> => {
    const thread = plan.loadThreads + probesConnected++;
    return connect(shares.map((_sh, w) => (w === thread ? 1 : 0)));
  };
  const rounds = Math.max(1, plan.spread);
  for (let r = 0; r < rounds; r++) {
    const chunk =
      Math.floor((plan.loadClients * (r + 1)) / rounds) -
      Math.floor((plan.loadClients * r) / rounds);
    await connectLoad(Math.floor(chunk / 2));
    if (plan.spread > 0) await connectProbe();
    await connectLoad(chunk - Math.floor(chunk / 2));
  }
  if (plan.lastProbe) await connectProbe();
  for (let w = 0; w < shares.length; w++) threads.send(w, { t: 'go' } satisfies ToClientThread);
}
