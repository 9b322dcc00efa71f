import { deflateSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import {
  CODING,
  FRAME_DELTA,
  FRAME_KEY,
  FrameDecoder,
  FrameEncoder,
  framesHeldAfter,
  type EncodedFrame,
} from './frame-codec';
import { COUPLING_COS, COUPLING_SIN } from './predict';

type FrameSource = (frameIndex: number, width: number, height: number) => Uint16Array;

function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function fromAngles(
  width: number,
  height: number,
  angleRad: (x: number, y: number) => number,
): Uint16Array {
  const frame = new Uint16Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      frame[y * width + x] = Math.round((angleRad(x, y) / (2 * Math.PI)) * 65536) & 0xffff;
    }
  }
  return frame;
}

const randomFrames = (seed: number): FrameSource => {
  const next = seededRandom(seed);
  return (_k, w, h) => Uint16Array.from({ length: w * h }, () => Math.floor(next() * 65536));
};

const SOURCES: { name: string; frame: FrameSource }[] = [
  {
    name: 'rotating plane wave',
    frame: (k, w, h) => fromAngles(w, h, (x, y) => 0.4 * x + 0.25 * y - 0.1 * k),
  },
  {
    name: 'spiral with a nonzero mean rotation',
    frame: (k, w, h) =>
      fromAngles(w, h, (x, y) => {
        const dx = x - w / 2 + 0.5;
        const dy = y - h / 2 + 0.5;
        return Math.atan2(dy, dx) + 0.7 * Math.hypot(dx, dy) + 0.08 * k + 0.0005 * k * k;
      }),
  },
  { name: 'random phases', frame: randomFrames(7) },
  { name: 'constant lattice', frame: (_k, w, h) => new Uint16Array(w * h).fill(12345) },
  {
    name: 'values wrapping around 0 and 65535',
    frame: (k, w, h) =>
      Uint16Array.from({ length: w * h }, (_v, i) => (65536 + ((i * 7 + k * 3) % 9) - 4) & 0xffff),
  },
  {
    name: 'extremes 0 and 65535 alternating',
    frame: (k, w, h) => Uint16Array.from({ length: w * h }, (_v, i) => ((i + k) & 1 ? 65535 : 0)),
  },
];

const SIZES: [number, number][] = [
  [1, 1],
  [1, 9],
  [9, 1],
  [2, 2],
  [7, 5],
  [33, 17],
];

/** Encodes `frames` as a stream and decodes it as a client that follows from the start. */
function followStream(width: number, height: number, frames: Uint16Array[]): Uint16Array[] {
  const encoder = new FrameEncoder(width, height);
  const decoder = new FrameDecoder(width, height);
  return frames.map((phases) => {
    const { delta, key } = encoder.encode(phases);
    const sent = delta ?? key;
    return decoder.decode(sent.kind, sent.order, sent.payload);
  });
}

function makeFrames(source: FrameSource, width: number, height: number, count: number) {
  return Array.from({ length: count }, (_v, k) => source(k, width, height));
}

