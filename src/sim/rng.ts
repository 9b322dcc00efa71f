// Seeded pseudo-random numbers, the same sequence on every run and machine: xoshiro128** in
// 32-bit integer arithmetic (Math.imul, >>> 0), seeded by splitmix64 on BigInt. nextU32 and
// nextFloat are exact in any engine; nextGaussian goes through Math.log, sin and cos, which V8
// computes identically everywhere (fdlibm ports) but other engines may round differently.

export interface Rng {
  /** Uniform integer in [0, 2^32). */
  nextU32(): number;
  /** Uniform float in [0, 1) with 53 random bits. */
  nextFloat(): number;
  /** Standard normal deviate (mean 0, standard deviation 1). */
  nextGaussian(): number;
}

const MASK64 = (1n << 64n) - 1n;

function splitmix64(state: bigint): { state: bigint; value: bigint } {
  const next = (state + 0x9e3779b97f4a7c15n) & MASK64;
  let z = next;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
  return { state: next, value: z ^ (z >> 31n) };
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

const TWO_POW_MINUS_53 = 2 ** -53;

export function createRng(seed: bigint): Rng {
  // Two splitmix64 outputs give the 128 bits of xoshiro state. The all-zero state is a fixed
  // point of xoshiro, so it is nudged away from in the (practically impossible) case it occurs.
  let sm = seed & MASK64;
  const words: number[] = [];
  for (let i = 0; i < 2; i++) {
    const r = splitmix64(sm);
    sm = r.state;
    words.push(Number(r.value & 0xffffffffn), Number(r.value >> 32n));
  }
  let s0 = words[0]! | 0;
  let s1 = words[1]! | 0;
  let s2 = words[2]! | 0;
  let s3 = words[3]! | 0;
  if ((s0 | s1 | s2 | s3) === 0) s0 = 1;

  // Box-Muller yields deviates in pairs; keeping the second one halves the trig and log calls.
  let spareGaussian = 0;
  let hasSpare = false;

  const nextU32 = (): number => {
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9);
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl(s3, 11);
    return result >>> 0;
  };

  const nextFloat = (): number => {
    const hi = nextU32() >>> 6; // 26 bits
    const lo = nextU32() >>> 5; // 27 bits
    return (hi * 2 ** 27 + lo) * TWO_POW_MINUS_53;
  };

  const nextGaussian = (): number => {
    if (hasSpare) {
      hasSpare = false;
      return spareGaussian;
    }
    // 1 - u lies in (0, 1], so the logarithm is finite.
    const u = 1 - nextFloat();
    const v = nextFloat();
    const radius = Math.sqrt(-2 * Math.log(u));
    const angle = 2 * Math.PI * v;
    spareGaussian = radius * Math.sin(angle);
    hasSpare = true;
    return radius * Math.cos(angle);
  };

  return { nextU32, nextFloat, nextGaussian };
}
