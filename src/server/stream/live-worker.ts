// The live simulator's thread: advances the lattice on its own drift-free clock, quantizes each
// frame and encodes it (the follower delta; the keyframe when a client asked for one, and the
// order-1 catch-up delta on the frame after it: live-frame.ts), then posts the arrays with their
// buffers transferred. All the per-frame work of a live tenant happens
// here, so the server's event loop, which sends every other tenant's frames, never waits on it.
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { FrameEncoder } from '../../core/wire/frame-codec';
import { DEFAULT_LATTICE_PARAMS } from '../../sim/lattice';
import { createLiveLattice } from '../../sim/live-lattice';
import type { LiveParams } from '../../sim/live-params';
import { liveWorkerFrame, type LiveWorkerFrame } from './live-frame';
import { startTicker } from './ticker';
import { wallClockMs } from './source';

export interface LiveWorkerData {
  width: number;
  height: number;
  seed: number;
  params: LiveParams;
  intervalUs: number;
  /** Frames posted and not yet acknowledged beyond which the worker skips posting. */
  maxInFlight: number;
  /** Nice value of this thread (0 to 19): above the event loop's 0, so it yields the CPU first. */
  niceness: number;
}

export type FromLiveWorker = LiveWorkerFrame | { t: 'error'; message: string };
/** `key`: a client needs a keyframe; the next frame posted carries one. */
export type ToLiveWorker = { t: 'ack' } | { t: 'stop' } | { t: 'key' };

function run(port: NonNullable<typeof parentPort>, data: LiveWorkerData): void {
  // On Linux a nice value belongs to a thread, and pid 0 is the calling thread: when the cores
  // are busy, the simulator loses frames (it skips, it never queues) before the event loop that
  // sends every tenant's frames loses time. Elsewhere this may fail; the thread runs at 0 then.
  try {
    setPriority(0, data.niceness);
  } catch {
    // Not permitted or not supported: keep the default priority.
  }
  const frameIntervalS = data.intervalUs / 1e6;
  // As the trace generator does: simulated time runs at playback speed, with steps no longer
  // than the default one.
  const stepsPerFrame = Math.max(1, Math.ceil(frameIntervalS / DEFAULT_LATTICE_PARAMS.dtS - 1e-9));
  const lattice = createLiveLattice({
    ...data.params,
    width: data.width,
    height: data.height,
    seed: BigInt(data.seed),
    frameIntervalS,
    stepsPerFrame,
    dtS: frameIntervalS / stepsPerFrame,
  });
  const encoder = new FrameEncoder(data.width, data.height);
  let frameIndex = 0;
  let inFlight = 0;
  // A client asked for a keyframe; the frame after one carries the catch-up delta it needs next.
  let keyWanted = false;
  let keyPosted = false;

  const ticker = startTicker(data.intervalUs, () => {
    if (frameIndex > 0) lattice.advanceFrame();
    const index = frameIndex++;
    // Simulated time keeps pace with the clock; only the posting waits for the server.
    if (inFlight >= data.maxInFlight) return;
    const phases = new Uint16Array(data.width * data.height);
    lattice.quantizeInto(phases);
    const producedAtMs = wallClockMs();
    const encodeStartMs = performance.now();
    const { message, transfer } = liveWorkerFrame(
      index,
      producedAtMs,
      phases,
      encoder.encode(phases),
      { key: keyWanted, catchUp: keyPosted },
    );
    message.encodeMs = performance.now() - encodeStartMs;
    keyWanted = false;
    keyPosted = message.key !== null;
    inFlight += 1;
    port.postMessage(message, transfer);
  });

  port.on('message', (message: ToLiveWorker) => {
    if (message.t === 'ack') inFlight = Math.max(0, inFlight - 1);
    else if (message.t === 'key') keyWanted = true;
    else {
      ticker.stop();
      port.close();
    }
  });
}

if (parentPort) {
  try {
    run(parentPort, workerData as LiveWorkerData);
  } catch (error) {
    parentPort.postMessage({
      t: 'error',
      message: (error as Error).message,
    } satisfies FromLiveWorker);
  }
}