describe('FrameEncoder and FrameDecoder', () => {
  for (const source of SOURCES) {
    for (const [width, height] of SIZES) {
      it(`round-trips a ${source.name} at ${width}x${height} bit for bit`, () => {
        const frames = makeFrames(source.frame, width, height, 6);
        const decoded = followStream(width, height, frames);
        decoded.forEach((frame, k) => expect(frame).toEqual(frames[k]));
      });
    }
  }

  it('round-trips a client that joins mid-stream and catches up through orders 0, 1 and 2', () => {
    const [width, height] = [40, 30];
    const frames = makeFrames(SOURCES[1]!.frame, width, height, 8);
    const encoder = new FrameEncoder(width, height);
    const decoder = new FrameDecoder(width, height);
    let held = 0;
    const sentOrders: number[] = [];
    frames.forEach((phases, k) => {
      const encoding = encoder.encode(phases);
      if (k < 4) return;
      const sent = encoding.frameFor(held);
      sentOrders.push(sent.order);
      expect(decoder.decode(sent.kind, sent.order, sent.payload)).toEqual(phases);
      held = framesHeldAfter(sent, held);
      expect(decoder.framesHeld).toBe(held);
    });
    expect(sentOrders).toEqual([0, 1, 2, 2]);
  });

  it('shrinks a smoothly rotating lattice by over 80 % after the first frame', () => {
    const [width, height] = [64, 48];
    const encoder = new FrameEncoder(width, height);
    const frames = makeFrames(SOURCES[1]!.frame, width, height, 10);
    const sizes = frames.map((phases) => {
      const { delta, key } = encoder.encode(phases);
      return (delta ?? key).payload.length;
    });
    for (const bytes of sizes.slice(2)) expect(bytes).toBeLessThan(0.2 * 2 * width * height);
  });

  it('sends keyframes of at most raw + 2 % when the input is random', () => {
    const [width, height] = [120, 100];
    const rawBytes = 2 * width * height;
    const encoder = new FrameEncoder(width, height);
    const next = randomFrames(99);
    for (let k = 0; k < 5; k++) {
      const encoding = encoder.encode(next(k, width, height));
      expect(encoding.delta).toBeNull();
      expect(encoding.key.payload[0]).toBe(CODING.storedKey);
      expect(encoding.key.payload.length).toBeLessThanOrEqual(rawBytes * 1.02);
      expect(encoding.deltaOfOrder(1)).toBeNull();
    }
  });

  it('uses an order-1 delta after a keyframe, then order 2', () => {
    const encoder = new FrameEncoder(8, 8);
    const frames = makeFrames(SOURCES[0]!.frame, 8, 8, 4);
    const kinds = frames.map((phases) => {
      const { delta } = encoder.encode(phases);
      return delta ? `delta${delta.order}` : 'key';
    });
    expect(kinds).toEqual(['key', 'delta1', 'delta2', 'delta2']);
  });

  it('offers no delta whose order exceeds the frames the stream has', () => {
    const frames = makeFrames(SOURCES[0]!.frame, 16, 16, 2);
    const encoder = new FrameEncoder(16, 16);
    const first = encoder.encode(frames[0]!);
    expect(first.deltaOfOrder(1)).toBeNull();
    const second = encoder.encode(frames[1]!);
    expect(second.deltaOfOrder(1)?.order).toBe(1);
    expect(second.deltaOfOrder(2)).toBeNull();
    expect(second.frameFor(2).order).toBe(1);
    expect(second.frameFor(0).kind).toBe(FRAME_KEY);
  });

  it('starts over with a keyframe after reset', () => {
    const encoder = new FrameEncoder(4, 4);
    encoder.encode(new Uint16Array(16));
    encoder.encode(new Uint16Array(16));
    encoder.reset();
    const encoding = encoder.encode(new Uint16Array(16));
    expect(encoding.delta).toBeNull();
    expect(encoding.deltaOfOrder(1)).toBeNull();
  });

  it('encodes the keyframe and other deltas of a frame only when asked, once', () => {
    const frames = makeFrames(SOURCES[1]!.frame, 20, 10, 3);
    const encoder = new FrameEncoder(20, 10);
    encoder.encode(frames[0]!);
    encoder.encode(frames[1]!);
    const encoding = encoder.encode(frames[2]!);
    expect(encoding.deltaOfOrder(2)).toBe(encoding.delta);
    expect(encoding.key).toBe(encoding.key);
    expect(encoding.deltaOfOrder(1)).toBe(encoding.deltaOfOrder(1));
    expect(encoding.frameFor(1)).toBe(encoding.deltaOfOrder(1));
  });

  it('still encodes a frame after the encoder has moved on to later frames', () => {
    const [width, height] = [20, 10];
    const frames = makeFrames(SOURCES[1]!.frame, width, height, 6);
    const encoder = new FrameEncoder(width, height);
    const encodings = frames.map((phases) => encoder.encode(phases));
    // A client that joins at frame 3 after frame 5 was encoded: key, order 1, order 2.
    const decoder = new FrameDecoder(width, height);
    for (const [k, held] of [
      [3, 0],
      [4, 1],
      [5, 2],
    ] as const) {
      const sent = encodings[k]!.frameFor(held);
      expect(sent.order).toBe(held);
      expect(decoder.decode(sent.kind, sent.order, sent.payload)).toEqual(frames[k]);
    }
  });

  it('rejects frames of the wrong size and lattices out of range', () => {
    const encoder = new FrameEncoder(4, 4);
    expect(() => encoder.encode(new Uint16Array(15))).toThrow('expected a Uint16Array of 16');
    expect(() => new FrameEncoder(0, 4)).toThrow('[wire] FrameEncoder: lattice 0x4 out of range');
    expect(() => new FrameDecoder(5000, 5000)).toThrow('[wire] FrameDecoder: lattice 5000x5000');
  });

  it('copies the input, so the caller may reuse its array', () => {
    const [width, height] = [6, 5];
    const frames = makeFrames(SOURCES[0]!.frame, width, height, 4);
    const encoder = new FrameEncoder(width, height);
    const decoder = new FrameDecoder(width, height);
    const reused = new Uint16Array(width * height);
    for (const phases of frames) {
      reused.set(phases);
      const { delta, key } = encoder.encode(reused);
      reused.fill(0);
      const sent = delta ?? key;
      expect(decoder.decode(sent.kind, sent.order, sent.payload)).toEqual(phases);
    }
  });

  it('returns a new array every time and keeps decoding after the caller transfers one', () => {
    const [width, height] = [10, 10];
    const frames = makeFrames(SOURCES[0]!.frame, width, height, 5);
    const encoder = new FrameEncoder(width, height);
    const decoder = new FrameDecoder(width, height);
    const returned: Uint16Array[] = [];
    for (const phases of frames) {
      const { delta, key } = encoder.encode(phases);
      const sent = delta ?? key;
      const frame = decoder.decode(sent.kind, sent.order, sent.payload);
      const kept = frame.slice();
      returned.push(kept);
      for (const earlier of returned.slice(0, -1)) expect(earlier.buffer).not.toBe(frame.buffer);
      // Transferring detaches the buffer, as postMessage to another thread does.
      structuredClone(frame, { transfer: [frame.buffer] });
      expect(frame.length).toBe(0);
    }
    returned.forEach((frame, k) => expect(frame).toEqual(frames[k]));
  });
});

