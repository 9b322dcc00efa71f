// Fuzzing the console's input boundaries, seeded and reproducible: every case draws from its own
// generator, derived from (seed, target, case index), so one failing case reruns alone.
//
//   npm run fuzz -- [--target all|trace|postmessage|http|ws] [--cases N] [--seed S] [--index I]
//
// Targets (N cases each, default 10,000; bench/fuzzers/fuzz.test.ts runs a short form in CI):
// - trace: mutated trace files (header fields with and without a fixed-up CRC, frame records,
//   truncation, random bytes) through decodeTraceHeader and openTraceFile/readFrame. Only
//   TraceError may come out, and no case may allocate more than a few MiB.
// - postmessage: random and mutated host messages through parseHostMessage: a message that
//   validates again on its own, or {refused}, never an exception.
// - http: mutated bodies, query strings, path parameters, content types and credentials on the
//   /api routes (tickets, MTTR, Alertmanager, bandwidth, latency, tenants, streams) of a real
//   server process: every answer 2xx, or 4xx with JSON {error, message}; never 5xx, never a hang.
// - ws: random, mutated, truncated, oversized and text messages, and raw bytes after the
//   upgrade, each on its own connection to a real server process: the server closes with a
//   documented code (or keeps a valid message's connection), keeps answering /healthz, an
//   observer client keeps streaming, and the server's RSS stays bounded.
// Prints one JSON object with the seed; a failure names its target, seed and case index, and
// `--seed S --index I --target T` reruns it. Exits 1 on any failure, 2 when it cannot run.
import { isTenantId } from '../../src/core/tenant-id';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { Packr } from 'msgpackr';
import WebSocket from 'ws';
import { parseHostMessage } from '../../src/app/embed/messages';
import { numberOption, optionsOrExit } from '../support/cli';
import { crc32 } from '../../src/core/crc32';
import {
  TraceError,
  decodeTraceHeader,
  encodeFrameRecord,
  encodeTraceHeader,
} from '../../src/core/trace';
import { SUBPROTOCOL, encodeMessage, type ClientMessage } from '../../src/core/wire/envelope';
import { NodeStreamClient } from '../../src/server/stream/node-client';
import { openTraceFile } from '../../src/server/trace-file';
import { createRng, type Rng } from '../../src/sim/rng';
import {
  demoOnlyTenantsFile,
  freePort,
  healthy,
  procStat,
  round,
  sleep,
  spawnServer,
  stopServer,
  tempDir,
  waitHealthy,
  writeDrillTrace,
} from '../support/server-process';

export const TARGETS = ['trace', 'postmessage', 'http', 'ws'] as const;
export type Target = (typeof TARGETS)[number];

export interface FuzzFailure {
  target: Target;
  seed: string;
  index: number;
  input: string;
  problem: string;
}

export interface FuzzReport {
  target: Target;
  seed: string;
  cases: number;
  seconds: number;
  /** How the cases were answered (outcome -> count), so a run shows what it exercised. */
  outcomes: Record<string, number>;
  failures: FuzzFailure[];
  [figure: string]: unknown;
}

export interface FuzzOptions {
  seed: bigint;
  cases: number;
  /** Run only this case index. */
  index?: number;
}

// ---------------------------------------------------------------- random inputs

const TARGET_SALT: Record<Target, bigint> = { trace: 1n, postmessage: 2n, http: 3n, ws: 4n };
const MASK64 = (1n << 64n) - 1n;

/** The generator of one case: independent of every other case, so `--index` reproduces it. */
export function caseRng(seed: bigint, target: Target, index: number): Rng {
  return createRng(
    (seed * 0x100000001b3n + TARGET_SALT[target] * 0x9e3779b97f4a7c15n + BigInt(index)) & MASK64,
  );
}

const int = (rng: Rng, lo: number, hi: number): number =>
  lo + Math.floor(rng.nextFloat() * (hi - lo + 1));
const chance = (rng: Rng, p: number): boolean => rng.nextFloat() < p;
const pick = <T>(rng: Rng, items: readonly T[]): T => items[int(rng, 0, items.length - 1)]!;

function randomBytes(rng: Rng, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = rng.nextU32() & 0xff;
  return out;
}

const EDGE_NUMBERS = [
  0,
  -0,
  1,
  -1,
  0.5,
  2 ** 31,
  2 ** 32 - 1,
  2 ** 32,
  2 ** 53,
  -(2 ** 53),
  1e308,
  -1e308,
  Number.NaN,
  Infinity,
  -Infinity,
  Number.MIN_VALUE,
  65535,
  65536,
  16_777_216,
  16_777_217,
];
const EDGE_STRINGS = [
  '',
  ' ',
  'demo',
  'DEMO',
  'small',
  'a'.repeat(63),
  'a'.repeat(64),
  'x'.repeat(300),
  '../../etc/passwd',
  '%00',
  '\u0000',
  '\ud800',
  '😀',
  'null',
  '-1',
  '1e9',
  '<script>',
  "' OR 1=1 --",
  '__proto__',
  'constructor',
];

function randomString(rng: Rng, maxLength: number): string {
  if (chance(rng, 0.3)) return pick(rng, EDGE_STRINGS);
  const length = int(rng, 0, maxLength);
  let s = '';
  for (let i = 0; i < length; i++) {
    const r = rng.nextFloat();
    s += String.fromCharCode(
      r < 0.7 ? int(rng, 0x20, 0x7e) : r < 0.9 ? int(rng, 0, 0x1f) : int(rng, 0x80, 0xffff),
    );
  }
  return s;
}

