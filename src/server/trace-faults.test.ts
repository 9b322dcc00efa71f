// Hostile and broken traces against the real server process (`npm run serve`): a FIFO stops the
// start with one line and exit code 1 instead of hanging it; a trace whose every frame fails its
// CRC, one cut while it is replayed, or a 1 TB sparse file with a valid 4096 x 4096 header keep
// the server responsive and cheap, log a bounded number of lines, report the stream unhealthy and
// open a ticket.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { procStat } from '../../bench/support/proc-stat';
import type { TicketPage } from '../core/api/tickets';
import { TRACE_HEADER_BYTES, encodeTraceHeader, frameStrideBytes } from '../core/trace';
import { writePatternTrace } from '../testing/pattern-trace';
import { tempDir } from '../testing/temp-dir';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

interface Served {
  url: string;
  child: ChildProcess;
  output: () => string;
}

/** Starts `src/server/main.ts` on a free port and waits until it listens. */
async function serve(args: string[]): Promise<Served> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/server/main.ts', '--port', '0', '--data', tempDir('faults'), ...args],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  children.push(child);
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const deadline = Date.now() + 60_000;
  while (!/listening on (http:\/\/\S+);/.test(output)) {
    if (child.exitCode !== null || Date.now() > deadline) {
      throw new Error(`server did not start:\n${output}`);
    }
    await sleep(50);
  }
  const url = /listening on (http:\/\/\S+);/.exec(output)![1]!;
  return { url, child, output: () => output };
}

/** The CPU seconds the process spends over `ms`, and how many lines it logs meanwhile. */
async function costOver(served: Served, ms: number): Promise<{ cpuS: number; lines: number }> {
  const cpuBefore = procStat(served.child.pid!)!.cpuSeconds;
  const linesBefore = served.output().split('\n').length;
  await sleep(ms);
  return {
    cpuS: procStat(served.child.pid!)!.cpuSeconds - cpuBefore,
    lines: served.output().split('\n').length - linesBefore,
  };
}

/** /healthz, which must answer within a second every time it is asked. */
async function health(
  url: string,
  timeoutMs = 1000,
): Promise<{ status: number; body: { status: string } }> {
  const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(timeoutMs) });
  return { status: response.status, body: (await response.json()) as { status: string } };
}

async function stallTickets(url: string) {
  const page = (await (await fetch(`${url}/api/tickets?tenant=demo`)).json()) as TicketPage;
  return page.tickets.filter((t) => t.fingerprint === 'detector:stream-stalled:demo');
}

/** A trace of `frames` frames whose every frame record fails its CRC. */
async function allFramesCorrupt(file: string, frames: number): Promise<void> {
  await writePatternTrace(file, 24, 16, frames);
  const bytes = readFileSync(file);
  const stride = frameStrideBytes(24, 16);
  for (let k = 0; k < frames; k++) bytes[TRACE_HEADER_BYTES + k * stride + 4]! ^= 0xff;
  writeFileSync(file, bytes);
}

describe('a FIFO where a trace should be', () => {
  const fifo = () => {
    const file = path.join(tempDir('fifo'), 'trace.bin');
    expect(spawnSync('mkfifo', [file]).status).toBe(0);
    return file;
  };
  const run = (args: string[]) =>
    spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        'src/server/main.ts',
        '--port',
        '0',
        '--data',
        tempDir('fifo-data'),
        ...args,
      ],
      { encoding: 'utf8', timeout: 60_000 },
    );

  it('as --trace stops the server at once with one line and exit code 1', () => {
    const file = fifo();
    const result = run(['--trace', file]);
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([
      `[trace] ${file}: not a regular file (a FIFO)`,
    ]);
  });

  it('in a --tenants file does the same', () => {
    const file = fifo();
    const tenants = path.join(tempDir('fifo-tenants'), 'tenants.json');
    writeFileSync(
      tenants,
      JSON.stringify({
        tenants: [{ id: 'demo', name: 'Demo', source: { kind: 'replay', trace: file } }],
      }),
    );
    const result = run(['--tenants', tenants]);
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([
      `[trace] ${file}: not a regular file (a FIFO)`,
    ]);
  });
});

describe('a trace that goes bad', () => {
  it('whose every frame fails its CRC: a few log lines, little CPU, unhealthy, a ticket', async () => {
    const file = path.join(tempDir('crc'), 'trace.bin');
    await allFramesCorrupt(file, 600);
    const served = await serve(['--trace', file]);
    const cost = await costOver(served, 5000);
    expect(cost.lines).toBeLessThanOrEqual(5);
    expect(cost.cpuS).toBeLessThan(1);
    expect((await health(served.url)).status).toBe(503);
    await expect.poll(() => stallTickets(served.url), { timeout: 10_000 }).toHaveLength(1);
    expect(served.output()).toMatch(/frame \d+: CRC mismatch .*; skipping frame/);
  }, 120_000);

  it('cut while it is replayed: healthy, then unhealthy, with a few log lines and a ticket', async () => {
    const file = path.join(tempDir('cut'), 'trace.bin');
    await writePatternTrace(file, 24, 16, 600);
    const served = await serve(['--trace', file]);
    await expect.poll(async () => (await health(served.url)).status, { timeout: 20_000 }).toBe(200);
    truncateSync(file, TRACE_HEADER_BYTES + 10 * frameStrideBytes(24, 16));
    await expect.poll(async () => (await health(served.url)).status, { timeout: 20_000 }).toBe(503);
    expect((await health(served.url)).body.status).toBe('stalled');
    const cost = await costOver(served, 5000);
    expect(cost.lines).toBeLessThanOrEqual(5);
    expect(cost.cpuS).toBeLessThan(1);
    await expect.poll(() => stallTickets(served.url), { timeout: 10_000 }).toHaveLength(1);
  }, 120_000);

  it('a 1 TB sparse file with a valid 4096 x 4096 header: the server keeps answering', async () => {
    const file = path.join(tempDir('sparse'), 'trace.bin');
    const stride = frameStrideBytes(4096, 4096);
    const frameCount = Math.floor(2 ** 40 / stride);
    const header = encodeTraceHeader({
      width: 4096,
      height: 4096,
      frameCount,
      intervalUs: 16_667,
      flags: 0,
      seed: 0n,
    });
    const fd = openSync(file, 'w');
    writeSync(fd, header);
    closeSync(fd);
    truncateSync(file, TRACE_HEADER_BYTES + frameCount * stride);
    const served = await serve(['--trace', file]);
    // A blocked event loop would answer none of these: each gets 5 s, which a loaded machine
    // meets, and the reading goes on meanwhile.
    let answered = 0;
    for (let i = 0; i < 30; i++) {
      expect((await health(served.url, 5000)).status).toBe(503);
      answered += 1;
      await sleep(100);
    }
    expect(answered).toBe(30);
    const cost = await costOver(served, 5000);
    expect(cost.lines).toBeLessThanOrEqual(5);
    expect(cost.cpuS).toBeLessThan(2.5);
  }, 120_000);
});