describe('FrameDecoder order rules', () => {
  const [width, height] = [8, 6];
  const frames = makeFrames(SOURCES[0]!.frame, width, height, 3);

  function encodedStream(): EncodedFrame[] {
    const encoder = new FrameEncoder(width, height);
    return frames.map((phases) => {
      const { delta, key } = encoder.encode(phases);
      return delta ?? key;
    });
  }

  it('holds 1 frame after a keyframe, 2 after a delta, 0 after reset', () => {
    const [key, delta1, delta2] = encodedStream() as [EncodedFrame, EncodedFrame, EncodedFrame];
    const decoder = new FrameDecoder(width, height);
    expect(decoder.framesHeld).toBe(0);
    decoder.decode(key.kind, key.order, key.payload);
    expect(decoder.framesHeld).toBe(1);
    decoder.decode(delta1.kind, delta1.order, delta1.payload);
    expect(decoder.framesHeld).toBe(2);
    decoder.decode(delta2.kind, delta2.order, delta2.payload);
    expect(decoder.framesHeld).toBe(2);
    decoder.reset();
    expect(decoder.framesHeld).toBe(0);
  });

  it('a keyframe drops the older history', () => {
    const [key, delta1, delta2] = encodedStream() as [EncodedFrame, EncodedFrame, EncodedFrame];
    const decoder = new FrameDecoder(width, height);
    decoder.decode(key.kind, key.order, key.payload);
    decoder.decode(delta1.kind, delta1.order, delta1.payload);
    decoder.decode(key.kind, key.order, key.payload);
    expect(() => decoder.decode(delta2.kind, delta2.order, delta2.payload)).toThrow(
      '[wire] delta of order 2 needs 2 previous frames, decoder holds 1',
    );
  });

  const orderCases: { name: string; kind: number; order: number; held: number; error: string }[] = [
    {
      name: 'a delta of order 1 with nothing held',
      kind: FRAME_DELTA,
      order: 1,
      held: 0,
      error: '[wire] delta of order 1 needs 1 previous frames, decoder holds 0',
    },
    {
      name: 'a delta of order 2 with one frame held',
      kind: FRAME_DELTA,
      order: 2,
      held: 1,
      error: '[wire] delta of order 2 needs 2 previous frames, decoder holds 1',
    },
    {
      name: 'a keyframe of order 1',
      kind: FRAME_KEY,
      order: 1,
      held: 0,
      error: '[wire] order 1 is invalid: a keyframe has order 0',
    },
    {
      name: 'a delta of order 3',
      kind: FRAME_DELTA,
      order: 3,
      held: 2,
      error: '[wire] order 3 is invalid: a delta has order 1 or 2',
    },
    {
      name: 'a delta of order 0',
      kind: FRAME_DELTA,
      order: 0,
      held: 2,
      error: '[wire] order 0 is invalid',
    },
    { name: 'an unknown kind', kind: 2, order: 0, held: 0, error: '[wire] unknown frame kind 2' },
  ];
  for (const c of orderCases) {
    it(`rejects ${c.name}`, () => {
      const stream = encodedStream();
      const decoder = new FrameDecoder(width, height);
      for (const sent of stream.slice(0, c.held))
        decoder.decode(sent.kind, sent.order, sent.payload);
      const payload = stream[Math.min(c.held, 2)]!.payload;
      expect(() => decoder.decode(c.kind as 0 | 1, c.order, payload)).toThrow(c.error);
      expect(decoder.framesHeld).toBe(c.held);
    });
  }
});

