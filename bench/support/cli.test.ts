// Every benchmark and drill answers a bad command line with what was wrong and its usage, exit
// code 2, before starting anything, and never with a stack trace.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const cases: { script: string; args: string[]; says: string }[] = [
  { script: 'bench/benchmarks/protocol.ts', args: ['--bogus'], says: 'takes no options' },
  {
    script: 'bench/benchmarks/render-scale.ts',
    args: ['--spins', '12k'],
    says: '--spins must be an integer from 1 to 16777216, got "12k"',
  },
  {
    script: 'bench/benchmarks/render3d.ts',
    args: ['--spins', '120by100'],
    says: '--spins must be an integer from 1 to 16777216, got "120by100"',
  },
  { script: 'bench/drills/chaos.ts', args: ['--seconds', 'abc'], says: '--seconds must be' },
  { script: 'bench/drills/kill9.ts', args: ['--bogus'], says: "Unknown option '--bogus'" },
  { script: 'bench/fuzzers/fuzz.ts', args: ['--seed', 'abc'], says: '--seed must be' },
  { script: 'bench/benchmarks/load.ts', args: ['--clients', 'zero'], says: '--clients must be' },
  {
    script: 'bench/benchmarks/load.ts',
    args: ['--load-clients', 'some'],
    says: '--load-clients must be viewer or decoding, got "some"',
  },
  {
    script: 'bench/benchmarks/e2e.ts',
    args: ['--spins', '1000003'],
    says: '--spins 1000003: the nearest lattice is 1000003 x 1',
  },
  { script: 'bench/benchmarks/e2e.ts', args: ['--source', 'both-ways'], says: '--source must be' },
  {
    script: 'bench/benchmarks/tenant-isolation.ts',
    args: ['--seconds', '1'],
    says: '--seconds must be',
  },
];

describe('benchmark command lines', () => {
  it.each(cases)('$script $args: one line saying why, exit code 2', ({ script, args, says }) => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', script, ...args], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(says);
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(result.stdout).toBe('');
  });
});
