// The worker-decode bench page: runs worker.ts in a dedicated worker, as the console's stream
// worker runs, and reports the decode time per frame on `window.workerDecode`.
// Query: ?width=W&height=H&frames=F&passes=P&batch=B&buffers=reused|new
import { percentile } from '../../../src/core/stats';
import { integerParam, publishResult } from '../../support/bench-page';
import type { BufferMode } from './buffer-mode';

const toMicroseconds = (ms: number): number => Math.round(ms * 1000) / 1000;

export interface WorkerDecodeRequest {
  width: number;
  height: number;
  frames: number;
  passes: number;
  batch: number;
  buffers: BufferMode;
}

export interface WorkerDecodeTimes {
  /** Mean decode time of a frame in each batch of `batch` consecutive frames, ms. */
  batchMs: number[];
  faults: number;
  /** Frames decoded into a buffer handed back (StreamDecoder.buffersReused). */
  buffersReused: number;
}

export interface WorkerDecodeResult extends WorkerDecodeRequest {
  spins: number;
  batches: number;
  /** Per batch of frames: the mean time a frame took, arrival to checked frame. */
  msPerFrame: { min: number; p50: number; p95: number };
  faults: number;
  buffersReused: number;
}

const params = new URLSearchParams(location.search);

publishResult('workerDecode', async (): Promise<WorkerDecodeResult> => {
  const request: WorkerDecodeRequest = {
    width: integerParam(params, 'width', 120, 4096),
    height: integerParam(params, 'height', 100, 4096),
    frames: integerParam(params, 'frames', 240, 10_000),
    passes: integerParam(params, 'passes', 3, 100),
    batch: integerParam(params, 'batch', 20, 1000),
    buffers: params.get('buffers') === 'new' ? 'new' : 'reused',
  };
  const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
  const reply = await new Promise<WorkerDecodeTimes | { error: string }>((resolve, reject) => {
    worker.onmessage = (event: MessageEvent<WorkerDecodeTimes | { error: string }>) =>
      resolve(event.data);
    worker.onerror = (event) => reject(new Error(`worker failed: ${event.message}`));
    worker.postMessage(request);
  });
  worker.terminate();
  if ('error' in reply) throw new Error(reply.error);
  if (reply.batchMs.length === 0) throw new Error('no batch of frames was timed');
  const ms = reply.batchMs;
  return {
    ...request,
    spins: request.width * request.height,
    batches: ms.length,
    msPerFrame: {
      min: toMicroseconds(Math.min(...ms)),
      p50: toMicroseconds(percentile(ms, 0.5)),
      p95: toMicroseconds(percentile(ms, 0.95)),
    },
    faults: reply.faults,
    buffersReused: reply.buffersReused,
  };
});
