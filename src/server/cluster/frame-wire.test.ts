import { describe, expect, it } from 'vitest';
import { FrameEncoder, type EncodedFrame } from '../../core/wire/frame-codec';
import { FrameWireError, decodeWireFrame, encodeWireFrame, type WireFrame } from './frame-wire';

function frames(): EncodedFrame[][] {
  const encoder = new FrameEncoder(16, 8);
  const out: EncodedFrame[][] = [];
  for (let k = 0; k < 3; k++) {
    const phases = new Uint16Array(128).map((_, i) => (i * 97 + k * 1000) & 0xffff);
    const encoding = encoder.encode(phases);
    out.push([encoding.frameFor(2), encoding.key, encoding.frameFor(1)]);
  }
  return out;
}

const base = {
  run: 0xdeadbeef,
  n: 41,
  frameIndex: 7,
  producedAtMs: 1_765_000_000_123.25,
  crc: 0x89abcdef,
};

describe('frame messages over NATS', () => {
  it('carry the header and every form byte for byte, a shared form once', () => {
    const [, , third] = frames();
    const [follower, key, catchUp] = third!;
    const frame: WireFrame = { ...base, follower: follower!, key: key!, catchUp: catchUp! };
    const decoded = decodeWireFrame(encodeWireFrame(frame));
    expect(decoded).toMatchObject(base);
    expect(decoded.follower).toEqual(follower);
    expect(decoded.key).toEqual(key);
    expect(decoded.catchUp).toEqual(catchUp);
    expect(follower!.order).toBe(2);

    // The first frame's follower form is its keyframe: it travels once, in both roles.
    const [first] = frames();
    const alone = encodeWireFrame({
      ...base,
      follower: first![1]!,
      key: first![1]!,
      catchUp: null,
    });
    expect(alone.byteLength).toBe(28 + 6 + first![1]!.payload.byteLength);
    const again = decodeWireFrame(alone);
    expect(again.key).toBe(again.follower);
    expect(again.catchUp).toBeNull();
  });

  it('are refused with a clear message when malformed, never half read', () => {
    const [, second] = frames();
    const good = encodeWireFrame({ ...base, follower: second![0]!, key: null, catchUp: null });
    const cases: [Uint8Array, RegExp][] = [
      [good.subarray(0, 10), /shorter than the 28-byte header/],
      [Uint8Array.from(good).fill(0, 0, 2), /bad magic/],
      [Uint8Array.from(good).fill(9, 2, 3), /version 9/],
      [good.subarray(0, good.byteLength - 1), /runs past the message/],
      [Uint8Array.of(...good, 0), /1 bytes after the last form/],
      [Uint8Array.from(good).fill(0b0001_0011, 28, 29), /kind 0 and order 3/],
      [Uint8Array.from(good).fill(0b0010_0000, 28, 29), /no follower form/],
    ];
    for (const [bytes, message] of cases) {
      expect(() => decodeWireFrame(bytes)).toThrow(FrameWireError);
      expect(() => decodeWireFrame(bytes)).toThrow(message);
    }
  });
});
