// Disaster drill: kill -9 the server in the middle of streaming and of writes, let a supervisor
// restart it (as systemd does with ops/systemd/phase-console.service: Restart=always,
// RestartSec=1), and check that nothing acknowledged was lost and that clients came back by
// themselves. Prints one JSON object; exits 1 on a lost ticket or token or a client that did not
// resume, 2 when it cannot run.
//
//   npm run drill:kill9 -- [--seconds S] [--kills K] [--clients N] [--restart-ms MS]
//        [--trace PATH | --lattice WxH]
//
// While clients stream, tickets are opened through the REST API (POST /api/tickets, with a token)
// and tokens issued with the admin CLI (`src/cli/admin.ts token issue`, its own process and its
// own database connection), both in loops. A write counts as acknowledged when the API answered
// 2xx or the CLI exited 0. Each kill waits until a ticket request and a CLI run are both in
// flight. Outage: from the kill to the first /healthz 200 after it (probed every 50 ms), and to
// each client's first frame after it.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { percentile } from '../../src/core/stats';
import { numberOption, optionsOrExit } from '../support/cli';
import { NodeStreamClient } from '../../src/testing/node-stream-client';
import { tempDir } from '../../src/testing/temp-dir';
import { drillTrace, parseLattice } from '../support/drill-trace';
import { round } from '../support/round';
import {
  demoOnlyTenantsFile,
  freePort,
  healthy,
  spawnServer,
  stopServer,
  waitHealthy,
} from '../support/server-process';
import { sleep } from '../support/sleep';

/** The clients' longest wait between reconnection attempts (the browser's is the same). */
const BACKOFF_MAX_MS = 5000;
/**
 * How long after the last kill the run waits for every client to be back: the restart (supervisor
 * delay and server start, seconds on a busy machine) plus two of the longest back-off waits.
 */
const RESUME_WAIT_MS = 20_000;

interface Options {
  seconds: number;
  kills: number;
  clients: number;
  restartMs: number;
  trace: string | undefined;
  lattice: { width: number; height: number } | undefined;
}

function parseOptions(): Options {
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string', default: '30' },
      kills: { type: 'string', default: '3' },
      clients: { type: 'string', default: '5' },
      'restart-ms': { type: 'string', default: '1000' },
      trace: { type: 'string' },
      lattice: { type: 'string' },
    },
    strict: true,
  });
  const int = (name: string, value: string, min: number, max: number): number =>
    numberOption(name, value, { min, max });
  const kills = int('kills', values.kills, 1, 50);
  const seconds = int('seconds', values.seconds, 1, 3600);
  // Each kill needs time for the restart and for the clients to resume before the next.
  if (seconds < kills * 6) {
    throw new Error(`[drill:kill9] --seconds must be at least ${kills * 6} for ${kills} kill(s)`);
  }
  return {
    seconds,
    kills,
    clients: int('clients', values.clients, 0, 500),
    restartMs: int('restart-ms', values['restart-ms'], 0, 60_000),
    trace: values.trace,
    lattice: parseLattice(values.lattice),
  };
}

/** Runs the admin CLI on the data directory; resolves with its exit code and output. */
function admin(
  dataDir: string,
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'src/cli/admin.ts', '--data', dataDir, ...args],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Stands in for systemd: runs the server and starts it again `restartMs` after it dies. */
class Supervisor {
  child: ChildProcess | undefined;
  starts = 0;
  readonly exits: { atMs: number; code: number | null; signal: string | null }[] = [];
  private stopping = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly spawnOnce: () => ChildProcess,
    private readonly restartMs: number,
  ) {}

  start(): void {
    if (this.stopping) return;
    const child = this.spawnOnce();
    this.child = child;
    this.starts += 1;
    child.once('exit', (code, signal) => {
      this.exits.push({ atMs: performance.now(), code, signal });
      if (this.child === child) this.child = undefined;
      if (!this.stopping) this.timer = setTimeout(() => this.start(), this.restartMs);
    });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.timer);
    if (this.child) await stopServer(this.child);
  }
}

