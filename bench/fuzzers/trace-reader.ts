// Fuzz target `trace`: mutated trace files (header fields with and without a fixed-up CRC, frame
// records, truncation, random bytes) through decodeTraceHeader and openTraceFile/readFrame. Only
// TraceError may come out, and no case may allocate more than a few MiB.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { crc32 } from '../../src/core/crc32';
import {
  TraceError,
  decodeTraceHeader,
  encodeFrameRecord,
  encodeTraceHeader,
} from '../../src/core/trace';
import { openTraceFile } from '../../src/server/trace-file';
import type { Rng } from '../../src/sim/rng';
import { round } from '../support/round';
import { caseRng, count, indices, newReport, type FuzzOptions, type FuzzReport } from './harness';
import { chance, describeBytes, int, mutateBytes, pick } from './input-kit';

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
