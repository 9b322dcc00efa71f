// The source encoder's read-ahead: a frame prepared between ticks must go out as exactly the
// bytes it would have had without preparing, and a prepared frame that is not the one the tick
// delivers must never leak into the deltas.
import { describe, expect, it } from 'vitest';
import { decodeServerMessage } from '../../core/wire/envelope';
import { FRAME_KEY, FrameDecoder } from '../../core/wire/frame-codec';
import { createLattice } from '../../sim/lattice';
import { outgoingFrame, type OutgoingFrame } from './frame-messages';
import { createSourceEncoder, type SourceEncoder } from './source-encoder';

const WIDTH = 24;
const HEIGHT = 16;

function simulatedFrames(count: number): Uint16Array[] {
  const lattice = createLattice({ width: WIDTH, height: HEIGHT, seed: 3n });
  return Array.from({ length: count }, () => {
    lattice.advanceFrame();
    const phases = new Uint16Array(WIDTH * HEIGHT);
    lattice.quantizeInto(phases);
    return phases;
  });
}

/** Encodes frame `frameIndex` at its tick and numbers it `seq`, as a replay source and bus do. */
function atTick(
  encoder: SourceEncoder,
  frameIndex: number,
  phases: Uint16Array,
  seq: number,
): OutgoingFrame {
  const producedAtMs = 1_000 + frameIndex;
  return outgoingFrame(
    { frameIndex, phases, producedAtMs, ...encoder.encode(frameIndex, phases) },
    seq,
  );
}

/** Decodes a follower's message (the form for a client holding `held` frames) and checks it. */
function follow(decoder: FrameDecoder, bytes: Uint8Array, expected: Uint16Array): number {
  const message = decodeServerMessage(bytes);
  if (message.t !== 'frame') throw new Error(`expected a frame message, got ${message.t}`);
  const phases = decoder.decode(message.kind, message.order, message.data);
  expect(phases).toEqual(expected);
  return message.kind;
}

describe('source encoder, encoding ahead of the tick', () => {
  it('sends the same bytes for a prepared frame as for one encoded at its tick', () => {
    const frames = simulatedFrames(12);
    const plainEncoder = createSourceEncoder(WIDTH, HEIGHT);
    const ahead = createSourceEncoder(WIDTH, HEIGHT);
    const decoder = new FrameDecoder(WIDTH, HEIGHT);
    frames.forEach((phases, k) => {
      if (k > 0) ahead.prepare(k, phases);
      const plain = atTick(plainEncoder, k, phases, k + 1);
      const prepared = atTick(ahead, k, phases, k + 1);
      for (const held of [0, 1, 2]) {
        expect(prepared.messageFor(held)!.bytes).toEqual(plain.messageFor(held)!.bytes);
      }
      follow(decoder, prepared.messageFor(decoder.framesHeld)!.bytes, phases);
    });
    expect(ahead.readAhead).toEqual({ used: 11, dropped: 0 });
    expect(plainEncoder.readAhead).toEqual({ used: 0, dropped: 0 });
  });

  it('sends a keyframe, not a delta from the prepared frame, when the tick brings another', () => {
    const frames = simulatedFrames(6);
    const encoder = createSourceEncoder(WIDTH, HEIGHT);
    const decoder = new FrameDecoder(WIDTH, HEIGHT);
    for (let k = 0; k < 3; k++) {
      follow(
        decoder,
        atTick(encoder, k, frames[k]!, k + 1).messageFor(decoder.framesHeld)!.bytes,
        frames[k]!,
      );
    }
    // Frame 3 is prepared, but the tick delivers frame 4 (say, 3 turned out unreadable).
    encoder.prepare(3, frames[3]!);
    const out = atTick(encoder, 4, frames[4]!, 4);
    expect(follow(decoder, out.messageFor(decoder.framesHeld)!.bytes, frames[4]!)).toBe(FRAME_KEY);
    expect(encoder.readAhead).toEqual({ used: 0, dropped: 1 });
    // The stream goes on with deltas from frame 4.
    const next = atTick(encoder, 5, frames[5]!, 5);
    expect(follow(decoder, next.messageFor(decoder.framesHeld)!.bytes, frames[5]!)).not.toBe(
      FRAME_KEY,
    );
  });

  it('takes prepared work only for the very array it was prepared from', () => {
    const frames = simulatedFrames(3);
    const encoder = createSourceEncoder(WIDTH, HEIGHT);
    atTick(encoder, 0, frames[0]!, 1);
    encoder.prepare(1, frames[1]!);
    // The tick read the frame again (another array): the prepared work is not known to match it.
    const out = atTick(encoder, 1, frames[1]!.slice(), 2);
    expect(out.messageFor(2)!.kind).toBe(FRAME_KEY);
    expect(encoder.readAhead).toEqual({ used: 0, dropped: 1 });
  });

  it('drops a prepared frame on reset', () => {
    const frames = simulatedFrames(3);
    const encoder = createSourceEncoder(WIDTH, HEIGHT);
    atTick(encoder, 0, frames[0]!, 1);
    encoder.prepare(1, frames[1]!);
    encoder.reset();
    const out = atTick(encoder, 1, frames[1]!, 2);
    expect(out.messageFor(2)!.kind).toBe(FRAME_KEY);
    expect(encoder.readAhead).toEqual({ used: 0, dropped: 1 });
  });
});
