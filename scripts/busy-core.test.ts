import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

interface Summary {
  busyCpu: number;
  busyLoopCoreShare: number;
  runs: { run: number; exitCode: number; seconds: number }[];
  passed: boolean;
}

function busyCore(args: string[]) {
  const run = spawnSync(process.execPath, ['scripts/busy-core.mjs', ...args], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  const lines = run.stdout.trim().split('\n');
  const loopPid = Number(/busy loop \(pid (\d+)\)/.exec(run.stdout)?.[1]);
  return { run, lines, loopPid };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe.runIf(process.platform === 'linux')('scripts/busy-core.mjs', () => {
  it('runs the command the given number of times beside a pinned busy loop, then ends the loop', () => {
    const { run, lines, loopPid } = busyCore([
      '--cpu',
      '0',
      '--runs',
      '2',
      '--',
      process.execPath,
      '-e',
      'console.log("ran")',
    ]);
    expect(run.status, run.stderr).toBe(0);
    expect(lines.filter((l) => l === 'ran')).toHaveLength(2);
    const summary = JSON.parse(lines.at(-1)!) as Summary;
    expect(summary).toMatchObject({ busyCpu: 0, passed: true });
    expect(summary.runs.map((r) => [r.run, r.exitCode])).toEqual([
      [1, 0],
      [2, 0],
    ]);
    expect(loopPid).toBeGreaterThan(0);
    expect(alive(loopPid)).toBe(false);
  });

  it("stops at the first failing run and exits with that run's code", () => {
    const { run, lines, loopPid } = busyCore([
      '--runs',
      '3',
      '--',
      process.execPath,
      '-e',
      'process.exit(3)',
    ]);
    expect(run.status).toBe(3);
    const summary = JSON.parse(lines.at(-1)!) as Summary;
    expect(summary.passed).toBe(false);
    expect(summary.runs).toHaveLength(1);
    expect(alive(loopPid)).toBe(false);
  });

  it('refuses bad usage with exit code 2 and the usage line', () => {
    for (const args of [['true'], ['--cpu', '999', '--', 'true'], ['--runs', 'x', '--', 'true']]) {
      const { run } = busyCore(args);
      expect(run.status).toBe(2);
      expect(run.stderr).toMatch(/^\[busy-core\] .+\nusage: node scripts\/busy-core\.mjs/);
    }
  });
});