/** A JSON-like value, sometimes nested, with edge numbers and strings. */
function randomValue(rng: Rng, depth = 0): unknown {
  const r = rng.nextFloat();
  if (r < 0.15) return pick(rng, EDGE_NUMBERS);
  if (r < 0.3) return randomString(rng, 40);
  if (r < 0.4) return int(rng, -1000, 100_000);
  if (r < 0.47) return chance(rng, 0.5);
  if (r < 0.54) return null;
  if (depth > 3 || r < 0.62) return rng.nextFloat() * 1e6 - 5e5;
  if (r < 0.8) return Array.from({ length: int(rng, 0, 5) }, () => randomValue(rng, depth + 1));
  const o: Record<string, unknown> = {};
  for (let i = int(rng, 0, 5); i > 0; i--) o[randomString(rng, 12)] = randomValue(rng, depth + 1);
  return o;
}

/** Mutates a copy of `bytes`: flips, overwrites, inserts, deletes, duplicates, truncates. */
function mutateBytes(rng: Rng, bytes: Uint8Array): Uint8Array {
  let b = Uint8Array.from(bytes);
  for (let ops = int(rng, 1, 4); ops > 0; ops--) {
    const at = b.length > 0 ? int(rng, 0, b.length - 1) : 0;
    switch (int(rng, 0, 6)) {
      case 0:
        if (b.length) b[at] = b[at]! ^ (1 << int(rng, 0, 7));
        break;
      case 1:
        if (b.length)
          b[at] = pick(rng, [0x00, 0xff, 0x7f, 0x80, 0xc1, 0xdf, 0xdd, rng.nextU32() & 0xff]);
        break;
      case 2: {
        const insert = randomBytes(rng, int(rng, 1, 16));
        b = Uint8Array.from([...b.subarray(0, at), ...insert, ...b.subarray(at)]);
        break;
      }
      case 3:
        b = Uint8Array.from([...b.subarray(0, at), ...b.subarray(at + int(rng, 1, 8))]);
        break;
      case 4:
        b = Uint8Array.from([...b, ...b.subarray(at, at + int(rng, 1, 32))]);
        break;
      case 5:
        b = b.slice(0, at);
        break;
      default: {
        // A u32 length or count field somewhere set to an edge value.
        if (b.length >= 4) {
          const v = pick(rng, [0, 1, 0x7fffffff, 0xffffffff, 0x10000, rng.nextU32()]);
          new DataView(b.buffer).setUint32(int(rng, 0, b.length - 4), v, chance(rng, 0.5));
        }
      }
    }
  }
  return b;
}

function describeBytes(bytes: Uint8Array): string {
  const hex = Buffer.from(bytes.subarray(0, 48)).toString('hex');
  return `${bytes.length} bytes: ${hex}${bytes.length > 48 ? '...' : ''}`;
}

function describeValue(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value, (_k, v: unknown) =>
      typeof v === 'bigint'
        ? `${v}n`
        : typeof v === 'number' && !Number.isFinite(v)
          ? String(v)
          : v,
    );
  } catch {
    text = String(value);
  }
  return text === undefined ? String(value) : text.slice(0, 400);
}

function newReport(target: Target, options: FuzzOptions): FuzzReport {
  return { target, seed: String(options.seed), cases: 0, seconds: 0, outcomes: {}, failures: [] };
}

function count(report: FuzzReport, outcome: string): void {
  report.outcomes[outcome] = (report.outcomes[outcome] ?? 0) + 1;
}

function indices(options: FuzzOptions): number[] {
  if (options.index !== undefined) return [options.index];
  return Array.from({ length: options.cases }, (_v, i) => i);
}

/** Runs `one` over the cases with at most `parallel` in flight. */
async function runCases(
  options: FuzzOptions,
  parallel: number,
  one: (index: number) => Promise<void>,
): Promise<void> {
  const queue = indices(options);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(parallel, queue.length) }, async () => {
      while (next < queue.length) await one(queue[next++]!);
    }),
  );
}

// ---------------------------------------------------------------- trace reader

const TRACE_W = 8;
const TRACE_H = 6;
const TRACE_F = 5;

function validTraceBytes(): Uint8Array {
  const header = encodeTraceHeader({
    width: TRACE_W,
    height: TRACE_H,
    frameCount: TRACE_F,
    intervalUs: 16667,
    flags: 0,
    seed: 42n,
  });
  const records = Array.from({ length: TRACE_F }, (_v, k) =>
    encodeFrameRecord(
      k,
      Uint16Array.from({ length: TRACE_W * TRACE_H }, (_p, i) => (i * 977 + k * 131) & 0xffff),
    ),
  );
  return Uint8Array.from(Buffer.concat([header, ...records]));
}

const HEADER_FIELDS: { offset: number; size: 2 | 4 | 8 }[] = [
  { offset: 8, size: 2 }, // version
  { offset: 10, size: 2 }, // header size
  { offset: 12, size: 4 }, // width
  { offset: 16, size: 4 }, // height
  { offset: 20, size: 4 }, // frame count
  { offset: 24, size: 4 }, // interval
  { offset: 28, size: 4 }, // flags
  { offset: 32, size: 8 }, // seed
  { offset: 44, size: 4 }, // reserved
];

