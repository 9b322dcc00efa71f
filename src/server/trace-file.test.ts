import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  TRACE_HEADER_BYTES,
  TraceError,
  encodeFrameRecord,
  encodeTraceHeader,
  frameStrideBytes,
  traceFileBytes,
  type TraceHeader,
} from '../core/trace';
import { openTraceFile, writeTraceFile } from './trace-file';

const dir = mkdtempSync(join(tmpdir(), 'trace-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let fileCounter = 0;
const nextPath = (): string => join(dir, `t${fileCounter++}.bin`);

const HEADER: TraceHeader = {
  width: 7,
  height: 5,
  frameCount: 6,
  intervalUs: 16667,
  flags: 0,
  seed: 99n,
};
const STRIDE = frameStrideBytes(HEADER.width, HEADER.height);

function frameAt(k: number): Uint16Array {
  return Uint16Array.from(
    { length: HEADER.width * HEADER.height },
    (_, i) => (i * 1021 + k * 7919) & 0xffff,
  );
}

async function writeValid(): Promise<string> {
  const path = nextPath();
  await writeTraceFile(path, HEADER, frameAt);
  return path;
}

function traceError(action: () => unknown): TraceError {
  try {
    action();
  } catch (error) {
    if (error instanceof TraceError) return error;
    throw error;
  }
  throw new Error('expected a TraceError');
}

describe('writeTraceFile and openTraceFile', () => {
  it('round-trip the header and every frame, in any order', async () => {
    const path = await writeValid();
    expect(readFileSync(path).length).toBe(traceFileBytes(HEADER));
    const trace = openTraceFile(path);
    try {
      expect(trace.path).toBe(path);
      expect(trace.header).toEqual(HEADER);
      for (const k of [5, 0, 3, 3, 1, 4, 2]) expect(trace.readFrame(k)).toEqual(frameAt(k));
    } finally {
      trace.close();
    }
  });

  it('write the same bytes as the core encoders', async () => {
    const path = await writeValid();
    const expected = Buffer.concat([
      encodeTraceHeader(HEADER),
      ...Array.from({ length: HEADER.frameCount }, (_, k) => encodeFrameRecord(k, frameAt(k))),
    ]);
    expect(readFileSync(path).equals(expected)).toBe(true);
  });

  it('write traces larger than one write chunk', async () => {
    const header = { ...HEADER, width: 300, height: 200, frameCount: 30 };
    const big = (k: number): Uint16Array => new Uint16Array(300 * 200).fill(k * 1000 + 1);
    const path = nextPath();
    const calls: [number, number][] = [];
    await writeTraceFile(path, header, big, (done, total) => calls.push([done, total]));
    expect(calls.length).toBe(30);
    expect(calls.at(-1)).toEqual([30, 30]);
    const trace = openTraceFile(path);
    expect(trace.readFrame(29)).toEqual(big(29));
    expect(trace.readFrame(17)).toEqual(big(17));
    trace.close();
  });

  it('create missing parent directories', async () => {
    const path = join(dir, 'nested', 'deeper', 'x.bin');
    await writeTraceFile(path, HEADER, frameAt);
    const trace = openTraceFile(path);
    expect(trace.header).toEqual(HEADER);
    trace.close();
  });

  it('leave neither the target nor a temporary file when a frame cannot be produced', async () => {
    const sub = join(dir, 'failing');
    mkdirSync(sub);
    const path = join(sub, 'x.bin');
    await expect(
      writeTraceFile(path, HEADER, (k) => {
        if (k === 4) throw new Error('simulator failed');
        return frameAt(k);
      }),
    ).rejects.toThrow('simulator failed');
    expect(readdirSync(sub)).toEqual([]);
  });

  it('keep an existing trace intact when a rewrite fails', async () => {
    const path = await writeValid();
    const before = readFileSync(path);
    await expect(writeTraceFile(path, HEADER, () => new Uint16Array(3))).rejects.toThrow(
      /frame 0 has 3 phases, expected 7 x 5 = 35/,
    );
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('refuse to read a frame index outside the trace', async () => {
    const trace = openTraceFile(await writeValid());
    expect(() => trace.readFrame(6)).toThrow(RangeError);
    expect(() => trace.readFrame(-1)).toThrow(RangeError);
    trace.close();
  });
});

describe('openTraceFile rejects', () => {
  // Each case corrupts a valid file on disk; the fault must name what is wrong.
  it.each([
    {
      name: 'a truncated file',
      corrupt: (path: string) => truncateSync(path, traceFileBytes(HEADER) - 10),
      fault:
        /^truncated: 10 bytes missing \(file is \d+ bytes, header says 64 \+ 6 frames x 78 bytes = \d+ bytes\)$/,
    },
    {
      name: 'trailing bytes',
      corrupt: (path: string) => writeFileSync(path, new Uint8Array(5), { flag: 'a' }),
      fault: /^5 trailing bytes \(file is \d+ bytes/,
    },
    {
      name: 'an empty file',
      corrupt: (path: string) => truncateSync(path, 0),
      fault: /^truncated: the file is 0 bytes, shorter than the 64-byte header$/,
    },
    {
      name: 'wrong magic',
      corrupt: (path: string) => patch(path, 0, [0x47, 0x49, 0x46]),
      fault: /^wrong magic \(the file does not start with "SPINTRC1"\): not a spin trace$/,
    },
    {
      name: 'an unknown version',
      corrupt: (path: string) => patch(path, 8, [9, 0]),
      fault: /^unknown version 9 \(this reader knows version 1\)$/,
    },
    {
      name: 'a bad header CRC',
      corrupt: (path: string) => patch(path, 61, [0xee]),
      fault: /^header CRC mismatch \(expected 0x[0-9a-f]{8}, found 0x[0-9a-f]{8}\)$/,
    },
  ])('$name', async ({ corrupt, fault }) => {
    const path = await writeValid();
    corrupt(path);
    const error = traceError(() => openTraceFile(path));
    expect(error.file).toBe(path);
    expect(error.fault).toMatch(fault);
    expect(error.message).toBe(`[trace] ${path}: ${error.fault}`);
  });

  it('a missing file, as "file not found"', () => {
    const path = join(dir, 'no-such.bin');
    const error = traceError(() => openTraceFile(path));
    expect(error.message).toBe(`[trace] ${path}: file not found`);
  });

  it('a directory', () => {
    expect(traceError(() => openTraceFile(dir)).fault).toBe('not a regular file (a directory)');
  });

  it('a FIFO, at once instead of waiting for a writer', () => {
    const fifo = join(dir, 'trace.fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    expect(traceError(() => openTraceFile(fifo)).fault).toBe('not a regular file (a FIFO)');
  });
});

describe('readFrame rejects', () => {
  it.each([
    {
      name: 'a bad frame CRC',
      corrupt: (path: string) => patch(path, TRACE_HEADER_BYTES + 2 * STRIDE + 8 + 11, [0x5a]),
      fault: /^frame 2: CRC mismatch \(expected 0x[0-9a-f]{8}, found 0x[0-9a-f]{8}\)$/,
    },
    {
      name: 'an out-of-order frame index',
      corrupt: (path: string) => patch(path, TRACE_HEADER_BYTES + 2 * STRIDE, [3, 0, 0, 0]),
      fault: /^frame 2: out-of-order frame index \(expected 2, found 3\)$/,
    },
    {
      name: 'a file cut short after it was opened',
      corrupt: (path: string) => truncateSync(path, TRACE_HEADER_BYTES + 2 * STRIDE + 20),
      fault: /^frame 2: truncated record \(20 bytes, expected 78\)$/,
    },
  ])('$name, and still reads the good frames', async ({ corrupt, fault }) => {
    const path = await writeValid();
    const trace = openTraceFile(path);
    try {
      corrupt(path);
      expect(traceError(() => trace.readFrame(2)).fault).toMatch(fault);
      expect(trace.readFrame(1)).toEqual(frameAt(1));
    } finally {
      trace.close();
    }
  });
});

function patch(path: string, offsetBytes: number, bytes: number[]): void {
  const data = readFileSync(path);
  data.set(bytes, offsetBytes);
  writeFileSync(path, data);
}
