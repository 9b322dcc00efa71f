// A live tenant's frames: the lattice simulator runs in a worker thread (live-worker.ts) on its
// own 60 frames/s clock and encodes each frame there; this side hands each frame to the bus with
// the worker's encodings as its forms (live-frame.ts), which costs a copy, not an encode, and
// asks the worker for a keyframe when a client needs one that a frame lacks. Each
// start runs the simulator afresh from its seed; stop ends the thread, so an unwatched tenant
// costs nothing.
import { Worker } from 'node:worker_threads';
import type { LiveParams } from '../../sim/live-params';
import { liveSourceFrame } from './live-frame';
import type { FromLiveWorker, LiveWorkerData, ToLiveWorker } from './live-worker';
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
  /** Each frame's encode time on the simulator's thread, in ms (codec_encode_cpu_seconds). */
  onEncodeMs?: (ms: number) => void;
}

export interface LiveSource extends FrameSource {
  /** Whether a worker thread is running now. */
  readonly running: boolean;
}

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
      // One request per frame, however many clients joined on it.
      let keyAskedAt = -1;
      w.on('message', (message: FromLiveWorker) => {
        if (message.t === 'error') {
          options.log(`[live] ${options.tenant}: simulator failed: ${message.message}`);
          stopWorker();
          return;
        }
        const wantKey = (): void => {
          if (keyAskedAt === message.frameIndex) return;
          keyAskedAt = message.frameIndex;
          worker?.postMessage({ t: 'key' } satisfies ToLiveWorker);
        };
        options.onEncodeMs?.(message.encodeMs);
        onFrame(liveSourceFrame(message, first, wantKey));
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
  };
}
