// The frame path's contract: however a frame reaches a client (followed on the shared stream,
// from the client's own replay cursor, or from a live worker), the same frame, seq and history
// give the same bytes, which are what the codec makes of that frame. A replay cursor numbers its
// frames in epochs of its own; a frame after a gap goes out as a keyframe.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crc32 } from '../../core/crc32';
import { TRACE_HEADER_BYTES, frameStrideBytes } from '../../core/trace';
import { encodeMessage } from '../../core/wire/envelope';
import {
  FRAME_DELTA,
  FRAME_KEY,
  FrameEncoder,
  framesHeldAfter,
  type EncodedFrame,
  type FrameEncoding,
} from '../../core/wire/frame-codec';
import type { PlaybackControl } from '../../core/wire/playback';
import { createLattice } from '../../sim/lattice';
import { openTraceFile, writeTraceFile, type TraceFile } from '../trace-file';
import { createStreamBus } from './bus';
import type { OutgoingFrame } from './frame-messages';
import { liveSourceFrame, liveWorkerFrame } from './live-frame';
import { createReplayCursor, type ReplayCursor } from './replay-cursor';
import { createReplaySource } from './replay-source';
import type { FrameSource, SourceFrame } from './source';

const WIDTH = 24;
const HEIGHT = 16;
const FRAMES = 10;
/** Slow enough that each read-ahead runs before the next tick even on a busy machine. */
const INTERVAL_US = 20_000;
/** Every path stamps this as producedAtMs, so that whole messages compare byte for byte. */
const PRODUCED_AT_MS = 1_765_000_000_000.25;
const nowMs = () => PRODUCED_AT_MS;
const HELD = [0, 1, 2] as const;

const lattice = createLattice({ width: WIDTH, height: HEIGHT, seed: 11n });
const frames = Array.from({ length: FRAMES }, () => {
  lattice.advanceFrame();
  const phases = new Uint16Array(WIDTH * HEIGHT);
  lattice.quantizeInto(phases);
  return phases;
});

/** What the codec makes of frames 0..k fed in order: the reference every path must match. */
const reference: FrameEncoding[] = (() => {
  const encoder = new FrameEncoder(WIDTH, HEIGHT);
  return frames.map((phases) => encoder.encode(phases));
})();

function messageOf(seq: number, frameIndex: number, encoded: EncodedFrame): Uint8Array {
  const phases = frames[frameIndex]!;
  return encodeMessage({
    t: 'frame',
    seq,
    fi: frameIndex,
    kind: encoded.kind,
    order: encoded.order,
    crc: crc32(new Uint8Array(phases.buffer, phases.byteOffset, phases.byteLength)),
    producedAtMs: PRODUCED_AT_MS,
    data: encoded.payload,
  });
}

function expectedMessage(seq: number, frameIndex: number, held: number): Uint8Array {
  return messageOf(seq, frameIndex, reference[frameIndex]!.frameFor(held));
}

