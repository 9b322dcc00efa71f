import { describe, expect, it } from 'vitest';
import { crc32 } from '../crc32';
import { encodeMessage, type FrameMessage } from './envelope';
import { FrameEncoder, framesHeldAfter, type EncodedFrame } from './frame-codec';
import {
  MAX_SPARE_BUFFERS,
  RESYNC_RETRY_MS,
  StreamDecoder,
  type StreamEvent,
} from './stream-decoder';

const W = 16;
const H = 12;
const frameAt = (k: number): Uint16Array => {
  const p = new Uint16Array(W * H);
  for (let i = 0; i < p.length; i++) p[i] = (i * 211 + k * 1500 + ((k * k) % 5) * 40) & 0xffff;
  return p;
};
const hello = encodeMessage({
  t: 'hello',
  v: 1,
  stream: { tenant: 't', width: W, height: H, frameCount: 0, intervalUs: 16667, source: 'live' },
  serverTimeMs: 0,
});

function message(
  seq: number,
  phases: Uint16Array,
  encoded: EncodedFrame,
  { crc, fi }: { crc?: number; fi?: number } = {},
): Uint8Array {
  return encodeMessage({
    t: 'frame',
    seq,
    fi: fi ?? seq,
    kind: encoded.kind,
    order: encoded.order,
    crc: crc ?? crc32(new Uint8Array(phases.buffer)),
    producedAtMs: 0,
    data: encoded.payload,
  } satisfies FrameMessage);
}

/** What a server following the stream sends: key first, then deltas as history allows. */
function streamMessages(count: number): Uint8Array[] {
  const encoder = new FrameEncoder(W, H);
  let held = 0;
  const out: Uint8Array[] = [];
  for (let k = 1; k <= count; k++) {
    const phases = frameAt(k);
    const f = encoder.encode(phases).frameFor(held);
    held = framesHeldAfter(f, held);
    out.push(message(k, phases, f));
  }
  return out;
}

describe('StreamDecoder', () => {
  it('decodes a keyframe then deltas, bit for bit', () => {
    const decoder = new StreamDecoder();
    expect(decoder.accept(hello, 0).type).toBe('hello');
    const kinds: number[] = [];
    streamMessages(20).forEach((bytes, i) => {
      const event = decoder.accept(bytes, i);
      expect(event.type).toBe('frame');
      if (event.type === 'frame') {
        expect(event.frame.phases).toEqual(frameAt(i + 1));
        kinds.push(event.frame.kind);
      }
    });
    expect(kinds[0]).toBe(0);
    expect(kinds.slice(1).every((k) => k === 1)).toBe(true);
  });

  it('never returns a frame whose checksum fails, and asks for a resync', () => {
    const decoder = new StreamDecoder();
    decoder.accept(hello, 0);
    const encoder = new FrameEncoder(W, H);
    const bad = message(1, frameAt(1), encoder.encode(frameAt(1)).key, { crc: 0x1234 });
    expect(decoder.accept(bad, 0)).toMatchObject({
      type: 'fault',
      resync: true,
      message: expect.stringMatching(/checksum mismatch/),
    });
  });

  it('asks for a resync on a sequence gap and skips deltas until the keyframe arrives', () => {
    const decoder = new StreamDecoder();
    decoder.accept(hello, 0);
    const msgs = streamMessages(10);
    decoder.accept(msgs[0]!, 0);
    decoder.accept(msgs[1]!, 1);
    expect(decoder.accept(msgs[3]!, 2)).toMatchObject({
      type: 'fault',
      resync: true,
      message: expect.stringMatching(/sequence gap/),
    });
    expect(decoder.accept(msgs[4]!, 3)).toEqual({ type: 'skipped', seq: 5 });
    const encoder = new FrameEncoder(W, H);
    const key = message(6, frameAt(6), encoder.encode(frameAt(6)).key);
    const event = decoder.accept(key, 4);
    expect(event.type).toBe('frame');
    if (event.type === 'frame') expect(event.frame.phases).toEqual(frameAt(6));
  });

  it('asks again when the keyframe is late, but not for every delta in flight', () => {
    const decoder = new StreamDecoder();
    decoder.accept(hello, 0);
    const msgs = streamMessages(10);
    decoder.accept(msgs[0]!, 0);
    expect(decoder.accept(msgs[2]!, 10)).toMatchObject({ resync: true });
    expect(decoder.accept(msgs[3]!, 20).type).toBe('skipped');
    expect(decoder.accept(msgs[4]!, 10 + RESYNC_RETRY_MS)).toMatchObject({
      type: 'fault',
      resync: true,
    });
  });

  it.each([
    { name: 'garbage', bytes: new Uint8Array([1, 2, 3]) },
    { name: 'a truncated frame message', bytes: streamMessages(1)[0]!.subarray(0, 20) },
  ])('reports $name as a fault without throwing', ({ bytes }) => {
    const decoder = new StreamDecoder();
    decoder.accept(hello, 0);
    expect(decoder.accept(bytes, 0).type).toBe('fault');
  });

  it('refuses frames before the hello', () => {
    const decoder = new StreamDecoder();
    expect(decoder.accept(streamMessages(1)[0]!, 0)).toMatchObject({
      type: 'fault',
      message: expect.stringMatching(/before hello/),
    });
  });

  it('refuses a corrupted delta payload', () => {
    const decoder = new StreamDecoder();
    decoder.accept(hello, 0);
    const msgs = streamMessages(4);
    decoder.accept(msgs[0]!, 0);
    decoder.accept(msgs[1]!, 0);
    const corrupt = new Uint8Array(msgs[2]!);
    corrupt[corrupt.length - 3]! ^= 0xff;
    expect(decoder.accept(corrupt, 0).type).toBe('fault');
  });
});