describe('FrameDecoder on malformed payloads', () => {
  const [width, height] = [12, 10];
  const n = width * height;
  const frames = makeFrames(SOURCES[0]!.frame, width, height, 3);
  const encoder = new FrameEncoder(width, height);
  const [key, delta1, delta2] = frames.map((phases) => {
    const { delta, key } = encoder.encode(phases);
    return delta ?? key;
  }) as [EncodedFrame, EncodedFrame, EncodedFrame];
  it('starts from a compressed keyframe and deltas of order 1 and 2', () => {
    expect([key.payload[0], delta1.payload[0], delta2.payload[0]]).toEqual([
      CODING.planarKey,
      CODING.motionDelta,
      CODING.coupledDelta,
    ]);
  });
  const withCoding = (coding: number, body: Uint8Array, header: number[] = []) =>
    Uint8Array.from([coding, ...header, ...body]);
  const coefficients = (a: number, b: number): number[] => {
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setInt32(0, a, true);
    new DataView(bytes.buffer).setInt32(4, b, true);
    return [...bytes];
  };
  const garbage = Uint8Array.from({ length: 200 }, (_v, i) => (i * 151 + 7) & 255);

  const cases: { name: string; held: number; frame: EncodedFrame; error: string }[] = [
    {
      name: 'an empty payload',
      held: 0,
      frame: { kind: FRAME_KEY, order: 0, payload: new Uint8Array(0) },
      error: '[wire] empty or non-binary payload',
    },
    {
      name: 'an unknown keyframe coding',
      held: 0,
      frame: { kind: FRAME_KEY, order: 0, payload: withCoding(9, key.payload.subarray(1)) },
      error: '[wire] keyframe has coding 9, expected 0 (stored) or 1 (planar)',
    },
    {
      name: 'a delta coded as a keyframe',
      held: 1,
      frame: {
        kind: FRAME_DELTA,
        order: 1,
        payload: withCoding(CODING.planarKey, new Uint8Array(4)),
      },
      error: '[wire] delta of order 1 has coding 1, expected 2',
    },
    {
      name: 'an order-2 delta with the order-1 coding',
      held: 2,
      frame: { kind: FRAME_DELTA, order: 2, payload: delta1.payload },
      error: '[wire] delta of order 2 has coding 2, expected 3',
    },
    {
      name: 'a stored keyframe one byte short',
      held: 0,
      frame: {
        kind: FRAME_KEY,
        order: 0,
        payload: withCoding(CODING.storedKey, new Uint8Array(2 * n - 1)),
      },
      error: `[wire] stored keyframe of ${2 * n} bytes, expected ${2 * n + 1} for 12x10`,
    },
    {
      name: 'a stored keyframe one byte long: stored bytes have no end marker to stop at',
      held: 0,
      frame: {
        kind: FRAME_KEY,
        order: 0,
        payload: withCoding(CODING.storedKey, new Uint8Array(2 * n + 1)),
      },
      error: `[wire] stored keyframe of ${2 * n + 2} bytes, expected ${2 * n + 1} for 12x10`,
    },
    {
      name: 'a truncated keyframe',
      held: 0,
      frame: {
        kind: FRAME_KEY,
        order: 0,
        payload: key.payload.subarray(0, key.payload.length >> 1),
      },
      error: '[wire] keyframe: corrupt DEFLATE stream (unexpected EOF)',
    },
    {
      name: 'a keyframe with no DEFLATE stream',
      held: 0,
      frame: { kind: FRAME_KEY, order: 0, payload: Uint8Array.of(CODING.planarKey) },
      error: '[wire] keyframe: empty DEFLATE stream',
    },
    {
      name: 'a truncated order-1 delta',
      held: 1,
      frame: { kind: FRAME_DELTA, order: 1, payload: delta1.payload.subarray(0, 5) },
      error: '[wire] delta of order 1: corrupt DEFLATE stream',
    },
    {
      name: 'an order-2 delta cut inside its header',
      held: 2,
      frame: { kind: FRAME_DELTA, order: 2, payload: delta2.payload.subarray(0, 6) },
      error: '[wire] delta of order 2 truncated to 6 bytes',
    },
    {
      name: 'an order-2 delta with coefficients out of range',
      held: 2,
      frame: {
        kind: FRAME_DELTA,
        order: 2,
        payload: withCoding(
          CODING.coupledDelta,
          delta2.payload.subarray(9),
          coefficients(2 ** 20 + 1, 0),
        ),
      },
      error: '[wire] delta of order 2: coupling coefficients 1048577, 0 outside +-1048576',
    },
    {
      name: 'garbage after the coding byte',
      held: 1,
      frame: { kind: FRAME_DELTA, order: 1, payload: withCoding(CODING.motionDelta, garbage) },
      error: '[wire] delta of order 1: corrupt DEFLATE stream',
    },
    {
      name: 'a stream that inflates to one byte less than a frame',
      held: 0,
      frame: {
        kind: FRAME_KEY,
        order: 0,
        payload: withCoding(CODING.planarKey, deflateSync(new Uint8Array(2 * n - 1))),
      },
      error: `[wire] keyframe: inflates to ${2 * n - 1} bytes, a frame needs ${2 * n}`,
    },
    {
      name: 'a stream that inflates to one byte more than a frame',
      held: 0,
      frame: {
        kind: FRAME_KEY,
        order: 0,
        payload: withCoding(CODING.planarKey, deflateSync(new Uint8Array(2 * n + 1))),
      },
      error: `[wire] keyframe: inflates to more than the ${2 * n} bytes of a frame`,
    },
    {
      name: 'a zip bomb of 8 MiB of zeros',
      held: 0,
      frame: {
        kind: FRAME_KEY,
        order: 0,
        payload: withCoding(CODING.planarKey, deflateSync(new Uint8Array(8 << 20))),
      },
      error: `[wire] payload of`,
    },
    {
      name: 'a stored block longer than a frame',
      held: 0,
      frame: {
        kind: FRAME_KEY,
        order: 0,
        payload: withCoding(
          CODING.planarKey,
          deflateSync(
            new Uint8Array(2 * n + 20).map((_v, i) => i * 89),
            { level: 0 },
          ),
        ),
      },
      error: `[wire] keyframe: inflates to more than the ${2 * n} bytes of a frame`,
    },
    {
      name: 'a payload longer than a stored frame plus slack',
      held: 0,
      frame: {
        kind: FRAME_KEY,
        order: 0,
        payload: withCoding(CODING.storedKey, new Uint8Array(2 * n + 64)),
      },
      error: `[wire] payload of ${2 * n + 65} bytes exceeds the ${2 * n + 64} allowed for a 12x10 frame`,
    },
  ];

  for (const c of cases) {
    it(`rejects ${c.name} and keeps its frames`, () => {
      const decoder = new FrameDecoder(width, height);
      for (const sent of [key, delta1].slice(0, c.held))
        decoder.decode(sent.kind, sent.order, sent.payload);
      expect(() => decoder.decode(c.frame.kind, c.frame.order, c.frame.payload)).toThrow(c.error);
      expect(decoder.framesHeld).toBe(c.held);
      if (c.held === 2)
        expect(decoder.decode(delta2.kind, delta2.order, delta2.payload)).toEqual(frames[2]);
    });
  }

  // The rule: bytes after the final DEFLATE block are not part of the frame, and every decoder
  // ignores them (within the payload limit), so all decoders accept the same payloads.
  const TRAILING = [
    { name: 'one zero byte', bytes: [0] },
    { name: '64 bytes of 0xff', bytes: new Array<number>(64).fill(0xff) },
    { name: 'a second DEFLATE stream', bytes: [...deflateSync(new Uint8Array(2 * n).fill(7))] },
  ];
  it.each(TRAILING)('ignores $name after the final DEFLATE block, in each coding', ({ bytes }) => {
    const decoder = new FrameDecoder(width, height);
    [key, delta1, delta2].forEach((sent, k) => {
      const payload = Uint8Array.from([...sent.payload, ...bytes]);
      expect(decoder.decode(sent.kind, sent.order, payload)).toEqual(frames[k]);
    });
  });

  it('rejects a small stream that would inflate without bound', () => {
    const bomb = deflateSync(new Uint8Array(128 << 10));
    expect(bomb.length).toBeLessThan(2 * n + 64);
    const decoder = new FrameDecoder(width, height);
    expect(() => decoder.decode(FRAME_KEY, 0, withCoding(CODING.planarKey, bomb))).toThrow(
      `[wire] keyframe: inflates to more than the ${2 * n} bytes of a frame`,
    );
  });
});

