// Messages between the stream worker (WebSocket, decoding) and the page.
import type { PlaybackMessage, StreamInfo } from '../../core/wire/envelope';
import type { PlaybackControl } from '../../core/wire/playback';

export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed';

export type ToWorker =
  | { type: 'connect'; url: string; token: string | null }
  | { type: 'disconnect' }
  | { type: 'resync'; reason: string }
  | { type: 'control'; control: PlaybackControl };

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
  /** Produced on the server to decoded here, clock-offset corrected; null before the first pong. */
  latencyMs: number | null;
  /** Time from message arrival to decoded frame, in the worker. */
  decodeMs: number;
  /** Wire size of the frame message. */
  wireBytes: number;
  /** Order parameter R of this frame, in [0, 1] (src/core/metrics.ts), computed in the worker. */
  orderR: number;
  /** Mean phase psi of this frame, in [0, 2*pi) radians. */
  psiRad: number;
  /** Vortices (positive + negative) of this frame. */
  vortices: number;
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
  | { type: 'playback'; playback: Omit<PlaybackMessage, 't'> }
  | WorkerFrame
  | { type: 'fault'; message: string };
