import { crc32 as zlibCrc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  FRAME_RECORD_HEADER_BYTES,
  MAX_SPINS,
  TRACE_HEADER_BYTES,
  TraceError,
  decodeFrameRecord,
  decodeTraceHeader,
  encodeFrameRecord,
  encodeTraceHeader,
  frameStrideBytes,
  traceFileBytes,
  type TraceHeader,
} from './trace';

const FILE = 'traces/x.bin';

const HEADER: TraceHeader = {
  width: 5,
  height: 3,
  frameCount: 4,
  intervalUs: 16667,
  flags: 0,
  seed: 0xfedcba9876543210n,
};

function phasesFor(k: number, spins: number): Uint16Array {
  return Uint16Array.from({ length: spins }, (_, i) => (i * 4099 + k * 977 + 13) & 0xffff);
}

// A header with `edit` applied to its bytes and, unless told otherwise, a fresh valid CRC.
function editedHeader(edit: (view: DataView) => void, fixCrc = true): Uint8Array {
  const bytes = encodeTraceHeader(HEADER);
  const view = new DataView(bytes.buffer);
  edit(view);
  if (fixCrc) view.setUint32(60, zlibCrc32(bytes.subarray(0, 60)), true);
  return bytes;
}

function faultOf(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    if (error instanceof TraceError) return error.fault;
    throw error;
  }
  throw new Error('expected a TraceError');
}

