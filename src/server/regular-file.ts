// Files the server reads at start (traces, the tenants file, secrets) must be regular files: a
// FIFO would block `open` until something writes to it, before the server listens and with
// nothing logged, and a device could be read forever. The path is checked with stat before it is
// opened, and opened non-blocking (so a FIFO swapped in between cannot hang it either), then
// checked again on the open descriptor.
import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';

/** What a path is, for a message: "a FIFO", "a directory", ... */
export function describeFileType(stat: Stats): string {
  if (stat.isFIFO()) return 'a FIFO';
  if (stat.isDirectory()) return 'a directory';
  if (stat.isSocket()) return 'a socket';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

export class NotRegularFileError extends Error {
  constructor(
    readonly path: string,
    readonly fileType: string,
  ) {
    super(`${path}: not a regular file (${fileType})`);
    this.name = 'NotRegularFileError';
  }
}

/**
 * Opens `path` for reading if it is a regular file: a descriptor the caller closes. Throws
 * NotRegularFileError for anything else, and the system's error (ENOENT, EACCES) as it comes.
 */
export function openRegularFile(path: string): number {
  const before = statSync(path);
  if (!before.isFile()) throw new NotRegularFileError(path, describeFileType(before));
  // O_NONBLOCK: opening a FIFO that replaced the file since the stat returns at once.
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  const after = fstatSync(fd);
  if (!after.isFile()) {
    closeSync(fd);
    throw new NotRegularFileError(path, describeFileType(after));
  }
  return fd;
}

/** The whole of a regular file of at most `maxBytes`, as UTF-8; RangeError when it is larger. */
export function readRegularFile(path: string, maxBytes: number): string {
  const fd = openRegularFile(path);
  try {
    const size = fstatSync(fd).size;
    if (size > maxBytes) throw new RangeError(`${path}: larger than ${maxBytes} bytes`);
    const bytes = Buffer.alloc(size);
    let done = 0;
    while (done < size) {
      const n = readSync(fd, bytes, done, size - done, done);
      if (n === 0) break;
      done += n;
    }
    return bytes.subarray(0, done).toString('utf8');
  } finally {
    closeSync(fd);
  }
}