function mutateTrace(rng: Rng, valid: Uint8Array): { bytes: Uint8Array; how: string } {
  const strategy = int(rng, 0, 4);
  if (strategy === 0) return { bytes: mutateBytes(rng, valid), how: 'bytes' };
  if (strategy === 1) {
    return { bytes: valid.slice(0, int(rng, 0, valid.length - 1)), how: 'truncated' };
  }
  if (strategy === 2) {
    // Frame records only: the header stays valid, so the reader gets to the frames.
    const bytes = Uint8Array.from(valid);
    for (let n = int(rng, 1, 3); n > 0; n--) {
      const at = int(rng, 64, bytes.length - 1);
      bytes[at] = rng.nextU32() & 0xff;
    }
    return { bytes, how: 'frames' };
  }
  // Header fields set to edge values; the CRC fixed up most of the time so that validation
  // gets past it, and the file sometimes sized to what a small claimed layout needs.
  let bytes = Uint8Array.from(valid);
  const view = new DataView(bytes.buffer);
  for (let n = int(rng, 1, 3); n > 0; n--) {
    const field = pick(rng, HEADER_FIELDS);
    const value = pick(rng, [
      0,
      1,
      2,
      3,
      0xffff,
      0x10000,
      4096,
      0x7fffffff,
      0xffffffff,
      16_777_216,
      16_777_217,
      rng.nextU32(),
    ]);
    if (field.size === 2) view.setUint16(field.offset, value & 0xffff, true);
    else if (field.size === 4) view.setUint32(field.offset, value >>> 0, true);
    else view.setBigUint64(field.offset, BigInt(value) * BigInt(int(rng, 1, 1 << 30)), true);
  }
  if (chance(rng, 0.75)) view.setUint32(60, crc32(bytes, 0, 60), true);
  if (strategy === 4) {
    const w = view.getUint32(12, true);
    const h = view.getUint32(16, true);
    const f = view.getUint32(20, true);
    const size = 64 + f * (8 + 2 * w * h);
    if (Number.isSafeInteger(size) && size <= 1 << 20 && size >= 64) {
      const resized = new Uint8Array(size);
      resized.set(bytes.subarray(0, Math.min(size, bytes.length)));
      bytes = resized;
    }
  }
  return { bytes, how: 'header' };
}

/** Allocation growth a case may cause, well above the few KiB a tiny trace needs. */
const TRACE_ALLOCATION_LIMIT_BYTES = 8 * 2 ** 20;