let dir: string;
let trace: TraceFile;
let corruptTrace: TraceFile;
/** Frame of `corruptTrace` whose record fails its CRC. */
const BAD_FRAME = 4;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'phase-frame-path-'));
  const header = {
    width: WIDTH,
    height: HEIGHT,
    frameCount: FRAMES,
    intervalUs: INTERVAL_US,
    flags: 0,
    seed: 11n,
  };
  const file = path.join(dir, 'lattice.bin');
  await writeTraceFile(file, header, (k) => frames[k]!);
  trace = openTraceFile(file);
  const bytes = readFileSync(file);
  bytes[TRACE_HEADER_BYTES + BAD_FRAME * frameStrideBytes(WIDTH, HEIGHT) + 8 + 3]! ^= 0xff;
  const corruptFile = path.join(dir, 'corrupt.bin');
  writeFileSync(corruptFile, bytes);
  corruptTrace = openTraceFile(corruptFile);
});
afterAll(() => {
  trace?.close();
  corruptTrace?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs `source` on a real bus until it has produced `count` frames; the bus's frames in order. */
async function throughBus(source: FrameSource, count: number): Promise<OutgoingFrame[]> {
  const bus = createStreamBus('t', source);
  const out: OutgoingFrame[] = [];
  bus.subscribe({ deliver: (frame) => void out.push(frame) });
  bus.start();
  const deadline = Date.now() + 20_000;
  while (out.length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  bus.stop();
  return out.slice(0, count);
}

/** A source that emits the given frames at once, as a live source emits what its worker posts. */
function emitting(sourceFrames: SourceFrame[]): FrameSource {
  return {
    info: { width: WIDTH, height: HEIGHT, frameCount: 0, intervalUs: INTERVAL_US, source: 'live' },
    start: (onFrame) => sourceFrames.forEach(onFrame),
    stop: () => {},
  };
}

/** The live path: each frame encoded as the worker does, posted, and taken as the loop does. */
function liveFrames(): SourceFrame[] {
  const encoder = new FrameEncoder(WIDTH, HEIGHT);
  return frames.map((phases, k) => {
    const own = new Uint16Array(phases);
    const { message } = liveWorkerFrame(k, PRODUCED_AT_MS, own, encoder.encode(own));
    return liveSourceFrame(message, k === 0);
  });
}

describe('one packing for every path', () => {
  const paths: { name: string; frames: () => Promise<OutgoingFrame[]> }[] = [
    {
      name: 'followers of a replayed stream',
      frames: () => throughBus(createReplaySource(trace, { log: () => {}, nowMs }), FRAMES),
    },
    {
      name: 'a client with its own replay cursor',
      frames: async () => {
        const cursor = createReplayCursor({
          width: WIDTH,
          height: HEIGHT,
          frameCount: FRAMES,
          readFrame: (k) => trace.readFrame(k),
          nowMs,
        });
        return frames.map((_phases, k) => cursor.frameAt(k)!);
      },
    },
    {
      name: 'followers of a live stream',
      frames: () => throughBus(emitting(liveFrames()), FRAMES),
    },
  ];

  it.each(paths)('$name get the codec bytes for each (seq, held)', async ({ frames: run }) => {
    const out = await run();
    expect(out.map((f) => [f.seq, f.frameIndex])).toEqual(frames.map((_p, k) => [k + 1, k]));
    for (const frame of out) {
      for (const held of HELD) {
        const message = frame.messageFor(held)!;
        expect(message.bytes).toEqual(expectedMessage(frame.seq, frame.frameIndex, held));
        const form = reference[frame.frameIndex]!.frameFor(held);
        expect(message.heldAfter).toBe(framesHeldAfter(form, held));
        expect(message.kind).toBe(form.kind);
      }
      expect(frame.rawBytes).toBe(WIDTH * HEIGHT * 2);
    }
    // The table is not vacuous: these frames need keyframes and deltas of both orders.
    const forms = new Set(
      out.flatMap((f) => HELD.map((held) => reference[f.frameIndex]!.frameFor(held).order)),
    );
    expect(forms).toEqual(new Set([0, 1, 2]));
  });

  it('packs each form of a frame once, whichever clients need it', async () => {
    const [first, second] = await throughBus(emitting(liveFrames().slice(0, 2)), 2);
    // Frame 0 has only its keyframe: every client gets the very same bytes.
    expect(first!.messageFor(2)!.bytes).toBe(first!.messageFor(0)!.bytes);
    // Frame 1: the keyframe for a joiner, one delta for the others, each packed once.
    expect(second!.messageFor(0)!.bytes).toBe(second!.messageFor(0)!.bytes);
    expect(second!.messageFor(2)!.bytes).toBe(second!.messageFor(1)!.bytes);
    expect(second!.messageFor(1)!.bytes).not.toBe(second!.messageFor(0)!.bytes);
  });

  it('reads each replayed frame ahead of its tick, and the bytes are the same', async () => {
    const source = createReplaySource(trace, { log: () => {}, nowMs });
    const out = await throughBus(source, FRAMES);
    out.forEach((f) =>
      expect(f.messageFor(2)!.bytes).toEqual(expectedMessage(f.seq, f.seq - 1, 2)),
    );
    // Frame 0 is read at its tick; after it, the read-ahead prepares each next one.
    expect(source.readAhead.used).toBeGreaterThan(0);
    expect(source.readAhead.dropped).toBe(0);
  });
});

describe('a frame after a gap goes out as a keyframe to every client', () => {
  it('after a corrupt frame of a replayed trace', async () => {
    const logs: string[] = [];
    const source = createReplaySource(corruptTrace, { log: (l) => logs.push(l), nowMs });
    const out = await throughBus(source, FRAMES - 1);
    const byFrame = new Map(out.map((f) => [f.frameIndex, f]));
    expect([...byFrame.keys()]).toEqual([0, 1, 2, 3, 5, 6, 7, 8, 9]);
    expect(logs.some((l) => l.includes(`skipping frame ${BAD_FRAME}`))).toBe(true);
    const kindFor2 = (k: number) => byFrame.get(k)!.messageFor(2)!.kind;
    expect(kindFor2(BAD_FRAME - 1)).toBe(FRAME_DELTA);
    for (const held of HELD)
      expect(byFrame.get(BAD_FRAME + 1)!.messageFor(held)!.kind).toBe(FRAME_KEY);
    expect(kindFor2(BAD_FRAME + 2)).toBe(FRAME_DELTA);
    // Nothing prepared went stale: the read-ahead could not read the bad frame either.
    expect(source.readAhead.dropped).toBe(0);
  });

  it('for the first frame of a live run, whatever deltas its worker made', () => {
    const encoder = new FrameEncoder(WIDTH, HEIGHT);
    const encodings = frames.map((phases) => encoder.encode(phases));
    const own = new Uint16Array(frames[5]!);
    const { message } = liveWorkerFrame(5, PRODUCED_AT_MS, own, encodings[5]!);
    expect(message.delta).not.toBeNull();
    for (const held of HELD) {
      expect(liveSourceFrame(message, true).forms.frameFor(held)!.kind).toBe(FRAME_KEY);
    }
    expect(liveSourceFrame(message, false).forms.frameFor(2)!.kind).toBe(FRAME_DELTA);
  });
});

describe('a live frame carries the forms its worker was asked for', () => {
  it("always the followers' delta; the keyframe and the catch-up delta when asked", () => {
    const encoder = new FrameEncoder(WIDTH, HEIGHT);
    const encodings = frames.map((phases) => encoder.encode(phases));
    const own = () => new Uint16Array(frames[5]!);
    const plain = liveWorkerFrame(5, PRODUCED_AT_MS, own(), encodings[5]!, {
      key: false,
      catchUp: false,
    }).message;
    expect([plain.delta?.order, plain.key, plain.catchUp]).toEqual([2, null, null]);
    let asked = 0;
    const forms = liveSourceFrame(plain, false, () => (asked += 1)).forms;
    expect(forms.frameFor(2)).toBe(plain.delta);
    // A joiner (0 frames) and a client holding 1 get nothing from this frame, and ask.
    expect(forms.frameFor(0)).toBeNull();
    expect(forms.frameFor(1)).toBeNull();
    expect(asked).toBe(2);
    const asked0 = liveWorkerFrame(5, PRODUCED_AT_MS, own(), encodings[5]!, {
      key: true,
      catchUp: true,
    }).message;
    const full = liveSourceFrame(asked0, false).forms;
    expect(full.frameFor(0)).toEqual(encodings[5]!.key);
    expect(full.frameFor(1)).toEqual(encodings[5]!.deltaOfOrder(1));
    expect(full.frameFor(2)).toEqual(encodings[5]!.delta);
    // Without a delta (a run's first frame) the keyframe is made unasked: followers need it.
    const firstOfRun = new FrameEncoder(WIDTH, HEIGHT).encode(frames[0]!);
    const opening = liveWorkerFrame(0, PRODUCED_AT_MS, new Uint16Array(frames[0]!), firstOfRun, {
      key: false,
      catchUp: false,
    }).message;
    expect(opening.key).toEqual(firstOfRun.key);
  });
});

describe('the replay cursor', () => {
  function cursorOn(source: TraceFile | null, logs: string[] = []): ReplayCursor {
    return createReplayCursor({
      width: WIDTH,
      height: HEIGHT,
      frameCount: source ? FRAMES : 0,
      readFrame: source ? (k) => source.readFrame(k) : null,
      log: (l) => logs.push(l),
      nowMs,
    });
  }

  type Step =
    | { control: PlaybackControl; playback: { live: boolean; frame: number; playing: boolean } }
    | { send: 'now' | 'tick'; frame: number | null; seq?: number; kindFor2?: 0 | 1 };

  // The session's calls in order: a control, then the immediate send; stream ticks between.
  const steps: Step[] = [
    { control: { action: 'seek', frame: 3 }, playback: { live: false, frame: 3, playing: true } },
    { send: 'now', frame: 3, seq: 1, kindFor2: FRAME_KEY },
    { send: 'tick', frame: 4, seq: 2, kindFor2: FRAME_DELTA },
    { send: 'tick', frame: 5, seq: 3, kindFor2: FRAME_DELTA },
    // A new epoch: seq from 1 and a keyframe, although the client held frames.
    { control: { action: 'pause' }, playback: { live: false, frame: 5, playing: false } },
    { send: 'now', frame: 5, seq: 1, kindFor2: FRAME_KEY },
    { send: 'tick', frame: null },
    { send: 'tick', frame: null },
    { control: { action: 'step', delta: 1 }, playback: { live: false, frame: 6, playing: false } },
    { send: 'now', frame: 6, seq: 1, kindFor2: FRAME_KEY },
    { send: 'tick', frame: null },
    { control: { action: 'play' }, playback: { live: false, frame: 6, playing: true } },
    { send: 'now', frame: 6, seq: 1, kindFor2: FRAME_KEY },
    { send: 'tick', frame: 7, seq: 2, kindFor2: FRAME_DELTA },
    { control: { action: 'live' }, playback: { live: true, frame: 8, playing: true } },
  ];

  it('numbers its frames in epochs that start at each playback message', () => {
    const cursor = cursorOn(trace);
    expect(cursor.following).toBe(true);
    // What the codec makes of the epoch's frames in order: the cursor's history is its epoch's.
    let epoch = new FrameEncoder(WIDTH, HEIGHT);
    steps.forEach((step, i) => {
      const at = `step ${i}`;
      if ('control' in step) {
        expect(cursor.control(step.control, 8), at).toMatchObject(step.playback);
        expect(cursor.following, at).toBe(step.playback.live);
        epoch = new FrameEncoder(WIDTH, HEIGHT);
        return;
      }
      const frameIndex = step.send === 'now' ? cursor.frameIndex : cursor.tick();
      expect(frameIndex, at).toBe(step.frame);
      if (frameIndex === null) return;
      const frame = cursor.frameAt(frameIndex)!;
      const message = frame.messageFor(2)!;
      expect([frame.seq, frame.frameIndex, message.kind], at).toEqual([
        step.seq,
        step.frame,
        step.kindFor2,
      ]);
      const expected = epoch.encode(frames[frameIndex]!).frameFor(2);
      expect(message.bytes, at).toEqual(messageOf(step.seq!, frameIndex, expected));
    });
  });

  it('skips a frame it cannot read, logs it once, and goes on when it moves', () => {
    const logs: string[] = [];
    const cursor = cursorOn(corruptTrace, logs);
    cursor.control({ action: 'seek', frame: BAD_FRAME }, 0);
    cursor.control({ action: 'pause' }, 0);
    expect(cursor.frameAt(cursor.frameIndex)).toBeNull();
    expect(cursor.tick()).toBeNull();
    expect(logs.filter((l) => l.includes('not sent to a seeking client'))).toHaveLength(1);
    cursor.control({ action: 'step', delta: 1 }, 0);
    const next = cursor.frameAt(cursor.frameIndex)!;
    expect([next.seq, next.frameIndex, next.messageFor(2)!.kind]).toEqual([
      1,
      BAD_FRAME + 1,
      FRAME_KEY,
    ]);
  });

  it('on a live stream only pauses, with nothing to send while paused', () => {
    const cursor = cursorOn(null);
    expect(cursor.control({ action: 'seek', frame: 2 }, 40)).toMatchObject({
      live: true,
      notice: 'seek is not available on a live stream',
    });
    expect(cursor.control({ action: 'pause' }, 40)).toMatchObject({ live: false, frame: 40 });
    expect(cursor.tick()).toBe(40);
    expect(cursor.frameAt(40)).toBeNull();
  });
});
