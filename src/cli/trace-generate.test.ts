import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateTrace, DEFAULT_TRACE } from '../server/trace-generate';

const CLI = join(import.meta.dirname, 'trace-generate.ts');
const TSX = join(import.meta.dirname, '..', '..', 'node_modules', '.bin', 'tsx');

const dir = mkdtempSync(join(tmpdir(), 'trace-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(TSX, [CLI, ...args], { encoding: 'utf8' });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('npm run trace:generate', () => {
  it('writes the same bytes as generateTrace and reports what it wrote', async () => {
    const out = join(dir, 'cli.bin');
    const run = cli(
      '--width',
      '24',
      '--height',
      '10',
      '--frames',
      '30',
      '--seed',
      '5',
      '--out',
      out,
    );
    expect(run.stderr).toContain('100% (30/30)');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(
      /^wrote .*cli\.bin: 24x10 = 240 spins, 30 frames at 60 frames\/s, seed 5/,
    );
    const reference = join(dir, 'reference.bin');
    await generateTrace({
      ...DEFAULT_TRACE,
      width: 24,
      height: 10,
      frames: 30,
      seed: 5n,
      out: reference,
    });
    expect(readFileSync(out).equals(readFileSync(reference))).toBe(true);
  });

  it('prints usage for --help', () => {
    const run = cli('--help');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^Usage: npm run trace:generate/);
    for (const option of ['--width', '--height', '--frames', '--seed', '--fps', '--out']) {
      expect(run.stdout).toContain(option);
    }
  });

  it.each([
    { args: ['--width', '0'], message: 'width must be an integer >= 1, got 0' },
    { args: ['--height', 'ten'], message: 'height must be a whole number, got "ten"' },
    { args: ['--frames', '1.5'], message: 'frames must be a whole number, got "1.5"' },
    {
      args: ['--width', '5000', '--height', '5000'],
      message: 'width x height must be at most 16777216 spins',
    },
    {
      args: ['--seed', '18446744073709551616'],
      message: 'seed must be an integer from 0 to 2^64 - 1',
    },
    { args: ['--fps', '0'], message: 'fps must be a number from 1 to 1000, got 0' },
    { args: ['--fps', 'fast'], message: 'fps must be a decimal number, got "fast"' },
    { args: ['--colour', 'red'], message: "Unknown option '--colour'" },
    { args: ['--out'], message: "Option '--out <value>' argument missing" },
  ])('exits 2 with one line for $args', ({ args, message }) => {
    const run = cli('--out', join(dir, 'never.bin'), ...args);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});
