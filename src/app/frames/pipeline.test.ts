// The frame pipeline puts each frame's production moment on the page's clock, from what the
// stream worker measured: the start of the produced-to-pixels latency.
import { describe, expect, it } from 'vitest';
import { FramePipeline } from './pipeline';
import type { WorkerFrame } from './worker-messages';

/** The page clock's zero, as an epoch time (performance.timeOrigin). */
const ORIGIN_MS = 1_700_000_000_000;

function workerFrame(decodedAtMs: number, latencyMs: number | null): WorkerFrame {
  return {
    type: 'frame',
    seq: 1,
    frameIndex: 0,
    width: 2,
    height: 1,
    phases: new Uint16Array(2),
    crc: 0,
    producedAtMs: 5_000_000, // the server's clock: not the page's, only the latency relates them
    decodedAtMs,
    latencyMs,
    decodeMs: 0.4,
    wireBytes: 40,
    orderR: 1,
    psiRad: 0,
    vortices: 0,
  };
}

describe('frame pipeline', () => {
  const noAnimation = { request: () => 0, cancel: () => {} };

  it('places a frame produced latencyMs before its decode on the page clock', () => {
    const pipeline = new FramePipeline(noAnimation, () => 1234, ORIGIN_MS);
    pipeline.accept(workerFrame(ORIGIN_MS + 1200, 3.5));
    expect(pipeline.frames.latest?.producedAtPageMs).toBeCloseTo(1196.5, 6);
  });

  it('leaves the production moment unknown until the worker knows the clock offset', () => {
    const pipeline = new FramePipeline(noAnimation, () => 1234, ORIGIN_MS);
    pipeline.accept(workerFrame(ORIGIN_MS + 1200, null));
    expect(pipeline.frames.latest?.producedAtPageMs).toBeNull();
  });
});
