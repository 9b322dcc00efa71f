// The reliability drills in their short form, each as its own process against a real server it
// starts (random free port, temporary data directory): they must pass. The long forms and their
// last figures are in docs/RELIABILITY.md.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';

interface DrillRun {
  code: number | null;
  result: { ok: boolean; failures: string[] } & Record<string, unknown>;
  stderr: string;
}

function runDrill(script: string, args: string[]): Promise<DrillRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => {
      try {
        resolve({ code, result: JSON.parse(stdout) as DrillRun['result'], stderr });
      } catch {
        reject(new Error(`${script} printed no JSON (exit ${code}):\n${stdout}\n${stderr}`));
      }
    });
  });
}

describe('the chaos drill, short form', () => {
  it('keeps every client on correct frames through packet loss, jitter, cuts and a server freeze, and the stall ticket opens and resolves', async () => {
    const run = await runDrill('bench/drills/chaos.ts', [
      '--seconds',
      '9',
      '--clients',
      '6',
      '--cut-percent',
      '20',
      '--lattice',
      '64x48',
      '--loss-percent',
      '5',
    ]);
    expect(run.result.failures, run.stderr).toEqual([]);
    expect(run.code).toBe(0);
    // Real loss where the namespace can be made; elsewhere the drill says why it ran without.
    const loss = run.result.packetLoss as {
      applied: boolean;
      packetsDropped?: number;
      reason?: string;
    };
    if (loss.applied) expect(loss.packetsDropped).toBeGreaterThan(0);
    else expect(loss.reason).toMatch(/namespace|not found/);
    const bytes = run.result.bytesSavedUnderChaos as { ratio: number | null };
    expect(bytes.ratio).toBeGreaterThan(0);
    const frames = run.result.frames as { decoded: number; wrong: number };
    expect(frames.wrong).toBe(0);
    expect(frames.decoded).toBeGreaterThan(0);
    expect((run.result.chaos as { cuts: number }).cuts).toBeGreaterThan(0);
    expect(run.result.stalls).toHaveLength(1);
  }, 120_000);
});

describe('the kill -9 drill, short form', () => {
  it('loses no acknowledged ticket or token, and clients resume by themselves after the restart', async () => {
    const run = await runDrill('bench/drills/kill9.ts', [
      '--seconds',
      '8',
      '--kills',
      '1',
      '--clients',
      '3',
      '--lattice',
      '64x48',
    ]);
    expect(run.result.failures, run.stderr).toEqual([]);
    expect(run.code).toBe(0);
    expect(run.result.lost).toEqual({ tickets: 0, tokens: 0 });
    const writes = run.result.writes as { ticketsAcknowledged: number; tokensAcknowledged: number };
    expect(writes.ticketsAcknowledged).toBeGreaterThan(0);
    expect(writes.tokensAcknowledged).toBeGreaterThan(0);
    expect(run.result.serverStarts).toBe(2);
  }, 120_000);
});
