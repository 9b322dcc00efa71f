import { readFileSync, readdirSync } from 'node:fs';
import { getPriority as osPriority } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { crc32 } from '../../core/crc32';
import { wallClockMs } from '../../core/wall-clock';
import { FRAME_DELTA, FRAME_KEY, FrameDecoder } from '../../core/wire/frame-codec';
import { decodeServerMessage, type FrameMessage } from '../../core/wire/envelope';
import { createLiveLattice } from '../../sim/live-lattice';
import { createStreamBus } from './bus';
import {
  LIVE_MAX_IN_FLIGHT,
  LIVE_WORKER_NICENESS,
  createLiveSource,
  type LiveSource,
} from './live-source';
import type { SourceFrame } from './source';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let source: LiveSource | undefined;
afterEach(() => source?.stop());

describe('the live source', () => {
  it('runs the simulator in a worker thread on a 60 frames/s clock and stops when told', async () => {
    source = createLiveSource({ tenant: 't', width: 64, height: 48, seed: 5, log: () => {} });
    expect(source.info).toEqual({
      width: 64,
      height: 48,
      frameCount: 0,
      intervalUs: 16667,
      source: 'live',
    });
    const frames: SourceFrame[] = [];
    source.start((f) => frames.push(f));
    expect(source.running).toBe(true);
    const deadline = Date.now() + 10_000;
    while (frames.length < 30 && Date.now() < deadline) await sleep(20);
    expect(frames.length).toBeGreaterThanOrEqual(30);
    // Paced by its clock, never faster, however loaded the machine: the ticker skips the ticks it
    // missed and catches up at most one, so k frames after frame 0 take more than k - 2 intervals
    // (less a timer's 2 ms of earliness). How close to 60/s a machine gets is a benchmark's figure.
    const intervalMs = 16667 / 1000;
    for (const frame of frames) {
      const sinceFirstMs = frame.producedAtMs - frames[0]!.producedAtMs;
      const ticks = frame.frameIndex - frames[0]!.frameIndex;
      expect(sinceFirstMs).toBeGreaterThan((ticks - 2) * intervalMs - 2);
    }
    // A run's first frame is a keyframe even to a client holding frames; deltas follow it.
    for (const held of [0, 1, 2]) expect(frames[0]!.forms.frameFor(held)!.kind).toBe(FRAME_KEY);
    expect(frames[1]!.forms.frameFor(2)!.kind).toBe(FRAME_DELTA);
    // Frame indices count the simulator's frames: strictly increasing.
    for (let i = 1; i < frames.length; i++) {
      expect(frames[i]!.frameIndex).toBeGreaterThan(frames[i - 1]!.frameIndex);
    }
    source.stop();
    expect(source.running).toBe(false);
    await sleep(100);
    const stoppedAt = frames.length;
    await sleep(300);
    expect(frames.length).toBe(stoppedAt);
  });

  it('produces the lattice of its seed, bit for bit, as frame 0', async () => {
    source = createLiveSource({ tenant: 't', width: 40, height: 30, seed: 77, log: () => {} });
    const frames: SourceFrame[] = [];
    source.start((f) => frames.push(f));
    const deadline = Date.now() + 10_000;
    while (frames.length < 1 && Date.now() < deadline) await sleep(20);
    const expected = new Uint16Array(40 * 30);
    createLiveLattice({
      width: 40,
      height: 30,
      seed: 77n,
      dtS: 1 / 120,
      stepsPerFrame: 2,
    }).quantizeInto(expected);
    expect(frames[0]!.frameIndex).toBe(0);
    expect(frames[0]!.phases).toEqual(expected);
  });

  it('feeds a bus whose keyframes, catch-up deltas and deltas all decode to the worker frames', async () => {
    source = createLiveSource({ tenant: 't', width: 48, height: 32, seed: 9, log: () => {} });
    const bus = createStreamBus('t', source);
    const decoder = new FrameDecoder(48, 32);
    const kinds: string[] = [];
    let held = 0;
    let bad = 0;
    let count = 0;
    let first: Uint16Array | undefined;
    // Frames skipped because the frame lacked the form the client needed, per loss of history.
    let waiting = 0;
    const waits: number[] = [];
    const unsubscribe = bus.subscribe({
      deliver(frame) {
        count += 1;
        // Every 10th frame the client "loses" its history, as after a back-off skip.
        if (count % 10 === 0) held = 0;
        const sent = frame.messageFor(held);
        if (!sent) {
          // The worker makes keyframes on request: skip, as the client session does, and wait.
          held = 0;
          waiting += 1;
          return;
        }
        if (waiting > 0) waits.push(waiting);
        waiting = 0;
        held = sent.heldAfter;
        const message = decodeServerMessage(sent.bytes) as FrameMessage;
        kinds.push(`${message.kind}/${message.order}`);
        const phases = decoder.decode(message.kind, message.order, message.data);
        if (
          crc32(new Uint8Array(phases.buffer, phases.byteOffset, phases.byteLength)) !== message.crc
        )
          bad += 1;
        first ??= phases.slice();
      },
    });
    bus.start();
    const deadline = Date.now() + 10_000;
    while (count < 60 && Date.now() < deadline) await sleep(20);
    unsubscribe();
    bus.stop();
    expect(count).toBeGreaterThanOrEqual(60);
    expect(bad).toBe(0);
    expect(new Set(kinds)).toEqual(new Set(['0/0', '1/1', '1/2']));
    // After each loss a keyframe came within a few frames: the request reached the worker, which
    // may have posted up to two frames (LIVE_MAX_IN_FLIGHT) before it read it.
    expect(waits.length).toBeGreaterThanOrEqual(4);
    for (const wait of waits) expect(wait).toBeLessThanOrEqual(LIVE_MAX_IN_FLIGHT + 1);
    // Right after a keyframe the catch-up delta was there: a keyframe is followed by order 1.
    kinds.forEach((kind, i) => {
      if (kind === '0/0' && i + 1 < kinds.length) expect(kinds[i + 1]).toBe('1/1');
    });
    const expected = new Uint16Array(48 * 32);
    createLiveLattice({ width: 48, height: 32, seed: 9n }).quantizeInto(expected);
    expect(first).toEqual(expected);
  });
});

