// `npm run ops:check` on a copy of ops/: a bad `for:` fails with promtool's own message, and a
// broken dashboard fails naming the file. (The shipped files pass: `npm test`'s ops stage.)
import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../src/testing/temp-dir';

const hasPromtool = spawnSync('promtool', ['--version']).status === 0;
if (!hasPromtool)
  console.warn('promtool not found: skipping the ops:check tests (apt-get install -y prometheus)');

function opsCheck(opsDir: string) {
  const result = spawnSync(process.execPath, ['scripts/ops-check.mjs'], {
    encoding: 'utf8',
    env: { ...process.env, OPS_DIR: opsDir, OPS_BASE: 'HEAD' },
    timeout: 240_000,
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

function copyOfOps(): string {
  const dir = path.join(tempDir('ops-check'), 'ops');
  cpSync('ops', dir, { recursive: true });
  return dir;
}

describe.skipIf(!hasPromtool)(
  'npm run ops:check (needs promtool)',
  () => {
    it("fails on a bad `for:` with promtool's message, and on a dashboard that is not JSON", () => {
      const ops = copyOfOps();
      const rules = path.join(ops, 'prometheus/rules.yml');
      writeFileSync(rules, readFileSync(rules, 'utf8').replace('for: 10m', 'for: 10 minutes'));
      writeFileSync(path.join(ops, 'grafana/dashboards/broken.json'), '{"panels": [');
      const { status, output } = opsCheck(ops);
      expect(status).toBe(1);
      expect(output).toMatch(/^FAIL {2}promtool check rules$/m);
      expect(output).toMatch(/10 minutes/);
      expect(output).toMatch(/^FAIL {2}dashboard broken\.json$/m);
      expect(output).toMatch(/broken\.json: not valid JSON/);
      expect(output).toMatch(/ops check: \d+ failed/);
    });
  },
  300_000,
);
