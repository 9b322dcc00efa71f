// `npm run policy -- test` with the real Cedar engine: the shipped bundle's allow and deny tables
// pass (this is where CI runs them), and a broken bundle fails with the engine's own message.
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_BUNDLE_DIR } from '../server/policy/bundle';
import { tempDir } from '../testing/temp-dir';
import { runPolicyCli } from './policy';

function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = runPolicyCli(
    argv,
    {},
    { out: (t) => void out.push(t), err: (t) => void err.push(t) },
  );
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** A copy of the shipped bundle, with `edit` applied to one of its files. */
function bundleWith(file: string, edit: (text: string) => string): string {
  const dir = tempDir('bundle');
  for (const f of ['policies.cedar', 'schema.cedarschema', 'tests.json']) {
    copyFileSync(path.join(DEFAULT_BUNDLE_DIR, f), path.join(dir, f));
  }
  const target = path.join(dir, file);
  writeFileSync(target, edit(readFileSync(target, 'utf8')));
  return dir;
}

describe('npm run policy -- test', () => {
  it('passes every case of the shipped bundle, allow and deny for each budget', () => {
    const { code, out } = run('test');
    expect(out).toMatch(/5 policies valid under Cedar \d+\.\d+/);
    for (const budget of ['latency', 'cost', 'carbon', 'visibility']) {
      expect(out).toMatch(new RegExp(`^ok {4}${budget}: .* is allowed$`, 'm'));
      expect(out).toMatch(new RegExp(`^ok {4}${budget}: .* is denied$`, 'm'));
    }
    expect(out).toMatch(/^16 passed, 0 failed/m);
    expect(code).toBe(0);
  });

  it('fails a type error with the engine message, the file, line and column', () => {
    const dir = bundleWith('policies.cedar', (t) =>
      t.replace('projectedMgPerDay > 50000', 'projectedMgPerDay > "50000"'),
    );
    const { code, err } = run('test', '--bundle', dir);
    expect(code).toBe(1);
    expect(err).toContain(`${path.join(dir, 'policies.cedar')} "carbon-budget"`);
    expect(err).toMatch(
      /:\d+:\d+: for policy `carbon-budget`, unexpected type: expected Long but saw String/,
    );
  });

  it('fails a syntax error and an unknown attribute with what the engine says', () => {
    const syntax = run(
      'validate',
      '--bundle',
      bundleWith('policies.cedar', (t) =>
        t.replace('when { context.cost', 'when { context.cost +'),
      ),
    );
    expect(syntax.code).toBe(1);
    expect(syntax.err).toMatch(/policies\.cedar:\d+:\d+: unexpected token/);
    const attribute = run(
      'validate',
      '--bundle',
      bundleWith('policies.cedar', (t) =>
        t.replace('context.cost.projectedEgressMilliUsdPerDay', 'context.cost.egressUsd'),
      ),
    );
    expect(attribute.code).toBe(1);
    expect(attribute.err).toContain('attribute `cost.egressUsd` in context');
  });

  it('fails a case whose decision the bundle does not give, naming what it got', () => {
    const dir = bundleWith('policies.cedar', (t) => t.replace('> 5000 }', '> 6000 }'));
    const { code, out } = run('test', '--bundle', dir);
    expect(code).toBe(1);
    expect(out).toMatch(
      /^FAIL {2}cost: \$5\.001 a day projected is denied\n {6}expected deny, got allow/m,
    );
    expect(out).toMatch(/^14 passed, 2 failed/m);
  });

  it('refuses a policy without @id and a malformed tests.json, saying which', () => {
    const noId = run(
      'validate',
      '--bundle',
      bundleWith('policies.cedar', (t) => t.replace('@id("egress-budget")', '')),
    );
    expect(noId.code).toBe(1);
    expect(noId.err).toContain('every policy needs @id');
    const badTests = run(
      'test',
      '--bundle',
      bundleWith('tests.json', (t) => t.replace('"expect": "deny"', '"expect": "maybe"')),
    );
    expect(badTests.code).toBe(1);
    expect(badTests.err).toMatch(
      /tests\.json: cases\[\d+\] \(".*"\): "expect" must be "allow" or "deny"/,
    );
    expect(run('frobnicate').code).toBe(2);
  });
});

describe('the server with a broken bundle', () => {
  it('does not start, and says what the engine says', async () => {
    const dir = bundleWith('policies.cedar', (t) => t.replace('> 5000', '> "5000"'));
    const { startTenantServer } = await import('../testing/test-server');
    const { PolicyBundleError } = await import('../server/policy/engine');
    const started = startTenantServer({ env: { POLICY_BUNDLE: dir } });
    await expect(started).rejects.toThrow(PolicyBundleError);
    await expect(started).rejects.toThrow(/unexpected type: expected Long but saw String/);
  });
});
