// Runs a command while a busy loop spins on one core, to show that the command's checks hold on a
// loaded machine (a laptop compiling, another job on the CI runner):
//
//   node scripts/busy-core.mjs [--cpu N] [--runs R] -- COMMAND [ARG]...
//   node scripts/busy-core.mjs --runs 3 -- npm test
//
// The loop is a separate Node process pinned to CPU N (default: the last one) with taskset, at
// normal priority, so it takes that core from everything else scheduled there. The command runs R
// times in a row (default 1), each to its end; the first failing run ends the series. The last line
// of output is one JSON object: the core, each run's exit code and seconds, and the share of a core
// the loop really used, which proves the load was there. Exit code: 0 when every run passed, the
// failing run's code otherwise, 2 for bad usage or when no busy loop could be pinned.
import { spawn, spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { readFileSync } from 'node:fs';

const USAGE = 'usage: node scripts/busy-core.mjs [--cpu N] [--runs R] -- COMMAND [ARG]...';
/** Clock ticks per second of /proc/PID/stat's utime and stime (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

function fail(message) {
  console.error(`[busy-core] ${message}\n${USAGE}`);
  process.exit(2);
}

function parseArgs(argv) {
  const split = argv.indexOf('--');
  if (split < 0 || split === argv.length - 1) fail('no command given after --');
  const own = argv.slice(0, split);
  const options = { cpu: availableParallelism() - 1, runs: 1, command: argv.slice(split + 1) };
  for (let i = 0; i < own.length; i += 2) {
    const name = own[i];
    const value = own[i + 1];
    if ((name !== '--cpu' && name !== '--runs') || value === undefined) {
      fail(`unknown or incomplete option ${JSON.stringify(name)}`);
    }
    if (!/^\d+$/.test(value)) fail(`${name} takes a whole number, got ${JSON.stringify(value)}`);
    options[name.slice(2)] = Number(value);
  }
  if (options.cpu >= availableParallelism()) {
    fail(`--cpu ${options.cpu}: this machine has CPUs 0 to ${availableParallelism() - 1}`);
  }
  if (options.runs < 1) fail('--runs must be at least 1');
  return options;
}

/** CPU seconds a process has used so far (user + system), from /proc. */
function cpuSecondsOf(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

function allowedCpus(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return /Cpus_allowed_list:\s*(\S+)/.exec(status)?.[1] ?? '?';
}

function startBusyLoop(cpu) {
  if (spawnSync('taskset', ['--version']).error) {
    fail('taskset is missing (Debian package util-linux)');
  }
  const loop = spawn('taskset', ['-c', String(cpu), process.execPath, '-e', 'for (;;) {}'], {
    stdio: 'ignore',
  });
  return loop;
}

async function runOnce(command) {
  const started = performance.now();
  const child = spawn(command[0], command.slice(1), { stdio: 'inherit' });
  const code = await new Promise((resolve) => {
    child.on('error', (error) => {
      console.error(`[busy-core] cannot run ${command[0]}: ${error.message}`);
      resolve(127);
    });
    child.on('exit', (exitCode, signal) => resolve(exitCode ?? (signal ? 128 : 1)));
  });
  return { exitCode: code, seconds: Math.round((performance.now() - started) / 100) / 10 };
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const loop = startBusyLoop(options.cpu);
  const stopLoop = () => {
    if (loop.exitCode === null && loop.signalCode === null) loop.kill('SIGKILL');
  };
  process.on('exit', stopLoop);
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => {
      stopLoop();
      process.exit(130);
    });
  }
  // taskset execs node in place: once the loop has used CPU, it is running and pinned.
  await new Promise((r) => setTimeout(r, 300));
  if (loop.exitCode !== null) fail(`the busy loop exited at once (code ${loop.exitCode})`);
  const pinnedTo = allowedCpus(loop.pid);
  if (pinnedTo !== String(options.cpu))
    fail(`the busy loop runs on CPUs ${pinnedTo}, not ${options.cpu}`);
  const loopCpuAtStart = cpuSecondsOf(loop.pid);
  const startedMs = performance.now();
  console.log(`[busy-core] a busy loop (pid ${loop.pid}) spins on CPU ${options.cpu}`);

  const runs = [];
  for (let run = 1; run <= options.runs; run++) {
    console.log(`[busy-core] run ${run} of ${options.runs}: ${options.command.join(' ')}`);
    const result = await runOnce(options.command);
    runs.push({ run, ...result });
    console.log(`[busy-core] run ${run}: exit code ${result.exitCode} in ${result.seconds} s`);
    if (result.exitCode !== 0) break;
  }
  const wallSeconds = (performance.now() - startedMs) / 1000;
  const loopShare = (cpuSecondsOf(loop.pid) - loopCpuAtStart) / wallSeconds;
  // Reaped before this script ends, so no busy loop outlives it even for a moment.
  const loopEnded = new Promise((resolve) => loop.once('exit', resolve));
  stopLoop();
  await loopEnded;
  const failed = runs.find((r) => r.exitCode !== 0);
  console.log(
    JSON.stringify({
      busyCpu: options.cpu,
      busyLoopCoreShare: Math.round(loopShare * 100) / 100,
      command: options.command.join(' '),
      runs,
      passed: !failed && runs.length === options.runs,
    }),
  );
  process.exitCode = failed ? failed.exitCode : 0;
}

await main();