export async function fuzzTraceReader(options: FuzzOptions): Promise<FuzzReport> {
  const report = newReport('trace', options);
  const started = performance.now();
  const valid = validTraceBytes();
  const dir = mkdtempSync(path.join(tmpdir(), 'phase-fuzz-trace-'));
  const file = path.join(dir, 'case.bin');
  let maxGrowthBytes = 0;
  try {
    for (const index of indices(options)) {
      const rng = caseRng(options.seed, 'trace', index);
      const { bytes, how } = mutateTrace(rng, valid);
      const fail = (problem: string): void => {
        report.failures.push({
          target: 'trace',
          seed: report.seed,
          index,
          input: `${how}, ${describeBytes(bytes)}`,
          problem,
        });
      };
      const before = process.memoryUsage().arrayBuffers;
      let outcome = 'valid';
      try {
        const header = decodeTraceHeader(bytes.subarray(0, 64), file, bytes.length);
        if (header.width * header.height > 16_777_216) fail('accepted more than 2^24 spins');
        writeFileSync(file, bytes);
        const trace = openTraceFile(file);
        try {
          for (let k = 0; k < Math.min(trace.header.frameCount, 8); k++) {
            try {
              trace.readFrame(k);
            } catch (error) {
              if (!(error instanceof TraceError)) throw error;
              outcome = 'frame refused';
            }
          }
        } finally {
          trace.close();
        }
      } catch (error) {
        if (error instanceof TraceError) outcome = 'refused';
        else fail(`threw ${(error as Error).name}: ${(error as Error).message}`);
      }
      const growth = process.memoryUsage().arrayBuffers - before;
      maxGrowthBytes = Math.max(maxGrowthBytes, growth);
      if (growth > TRACE_ALLOCATION_LIMIT_BYTES) {
        fail(`allocated ${round(growth / 2 ** 20, 1)} MiB for a ${bytes.length}-byte file`);
      }
      count(report, `${how}: ${outcome}`);
      report.cases += 1;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  report.maxArrayBufferGrowthKiB = round(maxGrowthBytes / 1024, 1);
  report.seconds = round((performance.now() - started) / 1000, 2);
  return report;
}

// ---------------------------------------------------------------- postMessage

const HOST_TYPES = ['setTenant', 'setToken', 'seek', 'play', 'pause', 'setTheme'] as const;
const HOST_FIELDS: Record<string, string[]> = {
  setTenant: ['type', 'tenant'],
  setToken: ['type', 'token'],
  seek: ['type', 'frame'],
  play: ['type'],
  pause: ['type'],
  setTheme: ['type', 'theme'],
};

function randomHostPayload(rng: Rng): unknown {
  const r = rng.nextFloat();
  if (r < 0.15) return randomValue(rng);
  if (r < 0.22) {
    // What structured clone can carry besides JSON.
    return pick(rng, [
      new Date(int(rng, 0, 2 ** 40)),
      new Map([['type', 'play']]),
      new Set(['play']),
      new Uint8Array(randomBytes(rng, 8)),
      BigInt(rng.nextU32()),
      [{ type: 'play' }],
      undefined,
    ]);
  }
  const type = chance(rng, 0.85) ? pick(rng, HOST_TYPES) : randomValue(rng);
  const base: Record<string, unknown> = { type };
  const value = (): unknown => {
    const v = rng.nextFloat();
    if (v < 0.35) return randomValue(rng);
    if (v < 0.5)
      return pick(rng, [
        'demo',
        'light',
        'dark',
        null,
        0,
        42,
        'A'.repeat(16),
        'tok-en_' + 'x'.repeat(20),
      ]);
    return randomString(rng, 300);
  };
  base.tenant = value();
  base.token = value();
  base.frame = chance(rng, 0.5) ? pick(rng, EDGE_NUMBERS) : value();
  base.theme = value();
  const kept: Record<string, unknown> = Object.fromEntries(
    Object.entries(base).filter(([key]) => key === 'type' || !chance(rng, 0.4)),
  );
  if (chance(rng, 0.3)) kept.version = pick(rng, [1, 2, 0, '1', null, undefined, Number.NaN]);
  if (chance(rng, 0.2)) kept[randomString(rng, 10)] = randomValue(rng);
  // JSON.parse makes "__proto__" an own key, as a structured clone of such an object would.
  if (chance(rng, 0.1))
    return JSON.parse(
      `{"__proto__": {"type": "play"}, "type": ${JSON.stringify(typeof type === 'string' ? type : 'play')}}`,
    );
  return kept;
}

/** The message must validate again without parseHostMessage: type, field types, no extra keys. */
function hostMessageFault(message: Record<string, unknown>): string | null {
  const fields = HOST_FIELDS[String(message.type)];
  if (!fields) return `unknown type ${String(message.type)}`;
  const keys = Object.keys(message).sort();
  if (keys.join() !== [...fields].sort().join())
    return `keys ${keys.join()} (expected ${fields.join()})`;
  switch (message.type) {
    case 'setTenant':
      return typeof message.tenant === 'string' && isTenantId(message.tenant) ? null : 'bad tenant';
    case 'setToken':
      return message.token === null ||
        (typeof message.token === 'string' && /^[A-Za-z0-9_-]{16,256}$/.test(message.token))
        ? null
        : 'bad token';
    case 'seek':
      return Number.isInteger(message.frame) &&
        (message.frame as number) >= 0 &&
        (message.frame as number) <= 0xffffffff
        ? null
        : 'bad frame';
    case 'setTheme':
      return message.theme === 'light' || message.theme === 'dark' ? null : 'bad theme';
    default:
      return null;
  }
}

export async function fuzzHostMessages(options: FuzzOptions): Promise<FuzzReport> {
  const report = newReport('postmessage', options);
  const started = performance.now();
  for (const index of indices(options)) {
    const rng = caseRng(options.seed, 'postmessage', index);
    const payload = randomHostPayload(rng);
    const fail = (problem: string): void => {
      report.failures.push({
        target: 'postmessage',
        seed: report.seed,
        index,
        input: describeValue(payload),
        problem,
      });
    };
    try {
      const result = parseHostMessage(payload) as Record<string, unknown>;
      if ('refused' in result) {
        if (typeof result.refused !== 'string' || result.refused.length === 0) {
          fail('refused without a reason');
        } else if (Object.keys(result).length !== 1) fail('a refusal with other fields');
        count(report, 'refused');
      } else {
        const fault = hostMessageFault(result);
        if (fault) fail(`accepted an invalid message: ${fault}`);
        count(report, `accepted ${String(result.type)}`);
      }
    } catch (error) {
      fail(`threw ${(error as Error).name}: ${(error as Error).message}`);
    }
    report.cases += 1;
  }
  report.seconds = round((performance.now() - started) / 1000, 2);
  return report;
}

// ---------------------------------------------------------------- HTTP

interface HttpCase {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
}

const VALID_TICKET = {
  tenant: 'demo',
  title: 'Fuzz ticket',
  severity: 'warning',
  summary: 'x',
  by: 'fuzz',
};
const VALID_ALERT = {
  version: '4',
  groupKey: '{}:{alertname="PhaseStreamStalled"}',
  truncatedAlerts: 0,
  status: 'firing',
  receiver: 'phase-console',
  groupLabels: { alertname: 'PhaseStreamStalled' },
  commonLabels: { alertname: 'PhaseStreamStalled', severity: 'critical', tenant_id: 'demo' },
  commonAnnotations: { summary: 'Stream demo stalled' },
  externalURL: 'http://alertmanager:9093',
  alerts: [
    {
      status: 'firing',
      labels: { alertname: 'PhaseStreamStalled', severity: 'critical', tenant_id: 'demo' },
      annotations: { summary: 'Stream demo stalled', description: 'No frames.' },
      startsAt: '2026-03-01T12:01:00Z',
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: 'http://prometheus:9090/graph',
      fingerprint: 'c4c1f3d6a3b7e0f2',
    },
  ],
};

/** A copy of `value` with a few fields replaced, removed or added, at any depth. */
function mutateJson(rng: Rng, value: unknown, depth = 0): unknown {
  if (Array.isArray(value)) {
    const copy = value.map((v) => (chance(rng, 0.3) ? mutateJson(rng, v, depth + 1) : v));
    if (chance(rng, 0.1)) copy.push(randomValue(rng));
    if (chance(rng, 0.05)) return Array.from({ length: int(rng, 0, 1200) }, () => copy[0]);
    return copy;
  }
  if (typeof value === 'object' && value !== null) {
    const copy: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(value as Record<string, unknown>)) {
      const r = rng.nextFloat();
      if (r < 0.1) continue;
      copy[key] = r < 0.25 ? randomValue(rng) : r < 0.5 ? mutateJson(rng, field, depth + 1) : field;
    }
    if (chance(rng, 0.15)) copy[randomString(rng, 12)] = randomValue(rng);
    return copy;
  }
  if (chance(rng, 0.5)) return randomValue(rng);
  if (typeof value === 'string' && chance(rng, 0.3)) return value.repeat(int(rng, 2, 12_000));
  return value;
}

/** encodeURIComponent that takes lone surrogates (as U+FFFD) instead of throwing. */
const enc = (text: string): string =>
  encodeURIComponent(
    text.replace(
      /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
      '\ufffd',
    ),
  );

function randomQuery(rng: Rng, keys: string[]): string {
  const params: string[] = [];
  for (let n = int(rng, 0, 5); n > 0; n--) {
    const key = chance(rng, 0.8) ? pick(rng, keys) : randomString(rng, 10);
    const r = rng.nextFloat();
    const value =
      r < 0.2
        ? pick(rng, [
            'demo',
            '1h',
            '24h',
            '7d',
            '0',
            '5',
            '60',
            '200',
            '201',
            'open',
            'error',
            'manual',
            'auto',
            'resolved',
          ])
        : r < 0.3
          ? String(pick(rng, EDGE_NUMBERS))
          : randomString(rng, 30);
    params.push(
      chance(rng, 0.9) ? `${enc(key)}=${enc(value)}` : `${key}=${value.replace(/[\s#&]/g, '')}`,
    );
  }
  if (chance(rng, 0.05)) params.push('%E0%A4%A', '%', 'a=%ZZ');
  return params.length ? `?${params.join('&')}` : '';
}

function randomPathParam(rng: Rng): string {
  return pick(rng, [
    String(int(rng, 1, 50)),
    String(int(rng, -5, 0)),
    '99999999999999999999',
    '1.5',
    '1e3',
    'abc',
    '%20',
    enc(randomString(rng, 20)) || 'x',
    '0x10',
  ]);
}

function httpCase(rng: Rng, token: string): HttpCase {
  const auth = (): Record<string, string> => {
    const r = rng.nextFloat();
    if (r < 0.5) return { authorization: `Bearer ${token}` };
    if (r < 0.7) return {};
    return {
      authorization: pick(rng, [
        'Bearer ',
        'Bearer x',
        `Basic ${token}`,
        `Bearer ${token}x`,
        randomString(rng, 40).replace(/[^\x20-\x7e]/g, ''),
      ]),
    };
  };
  const jsonBody = (valid: unknown): { body: string | Uint8Array; type: string } => {
    const r = rng.nextFloat();
    const type = pick(rng, [
      'application/json',
      'application/json',
      'application/json; charset=utf-8',
      'text/plain',
      'application/x-www-form-urlencoded',
      'application/json; charset=latin1',
      '',
    ]);
    if (r < 0.55) return { body: JSON.stringify(mutateJson(rng, valid)), type };
    if (r < 0.65) return { body: JSON.stringify(randomValue(rng)), type };
    if (r < 0.75) return { body: JSON.stringify(valid).slice(0, int(rng, 0, 60)), type };
    if (r < 0.85) return { body: randomBytes(rng, int(rng, 0, 200)), type };
    if (r < 0.9) return { body: '{"a":' + '['.repeat(int(rng, 10, 5000)), type };
    if (r < 0.995) return { body: JSON.stringify(valid), type };
    // Over the route's body limit (64 KiB for tickets, 4 MiB for the Alertmanager receiver).
    return {
      body: JSON.stringify({
        ...(valid as object),
        summary: 'x'.repeat(int(rng, 65_000, 4_300_000)),
      }),
      type,
    };
  };
  const route = int(rng, 0, 11);
  const ticketKeys = [
    'tenant',
    'severity',
    'status',
    'source',
    'resolvedBy',
    'window',
    'windowOn',
    'limit',
    'cursor',
  ];
  const post = (p: string, valid: unknown): HttpCase => {
    const { body, type } = jsonBody(valid);
    return {
      method: 'POST',
      path: p,
      headers: { ...auth(), ...(type ? { 'content-type': type } : {}) },
      body,
    };
  };
  switch (route) {
    case 0:
      return {
        method: 'GET',
        path: `/api/tickets${randomQuery(rng, ticketKeys)}`,
        headers: auth(),
      };
    case 1:
      return { method: 'GET', path: `/api/tickets/${randomPathParam(rng)}`, headers: auth() };
    case 2:
    case 3:
      return post('/api/tickets', VALID_TICKET);
    case 4:
      return post(
        `/api/tickets/${randomPathParam(rng)}/${pick(rng, ['ack', 'resolve', 'notes'])}`,
        pick(rng, [
          { by: 'fuzz' },
          { by: 'fuzz', outcome: 'true_positive', note: 'n' },
          { by: 'fuzz', text: 'note' },
        ]),
      );
    case 5:
      return {
        method: 'GET',
        path: `/api/mttr${randomQuery(rng, ['tenant', 'window'])}`,
        headers: auth(),
      };
    case 6:
    case 7:
      return post('/api/alertmanager', VALID_ALERT);
    case 8:
      return {
        method: 'GET',
        path: `/api/bandwidth${randomQuery(rng, ['tenant', 'window'])}`,
        headers: auth(),
      };
    case 9:
      return {
        method: 'GET',
        path: `/api/latency${randomQuery(rng, ['tenant', 'window'])}`,
        headers: auth(),
      };
    case 10:
      return {
        method: 'GET',
        path:
          pick(rng, [
            '/api/tenants',
            '/api/streams',
            `/api/tenants/${randomPathParam(rng)}`,
            `/api/tenants/${pick(rng, ['demo', 'live', 'small', randomPathParam(rng)])}/metrics`,
          ]) + randomQuery(rng, ['tenant', 'window']),
        headers: auth(),
      };
    default:
      return {
        method: 'GET',
        path: `/api/${enc(randomString(rng, 12)) || 'x'}${randomQuery(rng, ticketKeys)}`,
        headers: auth(),
      };
  }
}

/** Bodies above this go through requestLarge. */
const LARGE_BODY_BYTES = 60_000;

/**
 * A request whose body the server may refuse (413) before reading it all, hanging up under the
 * upload: fetch and node:http report that as a failure, so this speaks HTTP/1.1 on a plain socket,
 * keeps whatever answer arrived, and fails only when none did.
 */
function requestLarge(
  url: string,
  c: HttpCase,
): Promise<{ status: number; text(): Promise<string> }> {
  const { hostname, port, pathname, search } = new URL(url);
  const body = typeof c.body === 'string' ? Buffer.from(c.body) : Buffer.from(c.body ?? []);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => socket.destroy(new Error('no answer within 10 s')), 10_000);
    const finish = (error?: Error): void => {
      clearTimeout(timer);
      const raw = Buffer.concat(chunks).toString('utf8');
      const status = /^HTTP\/1\.1 (\d{3})/.exec(raw);
      if (!status) {
        reject(error ?? new Error(`no HTTP answer: ${JSON.stringify(raw.slice(0, 80))}`));
        return;
      }
      let text = raw.slice(raw.indexOf('\r\n\r\n') + 4);
      if (/\r\ntransfer-encoding: chunked/i.test(raw)) {
        text = text.replace(/(^|\r\n)[0-9a-f]+\r\n/gi, '');
      }
      resolve({ status: Number(status[1]), text: async () => text });
    };
    let failure: Error | undefined;
    // Keep-alive, so that the server reads and discards the rest of a body it refused rather
    // than closing under the upload (which resets the connection and can lose its answer).
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      const raw = Buffer.concat(chunks);
      const head = raw.indexOf('\r\n\r\n');
      if (head < 0) return;
      const headers = raw.subarray(0, head).toString('latin1');
      const length = /\r\ncontent-length: *(\d+)/i.exec(headers);
      const complete = length
        ? raw.length - head - 4 >= Number(length[1])
        : raw.subarray(head).includes('\r\n0\r\n\r\n');
      if (complete) socket.destroy();
    });
    socket.on('error', (error) => (failure = error));
    socket.on('close', () => finish(failure));
    socket.on('connect', () => {
      const headers = Object.entries({
        host: `${hostname}:${port}`,
        'content-length': String(body.length),
        ...c.headers,
      })
        .map(([k, v]) => `${k}: ${v}\r\n`)
        .join('');
      socket.write(`${c.method} ${pathname}${search} HTTP/1.1\r\n${headers}\r\n`);
      socket.write(body);
    });
  });
}

