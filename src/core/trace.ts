// Trace file format, version 1 (traces/FORMAT.md). Pure functions over
// byte arrays so the server, the CLI, tests and a browser worker can all share them; file access
// lives in src/server/trace-file.ts.
//
//   header (64 bytes): magic "SPINTRC1" | u16 version | u16 header size | u32 width | u32 height
//                      | u32 frame count | u32 frame interval (us) | u32 flags | u64 seed
//                      | 20 reserved zero bytes | u32 CRC-32 of bytes 0..59
//   F frame records:   u32 frame index | u32 CRC-32 of the phase bytes | W*H u16 phases
// All numbers little-endian.

import { crc32 } from './crc32';

export const TRACE_MAGIC = 'SPINTRC1';
export const TRACE_VERSION = 1;
export const TRACE_HEADER_BYTES = 64;
export const FRAME_RECORD_HEADER_BYTES = 8;
export const MAX_SPINS = 16_777_216;

const MAGIC_BYTES = Uint8Array.from(TRACE_MAGIC, (ch) => ch.charCodeAt(0));
const U32_MAX = 0xffff_ffff;
const U64_LIMIT = 1n << 64n;
const HEADER_CRC_OFFSET = 60;
const RESERVED_START = 40;

const IS_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export interface TraceHeader {
  /** Lattice columns. */
  width: number;
  /** Lattice rows. */
  height: number;
  frameCount: number;
  /** Interval between frames when played back, in microseconds. */
  intervalUs: number;
  /** Must be 0 in version 1. */
  flags: number;
  /** Simulator seed, an unsigned 64-bit value; 0 when unknown. */
  seed: bigint;
}

/** A trace file that cannot be read: names the file and what is wrong with it. */
export class TraceError extends Error {
  readonly file: string;
  readonly fault: string;

  constructor(file: string, fault: string) {
    super(`[trace] ${file}: ${fault}`);
    this.name = 'TraceError';
    this.file = file;
    this.fault = fault;
  }
}

/** Bytes per frame record: index, CRC, then 2 bytes per spin. */
export function frameStrideBytes(width: number, height: number): number {
  return FRAME_RECORD_HEADER_BYTES + 2 * width * height;
}

/** Exact size of a valid trace file with this header, in bytes. */
export function traceFileBytes(header: TraceHeader): number {
  return TRACE_HEADER_BYTES + header.frameCount * frameStrideBytes(header.width, header.height);
}

/** Byte offset of frame record k in the file. */
export function frameOffsetBytes(header: TraceHeader, frameIndex: number): number {
  return TRACE_HEADER_BYTES + frameIndex * frameStrideBytes(header.width, header.height);
}

function hex32(value: number): string {
  return `0x${value.toString(16).padStart(8, '0')}`;
}

// The fault for a header whose fields are out of range, or null. Shared by the encoder (a
// programming error) and the decoder (a bad file).
function headerFieldFault(h: TraceHeader): string | null {
  const isU32 = (v: number): boolean => Number.isInteger(v) && v >= 0 && v <= U32_MAX;
  if (!isU32(h.width) || h.width < 1)
    return `dimensions out of range: width ${h.width} (must be >= 1)`;
  if (!isU32(h.height) || h.height < 1) {
    return `dimensions out of range: height ${h.height} (must be >= 1)`;
  }
  // The product of two u32 can exceed 2^53, but never by so little that it compares wrongly
  // against 2^24.
  if (h.width * h.height > MAX_SPINS) {
    return `dimensions out of range: ${h.width} x ${h.height} = ${BigInt(h.width) * BigInt(h.height)} spins (at most ${MAX_SPINS})`;
  }
  if (!isU32(h.frameCount) || h.frameCount < 1) {
    return `frame count ${h.frameCount} out of range (must be >= 1)`;
  }
  if (!isU32(h.intervalUs) || h.intervalUs < 1) {
    return `frame interval ${h.intervalUs} us out of range (must be >= 1)`;
  }
  if (!isU32(h.flags)) return `flags ${h.flags} out of range`;
  if (h.flags !== 0)
    return `unsupported flags ${hex32(h.flags)} (version 1 defines none; expected 0)`;
  return null;
}

