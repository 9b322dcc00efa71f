// `npm run admin` in the test's own process, on a data directory: exit code and what it printed.
import { runAdmin, runAdminCommand } from '../cli/admin';
import type { AdminIo } from '../cli/admin-common';

function captured() {
  const out: string[] = [];
  const err: string[] = [];
  const io: AdminIo = { out: (t) => void out.push(t), err: (t) => void err.push(t) };
  return { io, result: (code: number) => ({ code, out: out.join('\n'), err: err.join('\n') }) };
}

/** The synchronous commands on the data directory. */
export function runAdminCli(dataDir: string, ...argv: string[]) {
  const { io, result } = captured();
  return result(runAdmin(['--data', dataDir, ...argv], {}, io));
}

/** Any command, as `npm run admin` runs it: the policy and --database ones are asynchronous. */
export async function runAdminCommandCli(dataDir: string, ...argv: string[]) {
  const { io, result } = captured();
  return result(await runAdminCommand(['--data', dataDir, ...argv], {}, io));
}