describe('coupling tables', () => {
  // The quarter wave docs/CODEC.md lists: COS[k] for k = 0..64.
  const QUARTER = [
    16384, 16379, 16364, 16340, 16305, 16261, 16207, 16143, 16069, 15986, 15893, 15791, 15679,
    15557, 15426, 15286, 15137, 14978, 14811, 14635, 14449, 14256, 14053, 13842, 13623, 13395,
    13160, 12916, 12665, 12406, 12140, 11866, 11585, 11297, 11003, 10702, 10394, 10080, 9760, 9434,
    9102, 8765, 8423, 8076, 7723, 7366, 7005, 6639, 6270, 5897, 5520, 5139, 4756, 4370, 3981, 3590,
    3196, 2801, 2404, 2006, 1606, 1205, 804, 402, 0,
  ];

  it('match the quarter wave of the spec through its symmetries', () => {
    const cosOf = (k: number): number => {
      const m = k & 255;
      if (m <= 64) return QUARTER[m]!;
      if (m <= 128) return -QUARTER[128 - m]!;
      if (m <= 192) return -QUARTER[m - 128]!;
      return QUARTER[256 - m]!;
    };
    for (let k = 0; k < 256; k++) {
      expect(COUPLING_COS[k] === cosOf(k)).toBe(true);
      expect(COUPLING_SIN[k] === cosOf(k - 64)).toBe(true);
    }
  });

  it('hold integers every engine rounds alike: each value is far from a rounding boundary', () => {
    for (let k = 0; k < 256; k++) {
      for (const [table, fn] of [
        [COUPLING_COS, Math.cos],
        [COUPLING_SIN, Math.sin],
      ] as const) {
        const exact = 16384 * fn((2 * Math.PI * k) / 256);
        // === rather than toBe: the table's 0 and the rounding's -0 are the same integer.
        expect(table[k] === Math.round(exact)).toBe(true);
        const distanceToHalf = Math.abs(Math.abs(exact - Math.trunc(exact)) - 0.5);
        expect(distanceToHalf).toBeGreaterThan(1e-6);
      }
    }
  });
});
