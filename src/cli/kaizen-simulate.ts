// `tsx src/cli/kaizen-simulate.ts [options]`: the Kaizen canary. Simulates hours of a stream that
// stalls on a schedule, in virtual time, through the real detector and ticket store, and prints
// what came out as JSON. With --data it writes the tickets into that data directory (the last
// --duration up to now), so the console shows real MTTR figures; without it nothing is kept.
// Exit codes: 0 done, 1 the database failed, 2 bad command line.

import { parseArgs } from 'node:util';
import { runCanary } from '../server/incidents/canary';
import { createKaizen } from '../server/incidents/kaizen';
import { isTenantId } from '../core/tenant-id';
import { parseWindow, WindowError } from '../server/incidents/windows';
import { openDatabase, StorageError } from '../server/storage/database';
import { registryVisibility } from './kaizen-common';

const USAGE = `Usage: tsx src/cli/kaizen-simulate.ts [options]

Runs a stream that stalls every --stall-every for --stall-for, for --duration of virtual time,
under the detector's default rules, and prints the tickets and MTTR (as GET /api/mttr would
answer for the run) as JSON.

Options:
  --duration D      virtual time to simulate, like 3h (default 3h)
  --stall-every D   a stall starts this often (default 40m)
  --stall-for D     each stall lasts this long; seconds as Ns (default 30s)
  --tenant ID       tenant of the stream (default demo)
  --data DIR        write the tickets into DIR/console.db, ending now (default: in memory)
  --help            show this text

Durations: a count and a unit s, m, h or d.`;

class UsageError extends Error {}

function duration(name: string, text: string): number {
  const seconds = /^([1-9][0-9]{0,5})s$/.exec(text);
  if (seconds) return Number(seconds[1]) * 1000;
  try {
    return parseWindow(text);
  } catch (error) {
    if (error instanceof WindowError) {
      throw new UsageError(`--${name} must be a count and a unit s, m, h or d, got "${text}"`);
    }
    throw error;
  }
}

interface Options {
  durationMs: number;
  stallEveryMs: number;
  stallForMs: number;
  tenantId: string;
  dataDir: string | null;
}

function parseCommandLine(argv: string[]): Options | 'help' {
  let values;
  try {
    values = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        duration: { type: 'string', default: '3h' },
        'stall-every': { type: 'string', default: '40m' },
        'stall-for': { type: 'string', default: '30s' },
        tenant: { type: 'string', default: 'demo' },
        data: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/\s*\n\s*/g, ' '));
  }
  if (values.help === true) return 'help';
  const options: Options = {
    durationMs: duration('duration', values.duration),
    stallEveryMs: duration('stall-every', values['stall-every']),
    stallForMs: duration('stall-for', values['stall-for']),
    tenantId: values.tenant,
    dataDir: values.data ?? null,
  };
  if (!isTenantId(options.tenantId)) {
    throw new UsageError(`--tenant "${options.tenantId}" is not a tenant id`);
  }
  if (options.stallForMs >= options.stallEveryMs) {
    throw new UsageError('--stall-for must be shorter than --stall-every');
  }
  if (options.durationMs > 31 * 86_400_000) throw new UsageError('--duration is at most 31d');
  return options;
}

function main(): void {
  let options: Options | 'help';
  try {
    options = parseCommandLine(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`kaizen-simulate: ${error.message} (see --help)`);
    process.exit(2);
  }
  if (options === 'help') {
    console.log(USAGE);
    return;
  }
  let nowMs = Date.now() - options.durationMs;
  try {
    const db = openDatabase(options.dataDir ?? ':memory:');
    const kaizen = createKaizen({
      db,
      now: () => nowMs,
      config: { defaultTenant: options.tenantId },
      visibilityOf: registryVisibility(db),
    });
    const report = runCanary(kaizen, (ms) => (nowMs = ms), options);
    db.close();
    console.log(JSON.stringify(report, null, 2));
  } catch (error) {
    if (!(error instanceof StorageError)) throw error;
    console.error(`kaizen-simulate: ${error.message}`);
    process.exit(1);
  }
}

main();