export async function fuzzHttp(
  options: FuzzOptions & { url: string; token: string; parallel?: number },
): Promise<FuzzReport> {
  const report = newReport('http', options);
  const started = performance.now();
  const errorCodes: Record<string, number> = {};
  await runCases(options, options.parallel ?? 8, async (index) => {
    const rng = caseRng(options.seed, 'http', index);
    const c = httpCase(rng, options.token);
    const describe = (): string =>
      `${c.method} ${c.path.slice(0, 200)} ${JSON.stringify(c.headers)} ${c.body === undefined ? '' : typeof c.body === 'string' ? c.body.slice(0, 200) : describeBytes(c.body)}`;
    const fail = (problem: string): void => {
      report.failures.push({
        target: 'http',
        seed: report.seed,
        index,
        input: describe(),
        problem,
      });
    };
    try {
      const large = c.body !== undefined && c.body.length > LARGE_BODY_BYTES;
      const res = large
        ? await requestLarge(`${options.url}${c.path}`, c)
        : await fetch(`${options.url}${c.path}`, {
            method: c.method,
            headers: c.headers,
            body:
              typeof c.body === 'string' || c.body === undefined ? c.body : new Uint8Array(c.body),
            signal: AbortSignal.timeout(10_000),
          });
      const text = await res.text();
      count(report, String(res.status));
      if (res.status >= 500) fail(`answered ${res.status}: ${text.slice(0, 200)}`);
      else if (res.status >= 400) {
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          fail(`answered ${res.status} with a body that is not JSON: ${text.slice(0, 120)}`);
          return;
        }
        const b = body as { error?: unknown; message?: unknown };
        if (typeof b.error !== 'string' || typeof b.message !== 'string') {
          fail(`answered ${res.status} without {error, message}: ${text.slice(0, 120)}`);
        } else
          errorCodes[`${res.status} ${b.error}`] =
            (errorCodes[`${res.status} ${b.error}`] ?? 0) + 1;
      }
    } catch (error) {
      // Even over a route's limit the server reads the rest of the body (up to 16 MiB) so that
      // the client sees its 413: a reset or silence is a failure.
      fail(`no answer: ${(error as Error).name} ${(error as Error).message}`);
    }
    report.cases += 1;
  });
  report.errorCodes = errorCodes;
  report.seconds = round((performance.now() - started) / 1000, 2);
  return report;
}

