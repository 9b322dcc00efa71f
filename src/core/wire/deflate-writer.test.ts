import { inflateSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { DeflateWriter, huffmanLengths } from './deflate-writer';

function seededBytes(length: number, seed: number, byte: (r: number) => number): Uint8Array {
  let state = seed >>> 0;
  return Uint8Array.from({ length }, () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return byte(state / 4294967296);
  });
}

/** Bytes drawn from a two-sided geometric distribution, zigzagged: what residual planes hold. */
const residualLike = (length: number, seed: number) =>
  seededBytes(length, seed, (r) => {
    const magnitude = Math.floor(-Math.log(1 - r) * 1.5);
    return magnitude * 2 - (magnitude > 0 && (r * 1000) % 2 < 1 ? 1 : 0);
  });

const CASES: { name: string; input: Uint8Array; blockBytes?: number }[] = [
  { name: 'one byte', input: Uint8Array.of(42) },
  { name: 'two different bytes', input: Uint8Array.of(0, 255) },
  { name: 'all zeros', input: new Uint8Array(100_000) },
  { name: 'one value repeated', input: new Uint8Array(1000).fill(7) },
  { name: 'every byte value', input: Uint8Array.from({ length: 256 }, (_v, i) => i) },
  { name: 'uniform random bytes', input: seededBytes(50_000, 1, (r) => Math.floor(r * 256)) },
  { name: 'residual-like bytes', input: residualLike(24_000, 2) },
  {
    name: 'runs of every length from 1 to 600',
    input: Uint8Array.from(
      Array.from({ length: 600 }, (_v, k) => new Array<number>(k + 1).fill(k & 255)).flat(),
    ),
  },
  {
    name: 'residual-like bytes in several blocks',
    input: residualLike(10_000, 3),
    blockBytes: 3000,
  },
  {
    name: 'a low plane then an almost empty high plane',
    input: Uint8Array.from([...residualLike(5000, 4), ...new Uint8Array(5000).fill(0), 1]),
    blockBytes: 5000,
  },
];

describe('DeflateWriter', () => {
  for (const c of CASES) {
    it(`writes DEFLATE that inflates back to ${c.name}`, () => {
      const writer = new DeflateWriter(c.input.length);
      const payload = writer.deflate(c.input, c.blockBytes ?? c.input.length, 3);
      expect([...payload.subarray(0, 3)]).toEqual([0, 0, 0]);
      expect(inflateSync(payload.subarray(3))).toEqual(c.input);
    });
  }

  it('reuses its scratch across calls without mixing outputs', () => {
    const writer = new DeflateWriter(30_000);
    const first = residualLike(30_000, 5);
    const second = new Uint8Array(20).fill(9);
    const a = writer.deflate(first, first.length, 0);
    const b = writer.deflate(second, second.length, 0);
    expect(inflateSync(a)).toEqual(first);
    expect(inflateSync(b)).toEqual(second);
  });

  it('compresses long runs to almost nothing', () => {
    const writer = new DeflateWriter(100_000);
    expect(writer.deflate(new Uint8Array(100_000), 100_000, 0).length).toBeLessThan(450);
  });

  it('stays within 5 % of the order-0 entropy on residual-like bytes', () => {
    const input = residualLike(24_000, 6);
    const counts = new Map<number, number>();
    for (const b of input) counts.set(b, (counts.get(b) ?? 0) + 1);
    let entropyBits = 0;
    for (const c of counts.values()) entropyBits -= c * Math.log2(c / input.length);
    const writer = new DeflateWriter(input.length);
    expect(writer.deflate(input, input.length, 0).length * 8).toBeLessThan(entropyBits * 1.05);
  });

  it('rejects input larger than its scratch', () => {
    expect(() => new DeflateWriter(4).deflate(new Uint8Array(5), 5, 0)).toThrow('[wire]');
  });
});

describe('huffmanLengths', () => {
  it('limits code lengths when the optimal code would be deeper', () => {
    // Fibonacci frequencies make the optimal Huffman tree as deep as there are symbols.
    const freqs = new Uint32Array(30);
    let [a, b] = [1, 1];
    for (let s = 0; s < 30; s++) {
      freqs[s] = a;
      [a, b] = [b, a + b];
    }
    const lengths = new Uint8Array(30);
    huffmanLengths(freqs, 15, lengths);
    // Unlimited, the deepest code would be 29 bits.
    expect(Math.max(...lengths)).toBeLessThanOrEqual(15);
    const kraft = lengths.reduce((sum, l) => sum + 2 ** -l, 0);
    expect(kraft).toBeLessThanOrEqual(1);
  });

  it('gives a lone symbol a partner so the code is complete', () => {
    const lengths = new Uint8Array(19);
    huffmanLengths(
      Uint32Array.from({ length: 19 }, (_v, s) => (s === 5 ? 10 : 0)),
      7,
      lengths,
    );
    expect([...lengths].filter((l) => l > 0)).toEqual([1, 1]);
    expect(lengths[5]).toBe(1);
  });
});