async function main(): Promise<void> {
  const options = optionsOrExit(
    'drill:kill9',
    'npm run drill:kill9 -- [--seconds S] [--kills K] [--clients N] [--restart-ms MS] ' +
      '[--trace PATH | --lattice WxH]',
    parseOptions,
  );
  const failures: string[] = [];
  const work = tempDir('drill-kill9');
  const dataDir = path.join(work, 'data');
  const tracePath = await drillTrace(work, options.trace, options.lattice);
  const tenantsFile = demoOnlyTenantsFile(work, tracePath);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const runId = Date.now().toString(36);

  const supervisor = new Supervisor(
    () => spawnServer({ port, dataDir, tenantsFile, stdio: ['ignore', 'ignore', 'ignore'] }),
    options.restartMs,
  );
  const clients: NodeStreamClient[] = [];
  let running = true;
  try {
    supervisor.start();
    await waitHealthy(url, 120_000, supervisor.child);

    // An operator token granted the demo tenant, so that it may write its tickets.
    const issued = await admin(dataDir, [
      'token',
      'issue',
      '--name',
      'kill9-writer',
      '--tenants',
      'demo',
      '--role',
      'operator',
    ]);
    if (issued.code !== 0) throw new Error(`[drill:kill9] cannot issue a token: ${issued.stderr}`);
    const writerToken = issued.stdout.trim();
    for (let i = 0; ; i++) {
      const res = await fetch(`${url}/api/tickets?tenant=demo&limit=1`, {
        headers: { authorization: `Bearer ${writerToken}` },
      });
      if (res.status === 200) break;
      if (i > 50)
        throw new Error(`[drill:kill9] the server does not accept the token (${res.status})`);
      await sleep(100);
    }

    // Clients with the browser's back-off (docs/PROTOCOL.md section 6). Each keeps the time of
    // the first frame after every silence of 100 ms or more: enough to find its return after a
    // kill without keeping every frame time.
    const frameTimes: number[][] = [];
    for (let i = 0; i < options.clients; i++) {
      const resumedAt: number[] = [];
      frameTimes.push(resumedAt);
      let lastFrameMs = -Infinity;
      const client = new NodeStreamClient({
        url: `ws://127.0.0.1:${port}/ws`,
        backoffBaseMs: 250,
        backoffMaxMs: BACKOFF_MAX_MS,
        onFrame: () => {
          const now = performance.now();
          if (now - lastFrameMs >= 100) resumedAt.push(now);
          lastFrameMs = now;
        },
      });
      clients.push(client);
      client.start();
    }

    // Writers. Acknowledged writes are what must survive.
    const ackedTickets = new Map<number, string>();
    const ackedTokens = new Set<string>();
    const attempts = { tickets: 0, ticketErrors: 0, tokens: 0, tokenErrors: 0 };
    let ticketInFlight = false;
    let cliInFlight = false;
    const ticketWriter = (async () => {
      for (let n = 0; running; n++) {
        attempts.tickets += 1;
        ticketInFlight = true;
        try {
          const title = `kill9 drill ${runId} #${n}`;
          const res = await fetch(`${url}/api/tickets`, {
            method: 'POST',
            headers: { authorization: `Bearer ${writerToken}`, 'content-type': 'application/json' },
            body: JSON.stringify({ tenant: 'demo', title, severity: 'info', by: 'drill' }),
            signal: AbortSignal.timeout(5000),
          });
          const body = (await res.json()) as { ticket?: { id: number } };
          if (res.status >= 200 && res.status < 300 && body.ticket) {
            ackedTickets.set(body.ticket.id, title);
          } else attempts.ticketErrors += 1;
        } catch {
          attempts.ticketErrors += 1;
          await sleep(50);
        } finally {
          ticketInFlight = false;
        }
        await sleep(10);
      }
    })();
    const tokenWriter = (async () => {
      for (let n = 0; running; n++) {
        attempts.tokens += 1;
        cliInFlight = true;
        const result = await admin(dataDir, [
          'token',
          'issue',
          '--name',
          `kill9-${runId}-${n}`,
          '--tenants',
          'demo',
        ]);
        cliInFlight = false;
        const tokenId = /issued (tok_[0-9a-f]+)/.exec(result.stderr)?.[1];
        if (result.code === 0 && tokenId) ackedTokens.add(tokenId);
        else attempts.tokenErrors += 1;
      }
    })();

    // Health probe every 50 ms: the outage as an operator's monitor would see it.
    const probes: { atMs: number; ok: boolean }[] = [];
    const prober = (async () => {
      while (running) {
        probes.push({ atMs: performance.now(), ok: await healthy(url, 500) });
        await sleep(50);
      }
    })();

    const startedAtMs = performance.now();
    const kills: { atMs: number; pid: number; ticketInFlight: boolean; cliInFlight: boolean }[] =
      [];
    const runMs = options.seconds * 1000;
    for (let k = 0; k < options.kills; k++) {
      // The last kill leaves at least 5 s for the restart and the clients' return.
      const atMs = Math.min(((k + 1) * runMs) / (options.kills + 1), runMs - 5000);
      const waitMs = atMs - (performance.now() - startedAtMs);
      if (waitMs > 0) await sleep(waitMs);
      // Mid-writes: wait (a little) until a ticket request and a CLI run are both in flight.
      const waitUntil = performance.now() + 2000;
      while (!(ticketInFlight && cliInFlight) && performance.now() < waitUntil) await sleep(1);
      const child = supervisor.child;
      if (!child?.pid) {
        failures.push(`kill ${k + 1}: no server running to kill`);
        continue;
      }
      kills.push({ atMs: performance.now(), pid: child.pid, ticketInFlight, cliInFlight });
      child.kill('SIGKILL');
    }
    const remainingMs = runMs - (performance.now() - startedAtMs);
    if (remainingMs > 0) await sleep(remainingMs);
    // The clients' back-off decides when they try again, not the machine's speed: on a busy
    // machine the restart takes longer and a client's next attempt may fall after the run's end.
    // Whether they resume by themselves is the question, so the run waits for them (writers and
    // probe still going) up to RESUME_WAIT_MS after the last kill; how long they took is reported.
    const lastKillMs = kills[kills.length - 1]?.atMs;
    if (lastKillMs !== undefined) {
      const resumed = (): boolean =>
        frameTimes.every((times) => times.some((t) => t > lastKillMs + 100));
      while (!resumed() && performance.now() < lastKillMs + RESUME_WAIT_MS) await sleep(100);
    }
    running = false;
    await Promise.all([ticketWriter, tokenWriter, prober]);

    // Outages: kill -> first healthz 200 after it; kill -> each client's first frame after it.
    const outages = kills.map((kill, k) => {
      const nextKillMs = kills[k + 1]?.atMs ?? Infinity;
      const firstFail = probes.find((p) => p.atMs >= kill.atMs && !p.ok);
      const firstOk = probes.find((p) => p.atMs > (firstFail?.atMs ?? kill.atMs) && p.ok);
      // Frames already on their way when the process died arrive within milliseconds; the server
      // cannot be back within 100 ms (it is restarted after restartMs, then starts up).
      const backMs = frameTimes.map((times) => {
        const t = times.find((f) => f > kill.atMs + 100 && f < nextKillMs);
        return t === undefined ? null : t - kill.atMs;
      });
      const returned = backMs.filter((ms): ms is number => ms !== null);
      if (!firstOk || firstOk.atMs > nextKillMs) {
        failures.push(`kill ${k + 1}: /healthz never answered 200 again before the next kill`);
      }
      if (returned.length < options.clients) {
        failures.push(
          `kill ${k + 1}: ${options.clients - returned.length} client(s) got no frame again`,
        );
      }
      return {
        healthzSeconds: firstOk ? round((firstOk.atMs - kill.atMs) / 1000, 2) : null,
        healthzFirstFailToFirstOkSeconds:
          firstOk && firstFail ? round((firstOk.atMs - firstFail.atMs) / 1000, 2) : null,
        clientsBackSeconds: {
          median: returned.length ? round(percentile(returned, 0.5) / 1000, 2) : null,
          max: returned.length ? round(Math.max(...returned) / 1000, 2) : null,
        },
        midWrites: { ticketRequest: kill.ticketInFlight, cliRun: kill.cliInFlight },
      };
    });

    // Nothing acknowledged is missing after the restarts.
    const seenTickets = new Set<number>();
    let cursor: string | null = null;
    do {
      const query = `tenant=demo&source=manual&limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const res = await fetch(`${url}/api/tickets?${query}`, {
        headers: { authorization: `Bearer ${writerToken}` },
      });
      if (res.status !== 200)
        throw new Error(`[drill:kill9] listing tickets answered ${res.status}`);
      const page = (await res.json()) as { tickets: { id: number }[]; nextCursor: string | null };
      for (const t of page.tickets) seenTickets.add(t.id);
      cursor = page.nextCursor;
    } while (cursor);
    const lostTickets = [...ackedTickets.keys()].filter((id) => !seenTickets.has(id));
    const listed = await admin(dataDir, ['token', 'list', '--json']);
    if (listed.code !== 0) throw new Error(`[drill:kill9] token list failed: ${listed.stderr}`);
    const tokenIds = new Set(
      (JSON.parse(listed.stdout) as { tokenId: string }[]).map((t) => t.tokenId),
    );
    const lostTokens = [...ackedTokens].filter((id) => !tokenIds.has(id));
    if (lostTickets.length) failures.push(`lost acknowledged tickets: ${lostTickets.join(', ')}`);
    if (lostTokens.length) failures.push(`lost acknowledged tokens: ${lostTokens.join(', ')}`);

    const streamingAtEnd = clients.filter((c) => c.connected).length;
    if (streamingAtEnd < options.clients) {
      failures.push(`${options.clients - streamingAtEnd} client(s) not connected at the end`);
    }
    const healthzOutages = outages
      .map((o) => o.healthzSeconds)
      .filter((s): s is number => s !== null);
    const result = {
      drill: 'kill9',
      date: new Date().toISOString(),
      seconds: options.seconds,
      restartDelayMs: options.restartMs,
      trace: tracePath,
      kills: kills.length,
      serverStarts: supervisor.starts,
      outageSeconds: {
        healthzMax: healthzOutages.length ? Math.max(...healthzOutages) : null,
        clientsBackMax: outages.reduce((m, o) => Math.max(m, o.clientsBackSeconds.max ?? 0), 0),
        perKill: outages,
      },
      clients: {
        count: options.clients,
        connectedAtEnd: streamingAtEnd,
        reconnects: clients.reduce((s, c) => s + Math.max(0, c.connects - 1), 0),
        faults: clients.reduce((s, c) => s + c.faults, 0),
      },
      writes: {
        ticketsAttempted: attempts.tickets,
        ticketsAcknowledged: ackedTickets.size,
        ticketsFailedOrUnanswered: attempts.ticketErrors,
        tokensAttempted: attempts.tokens,
        tokensAcknowledged: ackedTokens.size,
        tokensFailed: attempts.tokenErrors,
      },
      lost: { tickets: lostTickets.length, tokens: lostTokens.length },
      ok: failures.length === 0,
      failures,
    };
    console.log(JSON.stringify(result, null, 2));
    if (failures.length > 0) process.exitCode = 1;
  } finally {
    running = false;
    for (const client of clients) client.stop();
    await supervisor.stop();
  }
}

main().catch((error: unknown) => {
  console.error((error as Error).stack ?? String(error));
  process.exit(2);
});
