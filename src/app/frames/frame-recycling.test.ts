// Frame buffers handed back to the decoder: the real StreamDecoder decodes a real stream into the
// buffers the real frame pipeline releases. Each is transferred back as the page transfers it to
// the worker (the frame's own view is left empty) and decoded into with the very next frame, so a
// frame released while a holder still reads it shows here as lost or changed phases.
import { describe, expect, it } from 'vitest';
import { crc32 } from '../../core/crc32';
import { encodeMessage } from '../../core/wire/envelope';
import { FrameEncoder, framesHeldAfter } from '../../core/wire/frame-codec';
import { MAX_SPARE_BUFFERS, StreamDecoder } from '../../core/wire/stream-decoder';
import type { StoredFrame } from './frame-store';
import { FramePipeline } from './pipeline';

const W = 24;
const H = 16;
const phasesAt = (k: number): Uint16Array => {
  const p = new Uint16Array(W * H);
  for (let i = 0; i < p.length; i++) p[i] = (i * 977 + k * 2311 + ((i * k) % 13) * 50) & 0xffff;
  return p;
};
const helloOf = (width: number, height: number, tenant = 't'): Uint8Array =>
  encodeMessage({
    t: 'hello',
    v: 1,
    stream: { tenant, width, height, frameCount: 0, intervalUs: 16667, source: 'live' },
    serverTimeMs: 0,
  });

/** A server's stream of frames 1, 2, ... as a following client receives it. */
function serverStream(): () => Uint8Array {
  const encoder = new FrameEncoder(W, H);
  let held = 0;
  let k = 0;
  return () => {
    k += 1;
    const phases = phasesAt(k);
    const sent = encoder.encode(phases).frameFor(held);
    held = framesHeldAfter(sent, held);
    return encodeMessage({
      t: 'frame',
      seq: k,
      fi: k,
      kind: sent.kind,
      order: sent.order,
      crc: crc32(new Uint8Array(phases.buffer)),
      producedAtMs: 0,
      data: sent.payload,
    });
  };
}

function setup() {
  const decoder = new StreamDecoder();
  const pipeline = new FramePipeline({ request: () => 0, cancel: () => {} }, () => 0, 0);
  const released: Uint16Array[] = [];
  pipeline.recycleInto((phases) => {
    released.push(phases);
    const moved = structuredClone(phases.buffer, { transfer: [phases.buffer as ArrayBuffer] });
    decoder.recycle(new Uint16Array(moved));
  });
  decoder.accept(helloOf(W, H), 0);
  const next = serverStream();
  /** Decodes `count` frames and hands each to the pipeline, as the worker and the page do. */
  const arrive = (count: number): void => {
    for (let i = 0; i < count; i++) {
      const event = decoder.accept(next(), 0);
      if (event.type !== 'frame') throw new Error(`expected a frame, got ${event.type}`);
      const f = event.frame;
      pipeline.accept({
        ...f,
        type: 'frame',
        decodedAtMs: 0,
        latencyMs: null,
        decodeMs: 0,
        orderR: 0,
        psiRad: 0,
        vortices: 0,
      });
    }
  };
  return { decoder, pipeline, released, arrive };
}

/** The frame's phases are still the ones it was decoded with. */
function expectIntact(frame: StoredFrame): void {
  expect(frame.phases).toEqual(phasesAt(frame.frameIndex));
  expect(crc32(new Uint8Array(frame.phases.buffer))).toBe(frame.crc);
}

describe('frame buffers handed back to the decoder', () => {
  it('keeps the frame on screen intact while many later frames decode into released buffers', () => {
    const { decoder, pipeline, arrive } = setup();
    arrive(3);
    const onScreen = pipeline.frames.takeForDraw()!.frame;
    // The renderer falls behind (a busy GPU): nothing more is drawn while 40 frames arrive.
    arrive(40);
    expect(pipeline.frames.shown).toBe(onScreen);
    expectIntact(onScreen);
    expect(decoder.buffersReused).toBeGreaterThan(30);
  });

  it('keeps the frame the panels, the hover readout and the PNG export read (the cursor)', () => {
    const { pipeline, arrive } = setup();
    arrive(2);
    pipeline.frames.takeForDraw();
    pipeline.hud();
    const cursor = pipeline.cursor!;
    // The screen moves on, frame after frame, but the figures are not read again yet.
    for (let i = 0; i < 20; i++) {
      arrive(1);
      pipeline.frames.takeForDraw();
    }
    expect(pipeline.frames.shown).not.toBe(cursor);
    expectIntact(cursor);
    // Read again: the cursor moves to the frame on screen and the old one is handed back.
    pipeline.hud();
    expect(cursor.phases.byteLength).toBe(0);
  });

  it('keeps every frame still in the ring, the waiting list or the latest intact', () => {
    const { pipeline, arrive } = setup();
    for (let i = 0; i < 50; i++) {
      arrive(1 + (i % 3));
      pipeline.frames.takeForDraw();
      if (i % 7 === 0) pipeline.hud();
      for (const frame of pipeline.frames.recent()) expectIntact(frame);
      expectIntact(pipeline.frames.latest!);
      if (pipeline.frames.shown) expectIntact(pipeline.frames.shown);
      if (pipeline.cursor) expectIntact(pipeline.cursor);
    }
  });

  it('stops making new buffers once the holders are full: no growth over a long stream', () => {
    const { decoder, pipeline, arrive } = setup();
    const newBuffers = (): number => decoder.framesDecoded - decoder.buffersReused;
    // Frames at up to twice the display's rate, the figures read every 15 animation frames.
    const play = (animationFrames: number): void => {
      for (let i = 0; i < animationFrames; i++) {
        arrive(1 + (i % 2));
        pipeline.frames.takeForDraw();
        if (i % 15 === 0) pipeline.hud();
      }
    };
    play(60);
    const warm = newBuffers();
    play(300);
    expect(newBuffers()).toBe(warm);
    // As many as the holders hold at once, and one to decode into: no more.
    expect(warm).toBeLessThanOrEqual(12);
    expect(decoder.spareBuffers).toBeLessThanOrEqual(MAX_SPARE_BUFFERS);
    // Ring of 8, the latest and the waiting among them, the frame on screen, the cursor.
    expect(pipeline.frames.awaitingRelease).toBeLessThanOrEqual(10);
  });

  it('hands every frame back when the views stop drawing and when the stream resets', () => {
    const { pipeline, released, arrive } = setup();
    arrive(12);
    pipeline.frames.takeForDraw();
    pipeline.hud();
    const onScreen = pipeline.frames.shown!;
    // The tickets view: nothing draws, the frame on screen is no longer held by the screen but
    // still by the cursor until the figures are read again.
    pipeline.frames.setDrawing(false);
    expectIntact(onScreen);
    pipeline.hud();
    // Sign-out or another tenant: nothing of the stream stays, every buffer goes back.
    const before = released.length;
    const kept = pipeline.frames.recent();
    pipeline.reset();
    expect(released.length - before).toBeGreaterThanOrEqual(kept.length);
    for (const frame of kept) expect(frame.phases.byteLength).toBe(0);
    expect(pipeline.frames.awaitingRelease).toBe(0);
  });

  it('drops buffers of the old lattice after a hello of another size', () => {
    const { decoder, pipeline, arrive } = setup();
    arrive(10);
    decoder.accept(helloOf(W * 2, H, 'other'), 0);
    pipeline.reset();
    expect(decoder.spareBuffers).toBe(0);
  });
});
