// Load benchmark: N real stream clients against one server process, and one JSON object with what
// it cost, the server's CPU and the load generator's apart.
//
//   npm run bench:load -- --clients N --seconds S [--tenant T] [--url http://HOST:PORT]
//        [--token TOKEN] [--load-clients viewer|decoding] [--workers W] [--probes K]
//        [--warmup S] [--profile DIR] [--server-cpus LIST|any] [--client-cpus LIST|any]
//
// The load clients do to the server what a remote viewer's socket does (--load-clients viewer,
// the default: load/viewer-client.ts): read every message as it arrives, parse the envelope, follow
// the sequence (asking for a resync after a gap), ping and report latencies as the browser does,
// but not decode the frames, which is the viewers' own work on their own machines. With every
// load client decoding every frame (--load-clients decoding), 500 clients are 30,000 decodes a
// second on the generator's cores, and on one machine that hides the server's cost behind the
// generator's. The probes (below) always decode, as a browser does.
//
// Without --url it starts its own server (`src/server/main.ts`, a fresh data directory) as a
// separate process; --profile DIR runs that server under `node --cpu-prof` and summarizes the
// profile. The clients run in worker threads of this process, so their work never shares an
// event loop with the server: W threads of load clients (default: one per core less two, at least
// one) and a thread for each probe client. They count frames and latencies in shared
// memory that the coordinating thread reads at the window's edges, so an overloaded client thread
// cannot stretch the window.
//
// A thread takes its clients' frames one after another, so the last of hundreds of clients in a
// thread sees its frame late for reasons that have nothing to do with the server.
// The load threads run at nice 19: in production the clients are other machines, and here the
// server and the probes must not wait for a core behind them.
//
// The reported latency is the probes': K clients (--probes, default 2), each on a thread
// of its own, connected one in the middle of each K-th of the load clients, so they sit evenly
// through the server's subscription order, plus one that joins after everybody
// (latencyMsLastJoined). A server that fans out in subscription order serves that one last every
// frame; one that rotates the start of its fan-out (src/server/stream/bus.ts) serves every client
// at every position in turn, and the last-joined probe then measures like the others. Every
// client's latency, thread queue included, is reported beside them (latencyMsAllClients).
// Each probe decodes every frame, 0.5-0.9 ms of a core here, on the generator's cores: eight of
// them woke within the same few milliseconds and waited for each other (100 clients on the 2-core
// machine, fan-out 1.5 ms: probes' p95 9.1 ms with 8 probes, 6.3 with 4, 5.0 with 2). With the
// fan-out rotating, two probes already see every position of the order in turn.
//
// --server-cpus / --client-cpus pin the two processes with taskset (e.g. 0 and 1 on two cores).
// A server the run starts is pinned by default on a machine of two or more cores: the server on
// CPU 0, the generator on the others (load/options.ts, cpuPinning; `any` pins nothing).
//
// Latency is the probes' decode-complete time (a viewer client's: arrival) minus the frame's
// producedAtMs: both are the wall clock of the
// same machine (src/core/wall-clock.ts), so no offset is needed. Frames per
// second, latency and server CPU are taken over the same window, after every client has its
// first frame, has caught up with the frames queued during the ramp, and a warm-up. Exits 1 when
// the run does not hold the target (the probes' p95 < 7 ms, every client at >= 90 % of the
// stream's rate and none of them behind the stream), 2 when it cannot run.
import { loadavg } from 'node:os';
import { optionsOrExit } from '../support/cli';
import { round } from '../support/round';
import { stopServer } from '../support/server-process';
import { sleep } from '../support/sleep';
import { planClients, startClientThreads, type ClientThreads } from './load/client-threads';
import { LOAD_USAGE, parseLoadOptions } from './load/options';
import { serverProfileIn } from './load/profile-summary';
import { rampClients } from './load/ramp';
import { loadReport } from './load/report';
import { takeSnapshot, waitForCatchUp } from './load/sampling';
import { pin, startOrAttachServer, stopOwnServer } from './load/server';

async function main(): Promise<void> {
  const options = optionsOrExit('bench:load', LOAD_USAGE, parseLoadOptions);
  const loadAtStart = round(loadavg()[0]!);
  const server = await startOrAttachServer(options);
  let threads: ClientThreads | undefined;
  try {
    const plan = planClients(options);
    threads = startClientThreads(server.urls, options, plan);
    if (options.clientCpus) pin(process.pid, options.clientCpus);
    await rampClients(plan, threads);
    const catchUp = await waitForCatchUp(threads);
    await sleep(options.warmupSeconds * 1000);
    const snapshot = () => takeSnapshot(threads!, plan.loadThreads, server);
    const before = await snapshot();
    await sleep(options.seconds * 1000);
    const after = await snapshot();
    const result = loadReport({
      options,
      server,
      plan,
      threads,
      catchUp,
      before,
      after,
      loadAtStart,
    });
    await threads.stop();
    if (server.child) {
      Object.assign(result.server, await stopOwnServer(server.child));
      if (options.profileDir) {
        Object.assign(result, { serverProfile: serverProfileIn(options.profileDir) });
      }
    }
    console.log(JSON.stringify(result, null, 2));
    if (!result.holds) process.exitCode = 1;
  } finally {
    await threads?.terminate();
    if (server.child) await stopServer(server.child);
    await server.stopCluster?.();
  }
}

main().catch((error: unknown) => {
  console.error((error as Error).message);
  process.exit(2);
});