// ---------------------------------------------------------------- WebSocket

const packr = new Packr({ useRecords: false, moreTypes: false });

function validClientMessage(rng: Rng): ClientMessage {
  switch (int(rng, 0, 5)) {
    case 0:
      return { t: 'ping', id: int(rng, 0, 1e6), clientTimeMs: Date.now() };
    case 1:
      return { t: 'resync', reason: randomString(rng, 50).slice(0, 200) };
    case 2:
      return {
        t: 'latency',
        samplesMs: Array.from({ length: int(rng, 0, 240) }, () => rng.nextFloat() * 20),
      };
    case 3:
      return {
        t: 'control',
        control: pick(rng, [
          { action: 'play' },
          { action: 'pause' },
          { action: 'live' },
          { action: 'seek', frame: int(rng, 0, 500) },
          { action: 'step', delta: int(rng, -5, 5) },
          { action: 'speed', speed: pick(rng, [0.25, 1, 2, 8]) },
          { action: 'loop', loop: true, a: 1, b: 20 },
        ]),
      } as ClientMessage;
    default:
      return {
        t: 'control',
        control: { action: 'seek', frame: pick(rng, [0, 1, 239, 240, 241, 1e6, 0xffffffff]) },
      } as ClientMessage;
  }
}

interface WsCase {
  kind: string;
  payload: Uint8Array | string;
  /** Raw bytes written after a hand-made upgrade, instead of a WebSocket message. */
  raw?: boolean;
}

function wsCase(rng: Rng): WsCase {
  const r = rng.nextFloat();
  if (r < 0.15)
    return { kind: 'random', payload: randomBytes(rng, int(rng, 0, chance(rng, 0.9) ? 64 : 4096)) };
  if (r < 0.45)
    return { kind: 'mutated', payload: mutateBytes(rng, encodeMessage(validClientMessage(rng))) };
  if (r < 0.55) {
    const bytes = encodeMessage(validClientMessage(rng));
    return {
      kind: 'truncated',
      payload: bytes.slice(0, int(rng, 0, Math.max(0, bytes.length - 1))),
    };
  }
  if (r < 0.7) {
    // msgpack of random structures, often with a known type.
    const value = chance(rng, 0.7)
      ? {
          ...(mutateJson(rng, validClientMessage(rng)) as object),
          ...(chance(rng, 0.5)
            ? { t: pick(rng, ['ping', 'resync', 'control', 'latency', 'hello', 'frame']) }
            : {}),
        }
      : randomValue(rng);
    return { kind: 'msgpack', payload: packr.pack(value) as Uint8Array };
  }
  if (r < 0.78) return { kind: 'valid', payload: encodeMessage(validClientMessage(rng)) };
  if (r < 0.85) return { kind: 'oversized', payload: randomBytes(rng, int(rng, 4097, 70_000)) };
  if (r < 0.93)
    return {
      kind: 'text',
      payload: chance(rng, 0.5)
        ? randomString(rng, 200)
        : JSON.stringify({ t: 'ping', id: 1, clientTimeMs: 1 }),
    };
  return { kind: 'raw', payload: randomBytes(rng, int(rng, 1, 256)), raw: true };
}

