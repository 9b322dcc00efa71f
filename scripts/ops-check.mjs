// `npm run ops:check`: what a pull request touching ops/ must pass, run locally, in `npm test` and
// by .github/workflows/ops-review.yml. promtool judges the rules (a bad `for:` fails with its own
// message), runs their unit tests and checks the Prometheus config; amtool checks Alertmanager's
// when it is installed; every dashboard must parse, and each one that differs from OPS_BASE (a git
// ref, HEAD by default) gets its Markdown diff, also written to OPS_DIFF_OUT when set.
//   OPS_DIR      the ops folder to check (default ops/)
//   OPS_BASE     git ref to diff dashboards against (default HEAD)
//   OPS_DIFF_OUT file for the dashboards' Markdown diff (for a pull request comment)
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const ops = path.resolve(process.env.OPS_DIR ?? path.join(root, 'ops'));
const base = process.env.OPS_BASE || 'HEAD';
const failures = [];

function run(label, cmd, args, options = {}) {
  const result = spawnSync(cmd, args, { encoding: 'utf8', cwd: root, ...options });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim();
  if (result.error) {
    failures.push(`${label}: ${cmd} could not run (${result.error.message})`);
    console.log(`FAIL  ${label}: ${cmd} could not run (${result.error.message})`);
    return result;
  }
  const ok = result.status === 0;
  console.log(`${ok ? 'ok  ' : 'FAIL'}  ${label}`);
  if (!ok) {
    failures.push(label);
    console.log(output.replace(/^/gm, '      '));
  }
  return result;
}

const has = (cmd) => spawnSync(cmd, ['--version'], { encoding: 'utf8' }).status === 0;

console.log(`ops check of ${path.relative(root, ops) || ops}`);
if (!has('promtool')) {
  console.log('FAIL  promtool not found: apt-get install -y prometheus (it brings promtool)');
  process.exit(1);
}
run('promtool check rules', 'promtool', ['check', 'rules', path.join(ops, 'prometheus/rules.yml')]);
run('promtool test rules', 'promtool', [
  'test',
  'rules',
  path.join(ops, 'prometheus/rules.test.yml'),
]);
// promtool requires each credentials_file to exist: the config is checked as a copy whose secret
// files (the console writes them in its data directory, deployed under /var/lib) are stand-ins,
// beside a copy of the rules it loads.
const scratch = mkdtempSync(path.join(tmpdir(), 'ops-check-'));
const promDir = path.join(scratch, 'prometheus');
mkdirSync(promDir);
let credentials = 0;
const promConfig = readFileSync(path.join(ops, 'prometheus/prometheus.yml'), 'utf8').replace(
  /^(\s*credentials_file:\s*)(\S+)\s*$/gm,
  (_line, key) => {
    const standIn = path.join(scratch, `credential-${credentials++}.secret`);
    writeFileSync(standIn, 'stand-in\n');
    return `${key}${standIn}`;
  },
);
writeFileSync(path.join(promDir, 'prometheus.yml'), promConfig);
copyFileSync(path.join(ops, 'prometheus/rules.yml'), path.join(promDir, 'rules.yml'));
run('promtool check config', 'promtool', ['check', 'config', path.join(promDir, 'prometheus.yml')]);
const alertmanager = path.join(ops, 'alertmanager/alertmanager.yml');
if (has('amtool')) {
  run('amtool check-config', 'amtool', ['check-config', alertmanager]);
} else {
  console.log('skip  amtool check-config: amtool not installed (Debian: prometheus-alertmanager)');
}

// Dashboards: each parses, and each that changed since OPS_BASE is diffed panel by panel.
const dashboards = path.join(ops, 'grafana/dashboards');
const kaizen = ['--import', 'tsx', path.join(root, 'src/cli/kaizen.ts')];
const diffs = [];
const inGit =
  spawnSync('git', ['rev-parse', '--verify', '--quiet', base], { cwd: root }).status === 0;
for (const name of existsSync(dashboards) ? readdirSync(dashboards).sort() : []) {
  if (!name.endsWith('.json')) continue;
  const file = path.join(dashboards, name);
  const relative = path.relative(root, file);
  const empty = path.join(scratch, 'empty.json');
  writeFileSync(empty, '{"panels": []}');
  let before = empty;
  if (inGit) {
    const old = spawnSync('git', ['show', `${base}:${relative}`], { cwd: root, encoding: 'utf8' });
    if (old.status === 0) {
      before = path.join(scratch, `base-${name}`);
      writeFileSync(before, old.stdout);
    }
  }
  const result = run(`dashboard ${name}`, process.execPath, [
    ...kaizen,
    'dashboard-diff',
    before,
    file,
  ]);
  if (result.status === 0 && !result.stdout.includes('No panel changes.')) {
    diffs.push(result.stdout.trim());
  }
}
if (!inGit) console.log(`note  no git ref ${base}: dashboards checked, not diffed`);
if (diffs.length > 0) {
  console.log(`\nDashboard changes against ${base}:\n`);
  console.log(diffs.join('\n\n'));
}
if (process.env.OPS_DIFF_OUT) {
  writeFileSync(process.env.OPS_DIFF_OUT, diffs.length > 0 ? `${diffs.join('\n\n')}\n` : '');
}
console.log(
  failures.length === 0
    ? '\nops check: all passed'
    : `\nops check: ${failures.length} failed: ${failures.join(', ')}`,
);
process.exit(failures.length === 0 ? 0 : 1);
