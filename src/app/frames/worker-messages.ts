// Messages between the stream worker (WebSocket, decoding) and the page.
import type { PlaybackMessage, StreamInfo } from '../../core/wire/envelope';
import type { PlaybackControl } from '../../core/wire/playback';
import type { DecodedFrame } from '../../core/wire/stream-decoder';
import type { ConnectionState, Refusal } from '../state/ui-store';

export type ToWorker =
  | { type: 'connect'; url: string; token: string | null }
  | { type: 'disconnect' }
  | { type: 'resync'; reason: string }
  | { type: 'control'; control: PlaybackControl }
  /**
   * A frame's phases buffer that nothing on the page reads any more, transferred back for the
   * worker to decode a later frame into (frame-store.ts says when a frame is released).
   */
  | { type: 'recycle'; buffer: ArrayBuffer };

/**
 * A decoded frame (its `phases` transferred: the page owns them until it hands the buffer back
 * with a `recycle` message), with what the worker measured.
 */
export interface WorkerFrame extends Omit<DecodedFrame, 'kind'> {
  type: 'frame';
  /** Wall clock when the worker finished decoding, in ms since the epoch. */
  decodedAtMs: number;
  /** Produced on the server to decoded here, clock-offset corrected; null before the first pong. */
  latencyMs: number | null;
  /** Time from message arrival to decoded frame, in the worker. */
  decodeMs: number;
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
      /** Set when the server refused the stream for a reason a retry cannot fix. */
      refusal: Refusal | null;
    }
  | { type: 'hello'; stream: StreamInfo; serverTimeMs: number }
  | { type: 'playback'; playback: Omit<PlaybackMessage, 't'> }
  | WorkerFrame
  | { type: 'fault'; message: string };
