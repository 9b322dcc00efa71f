// The order-2 (coupled) delta against docs/CODEC.md section 4.3 transcribed literally: features
// scattered edge by edge over the 2n edges, then the correction, then the frame. The codec's own
// pass gathers each spin's features in one sweep; on random history, random coefficients and
// random residuals (not only what an encoder would send) it must decode to what the definition
// gives, on every lattice shape the definition singles out (W or H of 1 or 2) and others.
import { deflateSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { CODING, FRAME_DELTA, FRAME_KEY, FrameDecoder, FrameEncoder } from './frame-codec';
import { COUPLING_COS, COUPLING_SIN, FIT_SAMPLE_SPINS, order1ToPlanes } from './predict';

/** A small seeded generator (mulberry32): core tests import nothing outside core. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (t ^ (t >>> 14)) >>> 0;
  };
}

const wrap16 = (v: number): number => ((((v + 32768) % 65536) + 65536) % 65536) - 32768;

/** docs/CODEC.md 4.3, step by step. */
function referenceCoupled(
  width: number,
  height: number,
  p1: Uint16Array,
  p2: Uint16Array,
  a: number,
  b: number,
  residual: Int32Array,
): Uint16Array {
  const n = width * height;
  const m = Array.from({ length: n }, (_v, i) => wrap16(p1[i]! - p2[i]!));
  const f1 = new Array<number>(n).fill(0);
  const f2 = new Array<number>(n).fill(0);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      for (const j of [y * width + ((x + 1) % width), ((y + 1) % height) * width + x]) {
        const k = ((((p1[j]! - p1[i]! + 128) % 65536) + 65536) % 65536) >> 8;
        const d = wrap16(m[j]! - m[i]!);
        f1[i]! += COUPLING_COS[k]! * d;
        f2[i]! += COUPLING_SIN[k]! * d;
        f1[j]! -= COUPLING_COS[k]! * d;
        f2[j]! += COUPLING_SIN[k]! * d;
      }
    }
  }
  return Uint16Array.from({ length: n }, (_v, i) => {
    const c = Math.floor((a * f1[i]! + b * f2[i]! + 2 ** 31) / 2 ** 32);
    return (((2 * p1[i]! - p2[i]! + c + residual[i]!) % 65536) + 65536) % 65536;
  });
}

function storedKey(frame: Uint16Array): Uint8Array {
  const payload = new Uint8Array(1 + 2 * frame.length);
  payload[0] = CODING.storedKey;
  frame.forEach((q, i) => {
    payload[1 + 2 * i] = q & 0xff;
    payload[2 + 2 * i] = q >>> 8;
  });
  return payload;
}

function withDeflatedPlanes(coding: number, planes: Uint8Array): Uint8Array {
  const body = deflateSync(planes);
  const payload = new Uint8Array(1 + body.length);
  payload[0] = coding;
  payload.set(body, 1);
  return payload;
}

function coupledPayload(a: number, b: number, residual: Int32Array): Uint8Array {
  const n = residual.length;
  const planes = new Uint8Array(2 * n);
  residual.forEach((e, i) => {
    const z = e >= 0 ? 2 * e : -2 * e - 1;
    planes[i] = z & 0xff;
    planes[n + i] = z >>> 8;
  });
  const body = deflateSync(planes);
  const payload = new Uint8Array(9 + body.length);
  const header = new DataView(payload.buffer);
  header.setUint8(0, CODING.coupledDelta);
  header.setInt32(1, a, true);
  header.setInt32(5, b, true);
  payload.set(body, 9);
  return payload;
}

describe('the coupled delta (order 2)', () => {
  const shapes: [number, number][] = [
    [1, 1],
    [1, 6],
    [6, 1],
    [2, 2],
    [2, 5],
    [5, 2],
    [3, 3],
    [17, 11],
    [64, 48],
  ];
  for (const [width, height] of shapes) {
    it(`decodes ${width}x${height} as docs/CODEC.md 4.3 defines it`, () => {
      const next = seeded(width * 1000 + height);
      const n = width * height;
      for (let trial = 0; trial < 4; trial++) {
        // Trial 0: smooth fields with small motion, as a lattice sends; the rest anything at all.
        const smooth = trial === 0;
        const p2 = Uint16Array.from({ length: n }, (_v, i) =>
          smooth ? (i * 700) & 0xffff : next() & 0xffff,
        );
        const p1 = Uint16Array.from({ length: n }, (_v, i) =>
          smooth ? (p2[i]! + 300 + (i % 7) * 40) & 0xffff : next() & 0xffff,
        );
        const coefficient = () => (next() % (2 ** 21 + 1)) - 2 ** 20;
        const a = trial === 3 ? 2 ** 20 : coefficient();
        const b = trial === 3 ? -(2 ** 20) : coefficient();
        const residual = Int32Array.from({ length: n }, () => (next() % 65536) - 32768);
        // The history: p2 as a keyframe, then p1 as an order-1 delta, however poorly it packs.
        const decoder = new FrameDecoder(width, height);
        decoder.decode(FRAME_KEY, 0, storedKey(p2));
        const planes = new Uint8Array(2 * n);
        order1ToPlanes(p1, p2, width, height, new Int32Array(n), planes);
        decoder.decode(FRAME_DELTA, 1, withDeflatedPlanes(CODING.motionDelta, planes));
        expect(decoder.framesHeld).toBe(2);
        const got = decoder.decode(FRAME_DELTA, 2, coupledPayload(a, b, residual));
        expect(got).toEqual(referenceCoupled(width, height, p1, p2, a, b, residual));
      }
    });
  }

  it('fits the coupling on a sample of rows above FIT_SAMPLE_SPINS, and decodes exactly', () => {
    // 512 x 256 spins: the fit samples every other row. Spirals whose arms turn faster near their
    // cores, so neighbours' motion differs and the coupling features are not degenerate.
    const width = 512;
    const height = 256;
    expect(width * height).toBeGreaterThan(FIT_SAMPLE_SPINS);
    const frameAt = (k: number) =>
      Uint16Array.from({ length: width * height }, (_v, i) => {
        const dx = (i % width) - 200.5;
        const dy = Math.floor(i / width) - 100.5;
        const r = Math.hypot(dx, dy);
        const angle = Math.atan2(dy, dx) + 0.3 * r + (0.2 + 2 / (1 + 0.05 * r)) * k * 0.1;
        return Math.round((angle / (2 * Math.PI)) * 65536) & 0xffff;
      });
    const encoder = new FrameEncoder(width, height);
    const decoder = new FrameDecoder(width, height);
    const codings: number[] = [];
    for (let k = 0; k < 4; k++) {
      const frame = frameAt(k);
      const encoding = encoder.encode(frame);
      const sent = encoding.delta ?? encoding.key;
      codings.push(sent.payload[0]!);
      const got = decoder.decode(sent.kind, sent.order, sent.payload);
      expect(got.every((q, i) => q === frame[i])).toBe(true);
      if (sent.order === 2) {
        // A coupling was fitted: the coefficients are not the degenerate 0, 0.
        const header = new DataView(sent.payload.buffer, sent.payload.byteOffset, 9);
        expect(header.getInt32(1, true)).not.toBe(0);
      }
    }
    expect(codings).toEqual([
      CODING.planarKey,
      CODING.motionDelta,
      CODING.coupledDelta,
      CODING.coupledDelta,
    ]);
  });
});