describe('trace header', () => {
  it('round-trips every field, the 64-bit seed included', () => {
    const bytes = encodeTraceHeader(HEADER);
    expect(bytes.length).toBe(TRACE_HEADER_BYTES);
    expect(decodeTraceHeader(bytes, FILE, traceFileBytes(HEADER))).toEqual(HEADER);
  });

  it('lays the fields out as traces/FORMAT.md says', () => {
    const bytes = encodeTraceHeader({ ...HEADER, seed: 20261126n });
    const view = new DataView(bytes.buffer);
    expect(new TextDecoder().decode(bytes.subarray(0, 8))).toBe('SPINTRC1');
    expect(view.getUint16(8, true)).toBe(1);
    expect(view.getUint16(10, true)).toBe(64);
    expect([12, 16, 20, 24, 28].map((o) => view.getUint32(o, true))).toEqual([5, 3, 4, 16667, 0]);
    expect(view.getBigUint64(32, true)).toBe(20261126n);
    expect(Array.from(bytes.subarray(40, 60))).toEqual(new Array(20).fill(0));
    expect(view.getUint32(60, true)).toBe(zlibCrc32(bytes.subarray(0, 60)));
  });

  it('computes the stride and the file size', () => {
    expect(frameStrideBytes(120, 100)).toBe(8 + 24_000);
    expect(traceFileBytes({ ...HEADER, width: 120, height: 100, frameCount: 1200 })).toBe(
      64 + 1200 * 24_008,
    );
  });

  const size = traceFileBytes(HEADER);
  it.each([
    {
      name: 'wrong magic',
      bytes: editedHeader((v) => v.setUint8(0, 0x50)),
      sizeBytes: size,
      fault: 'wrong magic (the file does not start with "SPINTRC1"): not a spin trace',
    },
    {
      name: 'a file shorter than the magic that does not match',
      bytes: Uint8Array.from([0x7b, 0x0a]),
      sizeBytes: 2,
      fault: 'wrong magic (the file does not start with "SPINTRC1"): not a spin trace',
    },
    {
      name: 'a header cut short',
      bytes: encodeTraceHeader(HEADER).subarray(0, 40),
      sizeBytes: 40,
      fault: 'truncated: the file is 40 bytes, shorter than the 64-byte header',
    },
    {
      name: 'an unknown version',
      bytes: editedHeader((v) => v.setUint16(8, 2, true)),
      sizeBytes: size,
      fault: 'unknown version 2 (this reader knows version 1)',
    },
    {
      name: 'a wrong header size field',
      bytes: editedHeader((v) => v.setUint16(10, 128, true)),
      sizeBytes: size,
      fault: 'wrong header size 128 (expected 64)',
    },
    {
      name: 'a header CRC mismatch',
      bytes: editedHeader((v) => v.setUint32(60, 0, true), false),
      sizeBytes: size,
      fault: `header CRC mismatch (expected 0x${zlibCrc32(encodeTraceHeader(HEADER).subarray(0, 60)).toString(16).padStart(8, '0')}, found 0x00000000)`,
    },
    {
      name: 'a field changed without its CRC',
      bytes: editedHeader((v) => v.setUint32(12, 6, true), false),
      sizeBytes: size,
      fault: /^header CRC mismatch \(expected 0x[0-9a-f]{8}, found 0x[0-9a-f]{8}\)$/,
    },
    {
      name: 'a zero width',
      bytes: editedHeader((v) => v.setUint32(12, 0, true)),
      sizeBytes: 64 + 4 * 8,
      fault: 'dimensions out of range: width 0 (must be >= 1)',
    },
    {
      name: 'a zero height',
      bytes: editedHeader((v) => v.setUint32(16, 0, true)),
      sizeBytes: 64 + 4 * 8,
      fault: 'dimensions out of range: height 0 (must be >= 1)',
    },
    {
      // The size lies to match, so only the dimension check can catch it.
      name: 'more spins than MAX_SPINS with a matching size',
      bytes: editedHeader((v) => {
        v.setUint32(12, 4097, true);
        v.setUint32(16, 4096, true);
        v.setUint32(20, 1, true);
      }),
      sizeBytes: 64 + 8 + 2 * 4097 * 4096,
      fault: `dimensions out of range: 4097 x 4096 = 16781312 spins (at most ${MAX_SPINS})`,
    },
    {
      name: 'absurd u32 dimensions',
      bytes: editedHeader((v) => {
        v.setUint32(12, 0xffffffff, true);
        v.setUint32(16, 0xffffffff, true);
      }),
      sizeBytes: size,
      fault: `dimensions out of range: 4294967295 x 4294967295 = 18446744065119617025 spins (at most ${MAX_SPINS})`,
    },
    {
      name: 'a zero frame count',
      bytes: editedHeader((v) => v.setUint32(20, 0, true)),
      sizeBytes: 64,
      fault: 'frame count 0 out of range (must be >= 1)',
    },
    {
      name: 'a zero frame interval',
      bytes: editedHeader((v) => v.setUint32(24, 0, true)),
      sizeBytes: size,
      fault: 'frame interval 0 us out of range (must be >= 1)',
    },
    {
      name: 'nonzero flags',
      bytes: editedHeader((v) => v.setUint32(28, 4, true)),
      sizeBytes: size,
      fault: 'unsupported flags 0x00000004 (version 1 defines none; expected 0)',
    },
    {
      name: 'a nonzero reserved byte',
      bytes: editedHeader((v) => v.setUint8(45, 1)),
      sizeBytes: size,
      fault: 'reserved header byte 45 is 1 (must be 0)',
    },
    {
      name: 'a truncated file',
      bytes: encodeTraceHeader(HEADER),
      sizeBytes: size - 7,
      fault: `truncated: 7 bytes missing (file is ${size - 7} bytes, header says 64 + 4 frames x 38 bytes = ${size} bytes)`,
    },
    {
      name: 'a file with only the header',
      bytes: encodeTraceHeader(HEADER),
      sizeBytes: 64,
      fault: `truncated: ${size - 64} bytes missing (file is 64 bytes, header says 64 + 4 frames x 38 bytes = ${size} bytes)`,
    },
    {
      name: 'trailing bytes',
      bytes: encodeTraceHeader(HEADER),
      sizeBytes: size + 3,
      fault: `3 trailing bytes (file is ${size + 3} bytes, header says 64 + 4 frames x 38 bytes = ${size} bytes)`,
    },
    {
      // F * stride is far past 2^53 here; the message must still be exact.
      name: 'a frame count that no file could hold',
      bytes: editedHeader((v) => {
        v.setUint32(12, 4096, true);
        v.setUint32(16, 4096, true);
        v.setUint32(20, 0xffffffff, true);
      }),
      sizeBytes: 1000,
      fault:
        'truncated: 144115222402038864 bytes missing (file is 1000 bytes, header says 64 + 4294967295 frames x 33554440 bytes = 144115222402039864 bytes)',
    },
  ])('rejects $name', ({ bytes, sizeBytes, fault }) => {
    const found = faultOf(() => decodeTraceHeader(bytes, FILE, sizeBytes));
    if (typeof fault === 'string') expect(found).toBe(fault);
    else expect(found).toMatch(fault);
  });

  it('names the subsystem, the file and the fault in the message', () => {
    const bytes = editedHeader((v) => v.setUint32(60, 0, true), false);
    expect(() => decodeTraceHeader(bytes, FILE, size)).toThrow(
      /^\[trace\] traces\/x\.bin: header CRC mismatch \(expected 0x[0-9a-f]{8}, found 0x00000000\)$/,
    );
  });

  it.each([
    { name: 'a zero width', header: { ...HEADER, width: 0 } },
    { name: 'too many spins', header: { ...HEADER, width: 8192, height: 4096 } },
    { name: 'nonzero flags', header: { ...HEADER, flags: 1 } },
    { name: 'a negative seed', header: { ...HEADER, seed: -1n } },
    { name: 'a seed past 64 bits', header: { ...HEADER, seed: 1n << 64n } },
    { name: 'a fractional interval', header: { ...HEADER, intervalUs: 1.5 } },
  ])('refuses to encode a header with $name', ({ header }) => {
    expect(() => encodeTraceHeader(header)).toThrow(RangeError);
  });
});

