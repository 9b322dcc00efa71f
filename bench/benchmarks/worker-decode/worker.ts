/// <reference lib="webworker" />
// The worker-decode bench's worker: makes a live lattice's stream as a following client receives
// it (keyframe, order-1 delta, then order-2 deltas, as frame messages with their CRC), then times
// what the stream worker does with each message from its arrival to the checked frame
// (StreamDecoder.accept: msgpack, validation, decode, CRC). Frames are made before any timing.
// With buffers=reused, each frame's buffer is handed back once as many later frames have come as
// the page holds at most (the ring, the frame on screen, the cursor), as the page hands them back.
import { crc32 } from '../../../src/core/crc32';
import { encodeMessage } from '../../../src/core/wire/envelope';
import { FrameEncoder } from '../../../src/core/wire/frame-codec';
import { StreamDecoder } from '../../../src/core/wire/stream-decoder';
import { createLiveLattice } from '../../../src/sim/live-lattice';
import type { WorkerDecodeRequest, WorkerDecodeTimes } from './page';

declare const self: DedicatedWorkerGlobalScope;

/** Frames the page holds at most before it hands the oldest back: ring, on screen, cursor. */
const PAGE_HOLDS = 10;

/** The stream's messages: hello, then one frame message per lattice frame. */
function makeMessages(width: number, height: number, frames: number): Uint8Array[] {
  const lattice = createLiveLattice({ width, height, seed: 7n });
  const encoder = new FrameEncoder(width, height);
  const stream = { tenant: 'bench', width, height, frameCount: 0, intervalUs: 16_667 };
  const messages = [
    encodeMessage({ t: 'hello', v: 1, stream: { ...stream, source: 'live' }, serverTimeMs: 0 }),
  ];
  for (let k = 0; k < frames; k++) {
    if (k > 0) lattice.advanceFrame();
    const phases = new Uint16Array(width * height);
    lattice.quantizeInto(phases);
    const forms = encoder.encode(phases);
    const sent = forms.delta ?? forms.key;
    const crc = crc32(new Uint8Array(phases.buffer));
    messages.push(
      encodeMessage({
        t: 'frame',
        seq: k,
        fi: k,
        kind: sent.kind,
        order: sent.order,
        crc,
        producedAtMs: 0,
        data: sent.payload,
      }),
    );
  }
  return messages;
}

self.onmessage = (event: MessageEvent<WorkerDecodeRequest>) => {
  const { width, height, frames, passes, batch, buffers } = event.data;
  try {
    const messages = makeMessages(width, height, frames);
    const decoder = new StreamDecoder();
    const batchMs: number[] = [];
    const held: Uint16Array[] = [];
    let faults = 0;
    // Each pass replays the stream from its hello; the first pass warms the JIT and is not kept.
    for (let pass = 0; pass <= passes; pass++) {
      let timed = 0;
      let batchStart = 0;
      let inBatch = 0;
      for (const message of messages) {
        // A socket hands the worker a fresh ArrayBuffer per message.
        const bytes = new Uint8Array(message.slice().buffer);
        const start = performance.now();
        const result = decoder.accept(bytes, start);
        const end = performance.now();
        if (result.type === 'fault') faults += 1;
        if (result.type !== 'frame') continue;
        // The page's side, not timed: it holds the frame, and hands the oldest back.
        if (buffers === 'reused') {
          held.push(result.frame.phases);
          if (held.length > PAGE_HOLDS) decoder.recycle(held.shift()!);
        }
        if (pass === 0) continue;
        // Batches, not single frames: a page's clock is coarse (0.1 ms in Chromium without
        // cross-origin isolation), and the fastest batch says what a frame costs when the
        // thread was not kept waiting for a core.
        timed += end - start;
        inBatch += 1;
        if (inBatch === batch) {
          batchMs.push((timed - batchStart) / batch);
          batchStart = timed;
          inBatch = 0;
        }
      }
    }
    const reply: WorkerDecodeTimes = { batchMs, faults, buffersReused: decoder.buffersReused };
    self.postMessage(reply);
  } catch (error) {
    self.postMessage({ error: error instanceof Error ? error.message : String(error) });
  }
};
