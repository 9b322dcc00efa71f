// Trace files on disk (format: src/core/trace.ts, traces/FORMAT.md). Reading is synchronous and
// seeks straight to one frame, since the replay source asks for a frame per tick; writing goes
// through a temporary file that is renamed into place, so a crash never leaves a partial trace
// under the target name.

import { closeSync, fstatSync, readSync } from 'node:fs';
import { mkdir, open, rename, rm, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import {
  TRACE_HEADER_BYTES,
  TraceError,
  decodeFrameRecord,
  decodeTraceHeader,
  encodeFrameRecordInto,
  encodeTraceHeader,
  frameStrideBytes,
  type TraceHeader,
} from '../core/trace';
import { NotRegularFileError, openRegularFile } from './regular-file';

export interface TraceFile {
  readonly path: string;
  readonly header: TraceHeader;
  /** Reads and checks frame `frameIndex` (0-based); throws TraceError for a bad frame. */
  readFrame(frameIndex: number): Uint16Array;
  close(): void;
}

function errorCode(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error && typeof error.code === 'string'
    ? error.code
    : undefined;
}

/**
 * Opens a trace and validates its header and size; throws TraceError naming the fault. Only a
 * regular file is opened (a FIFO would block the server before it listens).
 */
export function openTraceFile(path: string): TraceFile {
  let fd: number;
  try {
    fd = openRegularFile(path);
  } catch (error) {
    if (error instanceof NotRegularFileError) {
      throw new TraceError(path, `not a regular file (${error.fileType})`);
    }
    const code = errorCode(error);
    if (code === 'ENOENT') throw new TraceError(path, 'file not found');
    throw new TraceError(path, `cannot open (${code ?? String(error)})`);
  }
  try {
    const stat = fstatSync(fd);
    const headerBytes = new Uint8Array(TRACE_HEADER_BYTES);
    const headerRead = readFully(fd, headerBytes, 0);
    const header = decodeTraceHeader(headerBytes.subarray(0, headerRead), path, stat.size);
    return openedTrace(path, fd, header);
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}

// Bytes read into `into` from `positionBytes`, looping because readSync may return short counts;
// stops early only at the end of the file.
function readFully(fd: number, into: Uint8Array, positionBytes: number): number {
  let done = 0;
  while (done < into.length) {
    const n = readSync(fd, into, done, into.length - done, positionBytes + done);
    if (n === 0) break;
    done += n;
  }
  return done;
}

function openedTrace(path: string, fd: number, header: TraceHeader): TraceFile {
  const strideBytes = frameStrideBytes(header.width, header.height);
  // Sized from a header that decodeTraceHeader checked against the real file size.
  const record = new Uint8Array(strideBytes);
  let closed = false;
  return {
    path,
    header,
    readFrame(frameIndex: number): Uint16Array {
      if (closed) throw new Error(`[trace] ${path}: read after close`);
      if (!Number.isInteger(frameIndex) || frameIndex < 0 || frameIndex >= header.frameCount) {
        throw new RangeError(
          `[trace] ${path}: frame ${frameIndex} outside 0..${header.frameCount - 1}`,
        );
      }
      const got = readFully(fd, record, TRACE_HEADER_BYTES + frameIndex * strideBytes);
      // The file was the right size when opened; it may have been cut since.
      return decodeFrameRecord(record.subarray(0, got), header, frameIndex, path);
    },
    close(): void {
      if (closed) return;
      closed = true;
      closeSync(fd);
    },
  };
}

// Records are batched into writes of about this size: few system calls, bounded memory.
const WRITE_CHUNK_BYTES = 1 << 20;
// The simulator runs synchronously between writes; yielding this often keeps a server that
// generates a trace at start-up responsive to signals and timers.
const YIELD_INTERVAL_MS = 16;

let tempCounter = 0;

async function writeFully(
  handle: FileHandle,
  bytes: Uint8Array,
  length: number,
  positionBytes: number,
): Promise<void> {
  let done = 0;
  while (done < length) {
    const { bytesWritten } = await handle.write(bytes, done, length - done, positionBytes + done);
    done += bytesWritten;
  }
}

/**
 * Writes a whole trace: header, then frames 0..F-1 from `frameAt(k)`, each of width * height
 * phases. The data goes to a temporary file beside `path`, which is flushed to disk and renamed
 * over `path` only once complete. `onProgress(done, total)` is called after each frame.
 */
export async function writeTraceFile(
  path: string,
  header: TraceHeader,
  frameAt: (k: number) => Uint16Array,
  onProgress?: (done: number, total: number) => void,
): Promise<void> {
  const headerBytes = encodeTraceHeader(header);
  const spins = header.width * header.height;
  const strideBytes = frameStrideBytes(header.width, header.height);
  const framesPerChunk = Math.max(1, Math.floor(WRITE_CHUNK_BYTES / strideBytes));
  const chunk = new Uint8Array(framesPerChunk * strideBytes);

  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const tempPath = join(dir, `.${basename(path)}.${process.pid}.${tempCounter++}.tmp`);
  const handle = await open(tempPath, 'wx');
  let renamed = false;
  try {
    await writeFully(handle, headerBytes, headerBytes.length, 0);
    let positionBytes = TRACE_HEADER_BYTES;
    let chunkBytes = 0;
    let lastYieldMs = performance.now();
    for (let k = 0; k < header.frameCount; k++) {
      const phases = frameAt(k);
      if (phases.length !== spins) {
        throw new RangeError(
          `[trace] ${path}: frame ${k} has ${phases.length} phases, expected ${header.width} x ${header.height} = ${spins}`,
        );
      }
      chunkBytes += encodeFrameRecordInto(k, phases, chunk, chunkBytes);
      if (chunkBytes === chunk.length || k === header.frameCount - 1) {
        await writeFully(handle, chunk, chunkBytes, positionBytes);
        positionBytes += chunkBytes;
        chunkBytes = 0;
      }
      onProgress?.(k + 1, header.frameCount);
      if (performance.now() - lastYieldMs >= YIELD_INTERVAL_MS) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        lastYieldMs = performance.now();
      }
    }
    await handle.sync();
    await handle.close();
    await rename(tempPath, path);
    renamed = true;
  } finally {
    if (!renamed) {
      await handle.close().catch(() => undefined);
      await rm(tempPath, { force: true });
    }
  }
}