describe('StreamDecoder sequence rules (docs/PROTOCOL.md section 4)', () => {
  // Every form a server can send of frame k of `frameAt`: its keyframe, or a delta of order 1 or 2
  // against frames k - 1 and k - 2. Which seq a message carries is up to each case.
  const encoder = new FrameEncoder(W, H);
  const encodings = Array.from({ length: 8 }, (_v, k) => encoder.encode(frameAt(k)));
  const playback = encodeMessage({
    t: 'playback',
    live: false,
    playing: true,
    speed: 1,
    frame: 0,
    loop: true,
    a: null,
    b: null,
    notice: null,
  });

  type Step =
    | { key: number; seq: number }
    | { delta: number; order: 1 | 2; seq: number; badCrc?: true }
    | { playback: true };
  const bytesOf = (step: Step): Uint8Array => {
    if ('playback' in step) return playback;
    if ('key' in step) return message(step.seq, frameAt(step.key), encodings[step.key]!.key);
    const delta = encodings[step.delta]!.deltaOfOrder(step.order)!;
    return message(step.seq, frameAt(step.delta), delta, step.badCrc ? { crc: 0x1234 } : {});
  };

  const CASES: { name: string; steps: [Step, StreamEvent['type']][] }[] = [
    {
      name: 'a frame that failed its crc is not decoded: the resync keyframe with its seq is used',
      steps: [
        [{ key: 1, seq: 1 }, 'frame'],
        [{ delta: 2, order: 1, seq: 2 }, 'frame'],
        [{ delta: 3, order: 2, seq: 3, badCrc: true }, 'fault'],
        [{ key: 3, seq: 3 }, 'frame'],
        [{ delta: 4, order: 1, seq: 4 }, 'frame'],
      ],
    },
    {
      name: 'the reset after a fault keeps the last decoded seq: a keyframe not above it is stale',
      steps: [
        [{ key: 1, seq: 1 }, 'frame'],
        [{ delta: 2, order: 1, seq: 2 }, 'frame'],
        [{ delta: 4, order: 2, seq: 4 }, 'fault'],
        [{ key: 2, seq: 2 }, 'skipped'],
        [{ key: 5, seq: 5 }, 'frame'],
      ],
    },
    {
      name: 'a stale keyframe leaves the frames held: the deltas after it decode',
      steps: [
        [{ key: 1, seq: 1 }, 'frame'],
        [{ delta: 2, order: 1, seq: 2 }, 'frame'],
        [{ delta: 3, order: 2, seq: 3 }, 'frame'],
        [{ key: 3, seq: 3 }, 'skipped'],
        [{ delta: 4, order: 1, seq: 4 }, 'frame'],
        [{ delta: 5, order: 2, seq: 5 }, 'frame'],
      ],
    },
    {
      name: 'a playback message starts an epoch: its first keyframe may have any seq, 1 included',
      steps: [
        [{ key: 5, seq: 5000 }, 'frame'],
        [{ delta: 6, order: 1, seq: 5001 }, 'frame'],
        [{ playback: true }, 'playback'],
        [{ key: 2, seq: 1 }, 'frame'],
        [{ delta: 3, order: 1, seq: 2 }, 'frame'],
      ],
    },
    {
      name: 'without a playback message the same keyframe is stale and the history stays',
      steps: [
        [{ key: 5, seq: 5000 }, 'frame'],
        [{ delta: 6, order: 1, seq: 5001 }, 'frame'],
        [{ key: 2, seq: 1 }, 'skipped'],
        [{ delta: 7, order: 2, seq: 5002 }, 'frame'],
      ],
    },
    {
      name: 'an epoch starts from a keyframe: a delta first is a gap',
      steps: [
        [{ key: 1, seq: 1 }, 'frame'],
        [{ playback: true }, 'playback'],
        [{ delta: 2, order: 1, seq: 2 }, 'fault'],
      ],
    },
  ];
  it.each(CASES)('$name', ({ steps }) => {
    const decoder = new StreamDecoder();
    decoder.accept(hello, 0);
    steps.forEach(([step, type], i) => {
      const event = decoder.accept(bytesOf(step), i);
      expect(event.type, `step ${i}`).toBe(type);
      if (event.type === 'frame' && 'seq' in step) {
        expect(event.frame.seq).toBe(step.seq);
        expect(event.frame.phases).toEqual(frameAt('key' in step ? step.key : step.delta));
      }
    });
  });

  it('takes a looping replay through its wrap: fi back to 0, a keyframe, then order 1 and 2', () => {
    // A spiral whose core drifts, so the wrap is a jump no delta predicts well.
    const [width, height, frameCount] = [40, 30, 12];
    const spiralAt = (k: number): Uint16Array => {
      const phases = new Uint16Array(width * height);
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          const dx = x - 11.5 - 0.3 * k;
          const dy = y - height / 2 + 0.5;
          const angleRad = Math.atan2(dy, dx) + 0.7 * Math.hypot(dx, dy) + 0.05 * k;
          phases[y * width + x] = Math.round((angleRad / (2 * Math.PI)) * 65536) & 0xffff;
        }
      }
      return phases;
    };
    const decoder = new StreamDecoder();
    decoder.accept(
      encodeMessage({
        t: 'hello',
        v: 1,
        stream: { tenant: 't', width, height, frameCount, intervalUs: 16667, source: 'replay' },
        serverTimeMs: 0,
      }),
      0,
    );
    // What the server sends a client that follows: each frame as the best form its history allows.
    const replay = new FrameEncoder(width, height);
    let held = 0;
    const received: { fi: number; form: string }[] = [];
    for (let seq = 1; seq <= frameCount + 3; seq++) {
      const fi = (seq - 1) % frameCount;
      const sent = replay.encode(spiralAt(fi)).frameFor(held);
      held = framesHeldAfter(sent, held);
      const event = decoder.accept(message(seq, spiralAt(fi), sent, { fi }), seq);
      expect(event.type).toBe('frame');
      if (event.type !== 'frame') return;
      expect(event.frame.phases).toEqual(spiralAt(fi));
      received.push({ fi: event.frame.frameIndex, form: sent.kind ? `delta${sent.order}` : 'key' });
    }
    expect(received.slice(frameCount - 2)).toEqual([
      { fi: frameCount - 2, form: 'delta2' },
      { fi: frameCount - 1, form: 'delta2' },
      { fi: 0, form: 'key' },
      { fi: 1, form: 'delta1' },
      { fi: 2, form: 'delta2' },
    ]);
  });
});

