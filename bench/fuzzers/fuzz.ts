// `npm run fuzz`: the console's input boundaries, fuzzed with seeded, reproducible cases (each
// case's generator comes from its seed, target and index: harness.ts).
//
//   npm run fuzz -- [--target all|trace|postmessage|http|ws[,...]] [--cases N] [--seed S]
//        [--index I]
//
// Targets, N cases each (default 10,000; fuzz.test.ts runs a short form in CI): trace
// (trace-reader.ts), postmessage (host-messages.ts), and against a real server process
// (fuzz-server.ts) http (http-api.ts) and ws (websocket.ts).
// Prints one JSON object with the seed; a failure names its target, seed and case index, and
// `--seed S --index I --target T` reruns it. Exits 1 on any failure, 2 when it cannot run.
import { parseArgs } from 'node:util';
import { numberOption, optionsOrExit } from '../support/cli';
import { startFuzzServer } from './fuzz-server';
import { TARGETS, type FuzzOptions, type FuzzReport, type Target } from './harness';
import { fuzzHostMessages } from './host-messages';
import { fuzzHttp } from './http-api';
import { fuzzTraceReader } from './trace-reader';
import { fuzzWebSocket } from './websocket';

async function main(): Promise<void> {
  const { targets, seed, cases, index } = optionsOrExit(
    'fuzz',
    'npm run fuzz -- [--target all|trace|postmessage|http|ws[,...]] [--cases N] [--seed S] [--index I]',
    () => {
      const { values } = parseArgs({
        options: {
          target: { type: 'string', default: 'all' },
          cases: { type: 'string', default: '10000' },
          seed: { type: 'string' },
          index: { type: 'string' },
        },
        strict: true,
      });
      const targets: Target[] =
        values.target === 'all' ? [...TARGETS] : (values.target.split(',') as Target[]);
      for (const t of targets) {
        if (!TARGETS.includes(t))
          throw new Error(`[fuzz] unknown target "${t}" (${TARGETS.join(', ')}, all)`);
      }
      if (values.seed !== undefined && !/^\d{1,19}$/.test(values.seed))
        throw new Error(`[fuzz] --seed must be a non-negative integer, got "${values.seed}"`);
      const cases = numberOption('cases', values.cases, { min: 1 });
      const index =
        values.index !== undefined
          ? numberOption('index', values.index, { min: 0, max: cases - 1 })
          : undefined;
      const seed = values.seed !== undefined ? BigInt(values.seed) : BigInt(Date.now());
      return { targets, seed, cases, index };
    },
  );
  const options: FuzzOptions = { seed, cases, ...(index !== undefined ? { index } : {}) };
  console.error(`[fuzz] seed ${seed} (rerun one case: --seed ${seed} --target T --index I)`);
  const reports: FuzzReport[] = [];
  if (targets.includes('trace')) reports.push(await fuzzTraceReader(options));
  if (targets.includes('postmessage')) reports.push(await fuzzHostMessages(options));
  if (targets.includes('http') || targets.includes('ws')) {
    const server = await startFuzzServer();
    try {
      if (targets.includes('http')) reports.push(await fuzzHttp({ ...options, ...server }));
      if (targets.includes('ws')) {
        reports.push(await fuzzWebSocket({ ...options, url: server.url, serverPid: server.pid }));
      }
    } finally {
      await server.close();
    }
  }
  const failures = reports.reduce((s, r) => s + r.failures.length, 0);
  console.log(
    JSON.stringify(
      {
        fuzz: 'boundaries',
        date: new Date().toISOString(),
        seed: String(seed),
        ok: failures === 0,
        reports: reports.map((r) => ({
          ...r,
          failures: r.failures.slice(0, 20),
          failureCount: r.failures.length,
        })),
      },
      null,
      2,
    ),
  );
  if (failures > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error((error as Error).stack ?? String(error));
  process.exit(2);
});