/** The 64-byte header, CRC included. Throws RangeError for a header no reader would accept. */
export function encodeTraceHeader(h: TraceHeader): Uint8Array {
  const fault = headerFieldFault(h);
  if (fault !== null) throw new RangeError(`[trace] cannot encode header: ${fault}`);
  if (h.seed < 0n || h.seed >= U64_LIMIT) {
    throw new RangeError(`[trace] cannot encode header: seed ${h.seed} is not a u64`);
  }
  const bytes = new Uint8Array(TRACE_HEADER_BYTES);
  const view = new DataView(bytes.buffer);
  bytes.set(MAGIC_BYTES, 0);
  view.setUint16(8, TRACE_VERSION, true);
  view.setUint16(10, TRACE_HEADER_BYTES, true);
  view.setUint32(12, h.width, true);
  view.setUint32(16, h.height, true);
  view.setUint32(20, h.frameCount, true);
  view.setUint32(24, h.intervalUs, true);
  view.setUint32(28, h.flags, true);
  view.setBigUint64(32, h.seed, true);
  view.setUint32(HEADER_CRC_OFFSET, crc32(bytes, 0, HEADER_CRC_OFFSET), true);
  return bytes;
}

/**
 * Reads and validates a header. `bytes` holds the start of the file (at least the 64 header
 * bytes when the file has them); `fileSizeBytes` is the whole file's size, which must equal
 * 64 + F * stride. Throws TraceError naming `file` and the first fault found.
 */
