// `npm run policy -- test [--bundle DIR]`: compiles the policy bundle (ops/policy/ by default)
// and runs its test cases. An invalid policy or schema fails with the engine's own message.
// Exit codes: 0 every case passed, 1 a case failed or the bundle is invalid, 2 bad command line.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import {
  DEFAULT_BUNDLE_DIR,
  loadBundle,
  readBundleFile,
  TESTS_FILE,
} from '../server/policy/bundle';
import { engineVersion, PolicyBundleError } from '../server/policy/engine';
import { parseTestFile, runPolicyTests } from '../server/policy/test-cases';
import type { AdminIo } from './admin-common';

export const USAGE = `Usage: npm run policy -- COMMAND [--bundle DIR]

Commands:
  test        compile the bundle's policies against its schema, then run tests.json
  validate    compile only

Options:
  --bundle DIR  the bundle (env POLICY_BUNDLE, default ops/policy)
  --help        show this text`;

export function runPolicyCli(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  io: AdminIo,
): number {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: { bundle: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: true,
    });
  } catch (error) {
    io.err(`[policy] ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (parsed.values.help) {
    io.out(USAGE);
    return 0;
  }
  const [command, ...rest] = parsed.positionals;
  if ((command !== 'test' && command !== 'validate') || rest.length > 0) {
    io.err(
      `[policy] ${command ? `unknown command "${[command, ...rest].join(' ')}"` : 'no command given'}\n${USAGE}`,
    );
    return 2;
  }
  const dir = path.resolve(parsed.values.bundle ?? env.POLICY_BUNDLE ?? DEFAULT_BUNDLE_DIR);
  try {
    const bundle = loadBundle(dir);
    io.out(`${dir}: ${bundle.policies.length} policies valid under ${engineVersion()}`);
    if (command === 'validate') return 0;
    const testsFile = path.join(dir, TESTS_FILE);
    const results = runPolicyTests(
      bundle,
      parseTestFile(readBundleFile(dir, TESTS_FILE), testsFile),
    );
    for (const r of results)
      io.out(`${r.passed ? 'ok  ' : 'FAIL'}  ${r.name}${r.fault ? `\n      ${r.fault}` : ''}`);
    const failed = results.filter((r) => !r.passed).length;
    io.out(`${results.length - failed} passed, ${failed} failed (${testsFile})`);
    return failed === 0 ? 0 : 1;
  } catch (error) {
    if (error instanceof PolicyBundleError) {
      io.err(error.message);
      return 1;
    }
    throw error;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = runPolicyCli(process.argv.slice(2), process.env, {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
  });
}
