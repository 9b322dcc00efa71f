// `npm test`: every check the project has, as named stages, so a failure says which stage broke.
import { spawnSync } from 'node:child_process';

const stages = [
  ['browser', 'node', ['scripts/ensure-chromium.mjs']],
  ['format', 'npx', ['prettier', '--check', '.']],
  ['types', 'npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']],
  ['lint', 'npx', ['eslint', '--max-warnings', '0', '.']],
  ['unit', 'npx', ['vitest', 'run']],
  ['ops', 'node', ['scripts/ops-check.mjs']],
  ['build', 'npx', ['vite', 'build']],
  ['e2e', 'npx', ['playwright', 'test']],
];

const only = process.argv.slice(2);
const results = [];
for (const [name, cmd, args] of stages) {
  if (only.length > 0 && !only.includes(name)) continue;
  console.log(`\n=== stage: ${name} (${[cmd, ...args].join(' ')})`);
  const started = Date.now();
  const run = spawnSync(cmd, args, { stdio: 'inherit' });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const ok = run.status === 0;
  results.push({ name, ok, seconds });
  console.log(`=== stage ${name}: ${ok ? 'ok' : 'FAILED'} in ${seconds} s`);
  if (!ok) break;
}
console.log(
  '\nstages: ' +
    results.map((r) => `${r.name} ${r.ok ? 'ok' : 'FAILED'} (${r.seconds} s)`).join(', '),
);
const failed = results.filter((r) => !r.ok).length;
console.log(`stages: ${results.length - failed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