/** Close codes the server may answer a case with (docs/PROTOCOL.md section 6, and ws's own). */
const WS_CLOSE_OK = new Set([4400, 1009, 1002, 1007]);

interface WsOutcome {
  state: 'open' | 'closed';
  code?: number;
  errorMessage: boolean;
}

function sendWsCase(wsUrl: string, c: WsCase): Promise<WsOutcome> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(wsUrl, [SUBPROTOCOL]);
    let errorMessage = false;
    let done = false;
    const finish = (outcome: WsOutcome): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      ws.removeAllListeners('close');
      ws.terminate();
      resolve(outcome);
    };
    const timer = setTimeout(() => finish({ state: 'open', errorMessage }), 200);
    ws.on('error', () => {});
    ws.on('unexpected-response', (_req, res) => {
      clearTimeout(timer);
      done = true;
      reject(new Error(`upgrade refused with ${res.statusCode}`));
    });
    ws.on('message', (data: Buffer) => {
      try {
        if ((packr.unpack(data) as { t?: unknown }).t === 'error') errorMessage = true;
      } catch {
        // Server messages are checked elsewhere; here only an error notice matters.
      }
    });
    ws.on('close', (code) => finish({ state: 'closed', code, errorMessage }));
    ws.on('open', () => {
      // A valid message keeps the connection: give the server time to answer, then leave.
      ws.send(c.payload, { binary: typeof c.payload !== 'string' });
    });
  });
}

/** A hand-made upgrade, then raw bytes that are not WebSocket framing: the server must hang up. */
function sendRawCase(port: number, bytes: Uint8Array): Promise<WsOutcome> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let upgraded = false;
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ state: 'open', errorMessage: false });
    }, 1000);
    socket.on('error', () => {});
    socket.on('connect', () => {
      socket.write(
        'GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
          `Sec-WebSocket-Key: ${Buffer.from(randomBytes(createRng(1n), 16)).toString('base64')}\r\n` +
          `Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: ${SUBPROTOCOL}\r\n\r\n`,
      );
    });
    socket.on('data', (chunk: Buffer) => {
      if (!upgraded && chunk.toString('latin1').startsWith('HTTP/1.1 101')) {
        upgraded = true;
        socket.write(bytes);
      } else if (!upgraded) {
        clearTimeout(timer);
        socket.destroy();
        reject(new Error(`raw upgrade refused: ${chunk.toString('latin1').split('\r\n')[0]}`));
      }
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ state: 'closed', code: 1006, errorMessage: false });
    });
  });
}

/** RSS the server may grow by over a run (it also grows a ticket and metrics history). */
const WS_RSS_GROWTH_LIMIT_MIB = 96;

export async function fuzzWebSocket(
  options: FuzzOptions & { url: string; serverPid?: number; parallel?: number },
): Promise<FuzzReport> {
  const report = newReport('ws', options);
  const started = performance.now();
  const wsUrl = `${options.url.replace(/^http/, 'ws')}/ws`;
  const port = Number(new URL(options.url).port);
  const failures = report.failures;
  const fail = (index: number, input: string, problem: string): void => {
    failures.push({ target: 'ws', seed: report.seed, index, input, problem });
  };

  // An ordinary client watching throughout: the fuzzing must not disturb it.
  let observerFrames = 0;
  const observer = new NodeStreamClient({ url: wsUrl, onFrame: () => (observerFrames += 1) });
  observer.start();
  const rssStartMiB = options.serverPid
    ? (procStat(options.serverPid)?.rssBytes ?? 0) / 2 ** 20
    : 0;
  let rssMaxMiB = rssStartMiB;
  let healthChecks = 0;
  let lastCheck = { frames: 0, atMs: performance.now() };
  let checking = true;
  const watch = (async () => {
    while (checking) {
      await sleep(500);
      if (!checking) break;
      healthChecks += 1;
      const at = `after ${report.cases} cases`;
      if (!(await healthy(options.url, 3000)))
        fail(-1, at, 'the server did not answer /healthz 200');
      const now = performance.now();
      if (observerFrames === lastCheck.frames && now - lastCheck.atMs > 2000) {
        fail(
          -1,
          at,
          `the observer client got no frame for ${round((now - lastCheck.atMs) / 1000, 1)} s`,
        );
      }
      if (observerFrames !== lastCheck.frames) lastCheck = { frames: observerFrames, atMs: now };
      if (options.serverPid) {
        const rssMiB = (procStat(options.serverPid)?.rssBytes ?? 0) / 2 ** 20;
        rssMaxMiB = Math.max(rssMaxMiB, rssMiB);
      }
    }
  })();

  try {
    await runCases(options, options.parallel ?? 16, async (index) => {
      const rng = caseRng(options.seed, 'ws', index);
      const c = wsCase(rng);
      const input = `${c.kind}: ${typeof c.payload === 'string' ? JSON.stringify(c.payload.slice(0, 200)) : describeBytes(c.payload)}`;
      try {
        const outcome = c.raw
          ? await sendRawCase(port, c.payload as Uint8Array)
          : await sendWsCase(wsUrl, c);
        count(report, `${c.kind}: ${outcome.state}${outcome.code ? ` ${outcome.code}` : ''}`);
        // Raw garbage may hang up at once or look like the start of a long frame, which the
        // server rightly waits for; either way only the server's health matters (checked above).
        if (c.raw) {
          // Nothing to check per case.
        } else if (outcome.state === 'closed') {
          if (!WS_CLOSE_OK.has(outcome.code!)) fail(index, input, `closed with ${outcome.code}`);
          // PROTOCOL.md: an `error` message precedes a 4400 close, text frames included.
          if (outcome.code === 4400 && !outcome.errorMessage) {
            fail(index, input, 'closed with 4400 but sent no error message first');
          }
          if (c.kind === 'valid')
            fail(index, input, `a valid message was answered with close ${outcome.code}`);
        } else if (c.kind === 'oversized' || c.kind === 'text') {
          fail(index, input, `a ${c.kind} message left the connection open`);
        }
      } catch (error) {
        fail(index, input, `no clean answer: ${(error as Error).message}`);
      }
      report.cases += 1;
    });
  } finally {
    checking = false;
    await watch;
    observer.stop();
  }
  if (!(await healthy(options.url, 3000)))
    fail(-1, 'at the end', 'the server did not answer /healthz 200');
  if (options.serverPid) {
    const rssEndMiB = (procStat(options.serverPid)?.rssBytes ?? 0) / 2 ** 20;
    rssMaxMiB = Math.max(rssMaxMiB, rssEndMiB);
    report.serverRssMiB = {
      start: round(rssStartMiB, 1),
      max: round(rssMaxMiB, 1),
      end: round(rssEndMiB, 1),
    };
    if (rssMaxMiB - rssStartMiB > WS_RSS_GROWTH_LIMIT_MIB) {
      fail(-1, 'whole run', `server RSS grew by ${round(rssMaxMiB - rssStartMiB, 1)} MiB`);
    }
  }
  report.observerFrames = observerFrames;
  report.healthChecks = healthChecks;
  report.seconds = round((performance.now() - started) / 1000, 2);
  return report;
}

