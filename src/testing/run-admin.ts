// `npm run admin` in the test's own process, on a data directory: exit code and what it printed.
import { runAdmin } from '../cli/admin';

export function runAdminCli(dataDir: string, ...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = runAdmin(
    ['--data', dataDir, ...argv],
    {},
    {
      out: (t) => void out.push(t),
      err: (t) => void err.push(t),
    },
  );
  return { code, out: out.join('\n'), err: err.join('\n') };
}