describe('the live source under a blocked event loop', () => {
  it('keeps its clock: frames are made while the main thread is busy, and skipped, not queued', async () => {
    source = createLiveSource({ tenant: 't', width: 32, height: 32, seed: 1, log: () => {} });
    const frames: SourceFrame[] = [];
    source.start((f) => frames.push(f));
    const deadline = Date.now() + 10_000;
    while (frames.length < 3 && Date.now() < deadline) await sleep(20);
    // A second: long enough for the low-priority worker to run several ticks on a loaded machine.
    const blockedFromMs = wallClockMs();
    const until = performance.now() + 1000;
    while (performance.now() < until) {
      // Busy: no timer of this thread can run.
    }
    const blockedToMs = wallClockMs();
    const resumeBy = Date.now() + 10_000;
    while (!frames.some((f) => f.producedAtMs >= blockedToMs) && Date.now() < resumeBy) {
      await sleep(20);
    }
    const madeWhileBlocked = frames.filter(
      (f) => f.producedAtMs > blockedFromMs && f.producedAtMs < blockedToMs,
    );
    // The worker posts ahead of the event loop only LIVE_MAX_IN_FLIGHT frames, then skips.
    expect(madeWhileBlocked.length).toBeGreaterThanOrEqual(1);
    expect(madeWhileBlocked.length).toBeLessThanOrEqual(2);
    const after = frames.filter((f) => f.producedAtMs >= blockedToMs);
    expect(after.length).toBeGreaterThan(0);
    // The simulator went on while nothing was posted: the next frame index jumped over frames made
    // and not queued. (How far it jumped depends on how much CPU the loaded machine gave the
    // thread, so only the skipping is asserted.)
    expect(after[0]!.frameIndex - madeWhileBlocked.at(-1)!.frameIndex).toBeGreaterThan(1);
  });
});

describe.runIf(process.platform === 'linux')('the live worker thread', () => {
  /** Nice values of this process's threads, from /proc (field 19 of each task's stat). */
  function threadNiceValues(): number[] {
    return readdirSync('/proc/self/task').flatMap((tid) => {
      let stat: string;
      try {
        stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      } catch (error) {
        // A thread that ended between the listing and the read (an earlier worker) has no stat.
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw error;
      }
      // The command name may hold spaces; the fields after its closing parenthesis do not.
      return [Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16])];
    });
  }

  it('runs at a lower priority than the event loop, so other tenants come first', async () => {
    // Threads of earlier tests' workers end asynchronously after terminate().
    const quiet = Date.now() + 5000;
    while (threadNiceValues().includes(LIVE_WORKER_NICENESS) && Date.now() < quiet) await sleep(50);
    expect(threadNiceValues()).not.toContain(LIVE_WORKER_NICENESS);
    source = createLiveSource({ tenant: 't', width: 16, height: 16, seed: 1, log: () => {} });
    const frames: SourceFrame[] = [];
    source.start((f) => frames.push(f));
    const deadline = Date.now() + 10_000;
    while (frames.length < 2 && Date.now() < deadline) await sleep(20);
    expect(threadNiceValues()).toContain(LIVE_WORKER_NICENESS);
    expect(osPriority(0)).toBe(0);
  });
});