// ---------------------------------------------------------------- a server to fuzz

export interface FuzzServer {
  url: string;
  pid: number;
  token: string;
  close(): Promise<void>;
}

/** The real server (its own process) on a small replay, with a token that writes demo tickets. */
export async function startFuzzServer(): Promise<FuzzServer> {
  const work = tempDir('fuzz');
  const trace = path.join(work, 'pattern.bin');
  await writeDrillTrace(trace, 64, 48);
  const port = await freePort();
  const dataDir = path.join(work, 'data');
  const child = spawnServer({ port, dataDir, tenantsFile: demoOnlyTenantsFile(work, trace) });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitHealthy(url, 120_000, child);
    const { openTenantDatabase } = await import('../../src/server/tenants/schema');
    const { issueToken } = await import('../../src/server/tenants/token-store');
    const db = openTenantDatabase(dataDir);
    const { token } = issueToken(db, { name: 'fuzz', tenants: ['demo'] });
    db.close();
    // The server reads new tokens within a second.
    for (let i = 0; i < 50; i++) {
      const res = await fetch(`${url}/api/tickets?limit=1`, {
        headers: { authorization: `Bearer ${token}` },
      });
      if (res.status === 200) break;
      await sleep(100);
    }
    return { url, pid: child.pid!, token, close: async () => void (await stopServer(child)) };
  } catch (error) {
    await stopServer(child);
    throw error;
  }
}

// ---------------------------------------------------------------- command line

async function main(): Promise<void> {
  const { targets, seed, cases, index } = optionsOrExit(
    'fuzz',
    'npm run fuzz -- [--target all|trace|postmessage|http|ws[,...]] [--cases N] [--seed S] [--index I]',
    () => {
      const { values } = parseArgs({
        options: {
          target: { type: 'string', default: 'all' },
          cases: { type: 'string', default: '10000' },
          seed: { type: 'string' },
          index: { type: 'string' },
        },
        strict: true,
      });
      const targets: Target[] =
        values.target === 'all' ? [...TARGETS] : (values.target.split(',') as Target[]);
      for (const t of targets) {
        if (!TARGETS.includes(t))
          throw new Error(`[fuzz] unknown target "${t}" (${TARGETS.join(', ')}, all)`);
      }
      if (values.seed !== undefined && !/^\d{1,19}$/.test(values.seed))
        throw new Error(`[fuzz] --seed must be a non-negative integer, got "${values.seed}"`);
      const cases = numberOption('cases', values.cases, { min: 1 });
      const index =
        values.index !== undefined
          ? numberOption('index', values.index, { min: 0, max: cases - 1 })
          : undefined;
      const seed = values.seed !== undefined ? BigInt(values.seed) : BigInt(Date.now());
      return { targets, seed, cases, index };
    },
  );
  const options: FuzzOptions = { seed, cases, ...(index !== undefined ? { index } : {}) };
  console.error(`[fuzz] seed ${seed} (rerun one case: --seed ${seed} --target T --index I)`);
  const reports: FuzzReport[] = [];
  if (targets.includes('trace')) reports.push(await fuzzTraceReader(options));
  if (targets.includes('postmessage')) reports.push(await fuzzHostMessages(options));
  if (targets.includes('http') || targets.includes('ws')) {
    const server = await startFuzzServer();
    try {
      if (targets.includes('http')) reports.push(await fuzzHttp({ ...options, ...server }));
      if (targets.includes('ws')) {
        reports.push(await fuzzWebSocket({ ...options, url: server.url, serverPid: server.pid }));
      }
    } finally {
      await server.close();
    }
  }
  const failures = reports.reduce((s, r) => s + r.failures.length, 0);
  console.log(
    JSON.stringify(
      {
        fuzz: 'boundaries',
        date: new Date().toISOString(),
        seed: String(seed),
        ok: failures === 0,
        reports: reports.map((r) => ({
          ...r,
          failures: r.failures.slice(0, 20),
          failureCount: r.failures.length,
        })),
      },
      null,
      2,
    ),
  );
  if (failures > 0) process.exitCode = 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error((error as Error).stack ?? String(error));
    process.exit(2);
  });
}