describe('frame records', () => {
  const spins = HEADER.width * HEADER.height;
  const stride = frameStrideBytes(HEADER.width, HEADER.height);

  it('round-trip the phases with index and CRC', () => {
    const phases = phasesFor(2, spins);
    const record = encodeFrameRecord(2, phases);
    expect(record.length).toBe(stride);
    const view = new DataView(record.buffer);
    expect(view.getUint32(0, true)).toBe(2);
    expect(view.getUint32(4, true)).toBe(zlibCrc32(record.subarray(FRAME_RECORD_HEADER_BYTES)));
    expect(view.getUint16(8, true)).toBe(phases[0]);
    expect(view.getUint16(8 + 2 * (spins - 1), true)).toBe(phases[spins - 1]);
    expect(decodeFrameRecord(record, HEADER, 2, FILE)).toEqual(phases);
  });

  it('decode from an odd byte offset into a fresh, aligned array', () => {
    const phases = phasesFor(1, spins);
    const backing = new Uint8Array(stride + 1);
    backing.set(encodeFrameRecord(1, phases), 1);
    const record = backing.subarray(1);
    const decoded = decodeFrameRecord(record, HEADER, 1, FILE);
    expect(decoded).toEqual(phases);
    expect(decoded.byteOffset).toBe(0);
    expect(decoded.buffer).not.toBe(backing.buffer);
  });

  it.each([
    {
      name: 'an out-of-order frame index',
      record: () => encodeFrameRecord(3, phasesFor(2, spins)),
      fault: 'frame 2: out-of-order frame index (expected 2, found 3)',
    },
    {
      name: 'a frame CRC mismatch',
      record: () => {
        const r = encodeFrameRecord(2, phasesFor(2, spins));
        r[20] = r[20]! ^ 0x01;
        return r;
      },
      fault: /^frame 2: CRC mismatch \(expected 0x[0-9a-f]{8}, found 0x[0-9a-f]{8}\)$/,
    },
    {
      name: 'a short record',
      record: () => encodeFrameRecord(2, phasesFor(2, spins)).subarray(0, stride - 2),
      fault: `frame 2: truncated record (${stride - 2} bytes, expected ${stride})`,
    },
  ])('reject $name', ({ record, fault }) => {
    const found = faultOf(() => decodeFrameRecord(record(), HEADER, 2, FILE));
    if (typeof fault === 'string') expect(found).toBe(fault);
    else expect(found).toMatch(fault);
  });

  it('refuse to encode a frame index that is not a u32', () => {
    expect(() => encodeFrameRecord(-1, new Uint16Array(1))).toThrow(RangeError);
    expect(() => encodeFrameRecord(2 ** 32, new Uint16Array(1))).toThrow(RangeError);
  });
});
