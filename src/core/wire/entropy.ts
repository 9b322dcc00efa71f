// Entropy coding of residual planes: raw DEFLATE (RFC 1951) on the way out, bounded inflate on the
// way in, so a payload can never make the decoder allocate or write more than one frame's planes.
import { inflateSync } from 'fflate';
import type { DeflateWriter } from './deflate-writer';

/**
 * Deflates residual planes into a new payload that starts with `headerBytes` bytes left for the
 * caller. One block per plane: the low plane's residual histogram and the high plane's runs of
 * zeros want different Huffman codes.
 */
export function deflatePlanes(
  writer: DeflateWriter,
  planes: Uint8Array,
  headerBytes: number,
): Uint8Array {
  return writer.deflate(planes, planes.length / 2, headerBytes);
}

/**
 * Inflates `body` into `scratch`, which must be one byte longer than the planes: fflate silently
 * stops writing at the end of a caller's buffer, so output that reaches the spare byte proves the
 * stream inflates to more than a frame. Returns the planes (a view of scratch).
 */
export function inflatePlanes(body: Uint8Array, scratch: Uint8Array, what: string): Uint8Array {
  const expectedBytes = scratch.length - 1;
  if (body.length === 0) throw new Error(`[wire] ${what}: empty DEFLATE stream`);
  let planes: Uint8Array;
  try {
    planes = inflateSync(body, { out: scratch });
  } catch (error) {
    // A stored block that overruns the buffer makes fflate's typed-array copy throw RangeError.
    if (error instanceof RangeError) {
      throw new Error(
        `[wire] ${what}: inflates to more than the ${expectedBytes} bytes of a frame`,
        {
          cause: error,
        },
      );
    }
    throw new Error(`[wire] ${what}: corrupt DEFLATE stream (${(error as Error).message})`, {
      cause: error,
    });
  }
  if (planes.length > expectedBytes) {
    throw new Error(`[wire] ${what}: inflates to more than the ${expectedBytes} bytes of a frame`);
  }
  if (planes.length !== expectedBytes) {
    throw new Error(
      `[wire] ${what}: inflates to ${planes.length} bytes, a frame needs ${expectedBytes}`,
    );
  }
  return planes;
}
