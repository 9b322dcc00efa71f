// The short form of the boundary fuzzing (`npm run fuzz`, bench/fuzzers/fuzz.ts): 10,000 cases each for the trace reader
// and postMessage parser, a few thousand each for HTTP and WebSocket against a real server
// process. The seed is fixed so CI is reproducible; FUZZ_SEED=N explores another one. A failure
// names its target, seed and case index: `npm run fuzz -- --seed S --target T --index I`.
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUBPROTOCOL } from '../../src/core/wire/envelope';
import { Packr } from 'msgpackr';
import { healthy } from '../support/server-process';
import { startFuzzServer, type FuzzServer } from './fuzz-server';
import type { FuzzReport } from './harness';
import { fuzzHostMessages } from './host-messages';
import { fuzzHttp } from './http-api';
import { fuzzTraceReader } from './trace-reader';
import { fuzzWebSocket } from './websocket';

const SEED = BigInt(process.env.FUZZ_SEED ?? '20261126');

function expectClean(report: FuzzReport): void {
  console.log(
    `[fuzz] ${report.target}: seed ${report.seed}, ${report.cases} cases in ${report.seconds} s, ` +
      `${report.failures.length} failures; outcomes ${JSON.stringify(report.outcomes)}`,
  );
  expect(report.failures.slice(0, 5)).toEqual([]);
}

describe('fuzzing the in-process boundaries', () => {
  it('the trace reader answers 10,000 mutated files with a header, a frame, or TraceError only, allocating little', async () => {
    const report = await fuzzTraceReader({ seed: SEED, cases: 10_000 });
    expectClean(report);
    expect(report.cases).toBe(10_000);
    // Mutations that still make a readable trace are few; refusals are the rule.
    expect(report.outcomes['header: refused']).toBeGreaterThan(1000);
  });

  it('parseHostMessage answers 10,000 random payloads with a valid message or a refusal', async () => {
    const report = await fuzzHostMessages({ seed: SEED, cases: 10_000 });
    expectClean(report);
    expect(report.outcomes.refused).toBeGreaterThan(1000);
  });

  it('a case reruns alone from its seed and index, drawing the same input', async () => {
    const whole = await fuzzTraceReader({ seed: SEED, cases: 50 });
    const alone = await fuzzTraceReader({ seed: SEED, cases: 50, index: 7 });
    expect(alone.cases).toBe(1);
    const outcomesOf = (r: FuzzReport) => Object.values(r.outcomes).reduce((s, n) => s + n, 0);
    expect(outcomesOf(whole)).toBe(50);
    expect(outcomesOf(alone)).toBe(1);
  });
});

describe('fuzzing a real server', () => {
  let server: FuzzServer;
  beforeAll(async () => {
    server = await startFuzzServer();
  }, 120_000);
  afterAll(async () => {
    await server?.close();
  });

  it('answers 4,000 mutated API requests with 2xx or a 4xx JSON {error, message}, never 5xx or silence', async () => {
    const report = await fuzzHttp({
      seed: SEED,
      cases: 4000,
      url: server.url,
      token: server.token,
      webhookAuthorization: server.webhookAuthorization,
    });
    expectClean(report);
    expect(report.cases).toBe(4000);
  }, 120_000);

  it('closes 3,000 bad WebSocket messages with documented codes, stays healthy, keeps streaming, and bounds its memory', async () => {
    const report = await fuzzWebSocket({
      seed: SEED,
      cases: 3000,
      url: server.url,
      serverPid: server.pid,
    });
    expectClean(report);
    expect(report.observerFrames).toBeGreaterThan(0);
  }, 120_000);

  it('survives a protocol error whose message echoes multi-byte characters (close reasons are cut by bytes)', async () => {
    // An unknown type is echoed in the error; 120 characters of it are far over 123 bytes.
    const bytes = new Packr({ useRecords: false }).pack({ t: 'ü'.repeat(200) });
    const ws = new WebSocket(`${server.url.replace(/^http/, 'ws')}/ws`, [SUBPROTOCOL]);
    const code = await new Promise<number>((resolve) => {
      const timer = setTimeout(() => resolve(-1), 5000);
      ws.on('error', () => {});
      ws.on('open', () => ws.send(bytes));
      ws.on('close', (c) => (clearTimeout(timer), resolve(c)));
    });
    ws.terminate();
    expect(code).toBe(4400);
    expect(await healthy(server.url, 3000)).toBe(true);
  });
});