export function decodeTraceHeader(
  bytes: Uint8Array,
  file: string,
  fileSizeBytes: number,
): TraceHeader {
  if (!Number.isSafeInteger(fileSizeBytes) || fileSizeBytes < 0) {
    throw new RangeError(`[trace] ${file}: file size ${fileSizeBytes} is not a byte count`);
  }
  const fail = (fault: string): never => {
    throw new TraceError(file, fault);
  };
  const magicLength = Math.min(bytes.length, MAGIC_BYTES.length);
  for (let i = 0; i < magicLength; i++) {
    if (bytes[i] !== MAGIC_BYTES[i]) {
      // The file's own bytes are not echoed: pointed at /etc/passwd, the message would quote it.
      fail(`wrong magic (the file does not start with "${TRACE_MAGIC}"): not a spin trace`);
    }
  }
  if (bytes.length < TRACE_HEADER_BYTES) {
    fail(
      `truncated: the file is ${fileSizeBytes} bytes, shorter than the ${TRACE_HEADER_BYTES}-byte header`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, TRACE_HEADER_BYTES);
  const version = view.getUint16(8, true);
  if (version !== TRACE_VERSION) {
    fail(`unknown version ${version} (this reader knows version ${TRACE_VERSION})`);
  }
  const headerBytes = view.getUint16(10, true);
  if (headerBytes !== TRACE_HEADER_BYTES) {
    fail(`wrong header size ${headerBytes} (expected ${TRACE_HEADER_BYTES})`);
  }
  const expectedCrc = crc32(bytes, 0, HEADER_CRC_OFFSET);
  const foundCrc = view.getUint32(HEADER_CRC_OFFSET, true);
  if (expectedCrc !== foundCrc) {
    fail(`header CRC mismatch (expected ${hex32(expectedCrc)}, found ${hex32(foundCrc)})`);
  }
  for (let i = RESERVED_START; i < HEADER_CRC_OFFSET; i++) {
    if (bytes[i] !== 0) fail(`reserved header byte ${i} is ${bytes[i]} (must be 0)`);
  }
  const header: TraceHeader = {
    width: view.getUint32(12, true),
    height: view.getUint32(16, true),
    frameCount: view.getUint32(20, true),
    intervalUs: view.getUint32(24, true),
    flags: view.getUint32(28, true),
    seed: view.getBigUint64(32, true),
  };
  const fault = headerFieldFault(header);
  if (fault !== null) fail(fault);
  // BigInt: F * stride can pass 2^53 for a lying header, and the message must stay exact.
  const strideBytes = BigInt(frameStrideBytes(header.width, header.height));
  const expectedSize = BigInt(TRACE_HEADER_BYTES) + BigInt(header.frameCount) * strideBytes;
  const actualSize = BigInt(fileSizeBytes);
  const layout = `${TRACE_HEADER_BYTES} + ${header.frameCount} frames x ${strideBytes} bytes = ${expectedSize} bytes`;
  if (actualSize < expectedSize) {
    fail(
      `truncated: ${expectedSize - actualSize} bytes missing (file is ${actualSize} bytes, header says ${layout})`,
    );
  }
  if (actualSize > expectedSize) {
    fail(
      `${actualSize - expectedSize} trailing bytes (file is ${actualSize} bytes, header says ${layout})`,
    );
  }
  return header;
}

/** One frame record: index, CRC of the phase bytes, phases as little-endian u16. */
export function encodeFrameRecord(frameIndex: number, phases: Uint16Array): Uint8Array {
  const record = new Uint8Array(FRAME_RECORD_HEADER_BYTES + phases.length * 2);
  encodeFrameRecordInto(frameIndex, phases, record, 0);
  return record;
}

/**
 * Encodes a frame record into `out` at `offsetBytes`, without allocating; returns the bytes
 * written. For writers that batch many records into one buffer.
 */
export function encodeFrameRecordInto(
  frameIndex: number,
  phases: Uint16Array,
  out: Uint8Array,
  offsetBytes: number,
): number {
  if (!Number.isInteger(frameIndex) || frameIndex < 0 || frameIndex > U32_MAX) {
    throw new RangeError(`[trace] frame index ${frameIndex} is not a u32`);
  }
  const recordBytes = FRAME_RECORD_HEADER_BYTES + phases.length * 2;
  if (offsetBytes < 0 || offsetBytes + recordBytes > out.length) {
    throw new RangeError(`[trace] a ${recordBytes}-byte record does not fit at ${offsetBytes}`);
  }
  const phaseStart = offsetBytes + FRAME_RECORD_HEADER_BYTES;
  writePhasesLE(phases, out, phaseStart);
  const view = new DataView(out.buffer, out.byteOffset + offsetBytes, FRAME_RECORD_HEADER_BYTES);
  view.setUint32(0, frameIndex, true);
  view.setUint32(4, crc32(out, phaseStart, offsetBytes + recordBytes), true);
  return recordBytes;
}

function writePhasesLE(phases: Uint16Array, out: Uint8Array, offsetBytes: number): void {
  if (IS_LITTLE_ENDIAN) {
    out.set(new Uint8Array(phases.buffer, phases.byteOffset, phases.byteLength), offsetBytes);
    return;
  }
  for (let i = 0; i < phases.length; i++) {
    const q = phases[i]!;
    out[offsetBytes + 2 * i] = q & 0xff;
    out[offsetBytes + 2 * i + 1] = q >>> 8;
  }
}

/**
 * Checks a frame record read from `file` and returns its phases in a fresh, aligned array.
 * `record` may start at any byte offset. Throws TraceError on a short record, an out-of-order
 * frame index or a CRC mismatch.
 */
export function decodeFrameRecord(
  record: Uint8Array,
  header: TraceHeader,
  expectedIndex: number,
  file: string,
): Uint16Array {
  const spins = header.width * header.height;
  const strideBytes = frameStrideBytes(header.width, header.height);
  if (record.length !== strideBytes) {
    throw new TraceError(
      file,
      `frame ${expectedIndex}: truncated record (${record.length} bytes, expected ${strideBytes})`,
    );
  }
  const view = new DataView(record.buffer, record.byteOffset, FRAME_RECORD_HEADER_BYTES);
  const foundIndex = view.getUint32(0, true);
  if (foundIndex !== expectedIndex) {
    throw new TraceError(
      file,
      `frame ${expectedIndex}: out-of-order frame index (expected ${expectedIndex}, found ${foundIndex})`,
    );
  }
  const expectedCrc = crc32(record, FRAME_RECORD_HEADER_BYTES, strideBytes);
  const foundCrc = view.getUint32(4, true);
  if (expectedCrc !== foundCrc) {
    throw new TraceError(
      file,
      `frame ${expectedIndex}: CRC mismatch (expected ${hex32(expectedCrc)}, found ${hex32(foundCrc)})`,
    );
  }
  const phases = new Uint16Array(spins);
  if (IS_LITTLE_ENDIAN) {
    // A byte copy into the fresh array sidesteps the alignment a Uint16Array view of `record`
    // would need.
    new Uint8Array(phases.buffer).set(record.subarray(FRAME_RECORD_HEADER_BYTES));
  } else {
    const body = new DataView(record.buffer, record.byteOffset + FRAME_RECORD_HEADER_BYTES);
    for (let i = 0; i < spins; i++) phases[i] = body.getUint16(2 * i, true);
  }
  return phases;
}
