import { describe, expect, it } from 'vitest';
import { crc32 } from '../crc32';
import { encodeMessage, type FrameMessage } from './envelope';
import { FrameEncoder, framesHeldAfter, type EncodedFrame } from './frame-codec';
import { RESYNC_RETRY_MS, StreamDecoder } from './stream-decoder';

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
  crcOverride?: number,
): Uint8Array {
  return encodeMessage({
    t: 'frame',
    seq,
    fi: seq,
    kind: encoded.kind,
    order: encoded.order,
    crc: crcOverride ?? crc32(new Uint8Array(phases.buffer)),
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
    const bad = message(1, frameAt(1), encoder.encode(frameAt(1)).key, 0x1234);
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
