// Messages between the stream worker (WebSocket, decoding) and the page.
import type { StreamInfo } from '../../core/wire/envelope';

export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed';

export type ToWorker =
  { type: 'connect'; url: string } | { type: 'disconnect' } | { type: 'resync'; reason: string };

export interface WorkerFrame {
  type: 'frame';
  seq: number;
  frameIndex: number;
  width: number;
  height: number;
  /** Transferred from the worker: the page owns it. */
  phases: Uint16Array;
  producedAtMs: number;
  /** Wall clock when the worker finished decoding, in ms since the epoch. */
  decodedAtMs: number;
  /** Time from message arrival to decoded frame, in the worker. */
  decodeMs: number;
  /** Wire size of the frame message. */
  wireBytes: number;
}

export type FromWorker =
  | {
      type: 'status';
      state: ConnectionState;
      attempt: number;
      retryInMs: number | null;
      reason: string | null;
    }
  | { type: 'hello'; stream: StreamInfo; serverTimeMs: number }
  | WorkerFrame
  | { type: 'fault'; message: string };
