// The input kit of the fuzzers: random values, strings and bytes with the edge cases that break
// parsers, mutations of valid inputs, and short descriptions of an input for a failure report.
import type { Rng } from '../../src/sim/rng';

export const int = (rng: Rng, lo: number, hi: number): number =>
  lo + Math.floor(rng.nextFloat() * (hi - lo + 1));
export const chance = (rng: Rng, p: number): boolean => rng.nextFloat() < p;
export const pick = <T>(rng: Rng, items: readonly T[]): T => items[int(rng, 0, items.length - 1)]!;

export function randomBytes(rng: Rng, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = rng.nextU32() & 0xff;
  return out;
}

export const EDGE_NUMBERS = [
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
export const EDGE_STRINGS = [
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

export function randomString(rng: Rng, maxLength: number): string {
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
export function randomValue(rng: Rng, depth = 0): unknown {
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
export function mutateBytes(rng: Rng, bytes: Uint8Array): Uint8Array {
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

export function describeBytes(bytes: Uint8Array): string {
  const hex = Buffer.from(bytes.subarray(0, 48)).toString('hex');
  return `${bytes.length} bytes: ${hex}${bytes.length > 48 ? '...' : ''}`;
}

export function describeValue(value: unknown): string {
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

/** A copy of `value` with a few fields replaced, removed or added, at any depth. */
export function mutateJson(rng: Rng, value: unknown, depth = 0): unknown {
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