describe('StreamDecoder frame buffers handed back', () => {
  const helloOf = (width: number, height: number): Uint8Array =>
    encodeMessage({
      t: 'hello',
      v: 1,
      stream: { tenant: 't', width, height, frameCount: 0, intervalUs: 16667, source: 'live' },
      serverTimeMs: 0,
    });

  it('decodes into a buffer handed back, bit for bit, and a new one when none was', () => {
    const decoder = new StreamDecoder();
    decoder.accept(hello, 0);
    const buffers = new Set<Uint16Array>();
    streamMessages(30).forEach((bytes, i) => {
      const event = decoder.accept(bytes, i);
      expect(event.type).toBe('frame');
      if (event.type !== 'frame') return;
      // Stale contents in a reused buffer would show here: every spin must be this frame's.
      expect(event.frame.phases).toEqual(frameAt(i + 1));
      buffers.add(event.frame.phases);
      decoder.recycle(event.frame.phases);
    });
    // The first frame needed a new buffer; every later one went into that one, handed back.
    expect(buffers.size).toBe(1);
    expect(decoder.buffersReused).toBe(29);
  });

  it('keeps at most MAX_SPARE_BUFFERS, each once, and only of the lattice size', () => {
    const decoder = new StreamDecoder();
    decoder.recycle(new Uint16Array(W * H)); // before any hello: no size to keep
    expect(decoder.spareBuffers).toBe(0);
    decoder.accept(hello, 0);
    const one = new Uint16Array(W * H);
    decoder.recycle(one);
    decoder.recycle(one);
    expect(decoder.spareBuffers).toBe(1);
    decoder.recycle(new Uint16Array(W * H + 1));
    decoder.recycle(new Uint16Array(0)); // a buffer already transferred away
    expect(decoder.spareBuffers).toBe(1);
    for (let i = 0; i < 10; i++) decoder.recycle(new Uint16Array(W * H));
    expect(decoder.spareBuffers).toBe(MAX_SPARE_BUFFERS);
  });

  it('keeps its buffers across a reconnection to the same lattice, not to another size', () => {
    const decoder = new StreamDecoder();
    decoder.accept(hello, 0);
    decoder.recycle(new Uint16Array(W * H));
    decoder.reset();
    decoder.accept(hello, 0);
    expect(decoder.spareBuffers).toBe(1);
    decoder.accept(helloOf(W * 2, H), 0);
    expect(decoder.spareBuffers).toBe(0);
    decoder.recycle(new Uint16Array(W * H));
    expect(decoder.spareBuffers).toBe(0);
  });

  it('keeps the buffer of a frame that failed its checks for the next frame', () => {
    const decoder = new StreamDecoder();
    decoder.accept(hello, 0);
    const spare = new Uint16Array(W * H);
    decoder.recycle(spare);
    const encoder = new FrameEncoder(W, H);
    const bad = message(1, frameAt(1), encoder.encode(frameAt(1)).key, { crc: 0x1234 });
    expect(decoder.accept(bad, 0).type).toBe('fault');
    expect(decoder.spareBuffers).toBe(1);
    const good = message(2, frameAt(2), new FrameEncoder(W, H).encode(frameAt(2)).key);
    const event = decoder.accept(good, RESYNC_RETRY_MS);
    expect(event.type).toBe('frame');
    if (event.type === 'frame') {
      expect(event.frame.phases).toBe(spare);
      expect(event.frame.phases).toEqual(frameAt(2));
    }
  });
});
