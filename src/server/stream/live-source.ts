// A live tenant's frames: the lattice simulator runs in a worker thread (live-worker.ts) on its
// own 60 frames/s clock and encodes each frame there; this side hands the frames to the bus and
// packs the worker's encodings into messages, which costs a copy, not an encode. Each start runs
// the simulator afresh from its seed; stop ends the thread, so an unwatched tenant costs nothing.
import { Worker } from 'node:worker_threads';
import type { LiveParams } from '../../sim/live-params';
import { outgoingFrame, type OutgoingFrame, type StreamEncoder } from './frame-messages';
import type { FromLiveWorker, LiveWorkerData, LiveWorkerFrame, ToLiveWorker } from './live-worker';
import type { FrameSource, SourceInfo } from './source';

export const LIVE_INTERVAL_US = 16667;
/** Frames the worker may have posted ahead of the event loop; more are skipped, not queued. */
export const LIVE_MAX_IN_FLIGHT = 2;
/** The simulator thread's nice value: other tenants' frames come first when cores are short. */
export const LIVE_WORKER_NICENESS = 10;

export interface LiveSourceOptions {
  tenant: string;
  width: number;
  height: number;
  seed: number;
  params?: LiveParams;
  intervalUs?: number;
  log: (line: string) => void;
}

export interface LiveSource extends FrameSource {
  /** The encoder for this source's bus: it packs the encodings the worker made. */
  createEncoder(): StreamEncoder;
  /** Whether a worker thread is running now. */
  readonly running: boolean;
}

type Encodings = Pick<LiveWorkerFrame, 'crc' | 'delta' | 'catchUp' | 'key'>;

const WORKER_URL = new URL('./live-worker.mjs', import.meta.url);

export function createLiveSource(options: LiveSourceOptions): LiveSource {
  const intervalUs = options.intervalUs ?? LIVE_INTERVAL_US;
  const info: SourceInfo = {
    width: options.width,
    height: options.height,
    frameCount: 0,
    intervalUs,
    source: 'live',
  };
  // The bus passes the source's frame object to the encoder as is; the phases array is the key.
  const encodings = new WeakMap<Uint16Array, Encodings>();
  let worker: Worker | undefined;

  const stopWorker = (): void => {
    if (!worker) return;
    const w = worker;
    worker = undefined;
    w.removeAllListeners('message');
    w.postMessage({ t: 'stop' } satisfies ToLiveWorker);
    void w.terminate();
  };

  return {
    info,
    get running() {
      return worker !== undefined;
    },
    start(onFrame) {
      if (worker) return;
      const data: LiveWorkerData = {
        width: options.width,
        height: options.height,
        seed: options.seed,
        params: options.params ?? {},
        intervalUs,
        maxInFlight: LIVE_MAX_IN_FLIGHT,
        niceness: LIVE_WORKER_NICENESS,
      };
      const w = new Worker(WORKER_URL, { workerData: data, name: `live:${options.tenant}` });
      worker = w;
      let first = true;
      w.on('message', (message: FromLiveWorker) => {
        if (message.t === 'error') {
          options.log(`[live] ${options.tenant}: simulator failed: ${message.message}`);
          stopWorker();
          return;
        }
        const { frameIndex, producedAtMs, phases, crc, delta, catchUp, key } = message;
        encodings.set(phases, { crc, delta, catchUp, key });
        onFrame({ frameIndex, producedAtMs, phases, discontinuity: first });
        first = false;
        worker?.postMessage({ t: 'ack' } satisfies ToLiveWorker);
      });
      w.on('error', (error) => {
        options.log(`[live] ${options.tenant}: worker error: ${error.message}`);
        if (worker === w) worker = undefined;
      });
      w.on('exit', (code) => {
        if (worker === w) {
          options.log(`[live] ${options.tenant}: worker exited with code ${code}`);
          worker = undefined;
        }
      });
    },
    stop: stopWorker,
    createEncoder: () => createLiveEncoder(encodings),
  };
}

function createLiveEncoder(encodings: WeakMap<Uint16Array, Encodings>): StreamEncoder {
  // After a reset, the deltas the worker made still refer to frames no client may hold.
  let forceKey = false;
  return {
    encode(frame, seq): OutgoingFrame {
      const made = encodings.get(frame.phases);
      if (!made) throw new Error('[live] a frame reached the live encoder without its encodings');
      const { crc, key } = made;
      const delta = forceKey ? null : made.delta;
      const catchUp = forceKey ? null : made.catchUp;
      forceKey = false;
      // As FrameEncoding.frameFor: the best delta the client's history allows, else the key.
      return outgoingFrame(
        frame,
        seq,
        crc,
        (held) =>
          (delta && held >= delta.order ? delta : null) ??
          (held >= 1 ? (delta?.order === 1 ? delta : catchUp) : null) ??
          key,
      );
    },
    reset() {
      forceKey = true;
    },
  };
}
