import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDatabase } from '../server/storage/database';

const run = (args: string[]) =>
  spawnSync('npx', ['tsx', 'src/cli/kaizen-simulate.ts', ...args], {
    encoding: 'utf8',
    timeout: 60_000,
  });

describe('kaizen-simulate', () => {
  it('writes the canary tickets into a data directory, ending now, and reports them', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'phase-canary-'));
    const started = Date.now();
    const result = run([
      '--duration',
      '2h',
      '--stall-every',
      '30m',
      '--stall-for',
      '20s',
      '--data',
      dir,
    ]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout) as { stalls: number; ticketIds: number[] };
    expect(report).toMatchObject({ stalls: 3, ticketIds: [1, 2, 3] });
    const db = openDatabase(dir);
    const rows = db
      .prepare('SELECT status, resolved_by, resolved_at FROM tickets ORDER BY id')
      .all() as { status: string; resolved_by: string; resolved_at: number }[];
    db.close();
    expect(rows.map((r) => [r.status, r.resolved_by])).toEqual([
      ['resolved', 'auto'],
      ['resolved', 'auto'],
      ['resolved', 'auto'],
    ]);
    for (const row of rows) expect(row.resolved_at).toBeLessThanOrEqual(Date.now());
    expect(rows[2]!.resolved_at).toBeGreaterThan(started - 31 * 60_000);
  });

  it.each([
    {
      args: ['--duration', 'forever'],
      message: '--duration must be a count and a unit s, m, h or d',
    },
    { args: ['--stall-for', '50m'], message: '--stall-for must be shorter than --stall-every' },
    { args: ['--tenant', 'Not A Tenant'], message: 'is not a tenant id' },
    { args: ['--bogus'], message: "Unknown option '--bogus'" },
  ])('stops with exit code 2 for $args', ({ args, message }) => {
    const result = run(args);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(message);
  });
});
