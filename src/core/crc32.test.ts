import { crc32 as zlibCrc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32 } from './crc32';

// A local LCG: core tests must not import sim (layer rule), and any reproducible bytes will do.
function randomBytes(length: number, seed: bigint): Uint8Array {
  let state = Number(seed & 0xffffffffn) >>> 0;
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = state >>> 24;
  }
  return out;
}

describe('crc32', () => {
  it.each([
    { name: 'empty input', bytes: new Uint8Array(0), expected: 0 },
    {
      name: 'the check string "123456789"',
      bytes: new TextEncoder().encode('123456789'),
      expected: 0xcbf43926,
    },
    { name: 'a single zero byte', bytes: new Uint8Array([0]), expected: 0xd202ef8d },
  ])('matches the published value for $name', ({ bytes, expected }) => {
    expect(crc32(bytes)).toBe(expected);
  });

  it('matches zlib on random buffers of every length from 0 to 300 and a few large ones', () => {
    const lengths = [...Array.from({ length: 301 }, (_, n) => n), 4095, 24_000, 65_537];
    for (const length of lengths) {
      const bytes = randomBytes(length, BigInt(length) + 7n);
      expect(crc32(bytes), `length ${length}`).toBe(zlibCrc32(bytes));
    }
  });

  it('checksums only the requested range, whatever its alignment', () => {
    const bytes = randomBytes(1000, 99n);
    for (const [start, end] of [
      [0, 0],
      [1, 9],
      [3, 1000],
      [7, 513],
      [500, 501],
    ] as const) {
      expect(crc32(bytes, start, end), `[${start}, ${end})`).toBe(
        zlibCrc32(bytes.subarray(start, end)),
      );
    }
  });

  it('always returns an unsigned 32-bit number', () => {
    for (let seed = 0n; seed < 50n; seed++) {
      const value = crc32(randomBytes(17, seed));
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThan(2 ** 32);
    }
  });

  it('rejects a range outside the buffer', () => {
    expect(() => crc32(new Uint8Array(4), 2, 5)).toThrow(RangeError);
    expect(() => crc32(new Uint8Array(4), 3, 2)).toThrow(RangeError);
  });
});
