// The per-client sender: takes the bus's shared bytes, and backs off when the client's socket is
// over its buffer budget (skips frames, then resyncs with a keyframe), so a slow client costs a
// bounded amount of memory and never slows the others.
import {
  CLOSE,
  WireError,
  decodeClientMessage,
  encodeMessage,
  type ClientMessage,
} from '../../core/wire/envelope';
import type { StreamMetrics } from '../metrics';
import type { StreamBus } from './bus';
import type { OutgoingFrame } from './frame-messages';
import { wallClockMs } from './source';

export interface SocketLike {
  readonly bufferedAmount: number;
  send(bytes: Uint8Array): void;
  close(code: number, reason: string): void;
}

export interface ClientSession {
  handleMessage(bytes: Uint8Array): void;
  close(): void;
  readonly framesSent: number;
  readonly framesSkipped: number;
}

export interface ClientSessionOptions {
  socket: SocketLike;
  bus: StreamBus;
  budgetBytes: number;
  metrics: StreamMetrics;
  onProtocolError: (reason: string) => void;
}

export function createClientSession(options: ClientSessionOptions): ClientSession {
  const { socket, bus, budgetBytes, metrics } = options;
  // Consecutive decoded frames the client holds, as far as this sender knows; 0 forces a keyframe.
  let held = 0;
  let framesSent = 0;
  let framesSkipped = 0;
  let closed = false;

  const send = (frame: OutgoingFrame): void => {
    const { bytes, heldAfter } = frame.messageFor(held);
    socket.send(bytes);
    held = heldAfter;
    framesSent += 1;
    metrics.frameSent(bytes.byteLength, frame.rawBytes);
  };

  const unsubscribe = bus.subscribe({
    deliver(frame) {
      if (closed) return;
      if (socket.bufferedAmount > budgetBytes) {
        if (held > 0) metrics.resync();
        held = 0;
        framesSkipped += 1;
        metrics.frameSkipped();
        return;
      }
      send(frame);
    },
  });
  metrics.clientConnected();

  const handle = (message: ClientMessage): void => {
    switch (message.t) {
      case 'ping':
        socket.send(
          encodeMessage({
            t: 'pong',
            id: message.id,
            clientTimeMs: message.clientTimeMs,
            serverTimeMs: wallClockMs(),
          }),
        );
        break;
      case 'resync': {
        held = 0;
        metrics.resync();
        const latest = bus.latest;
        if (latest && socket.bufferedAmount <= budgetBytes) send(latest);
        break;
      }
    }
  };

  const session: ClientSession = {
    handleMessage(bytes) {
      if (closed) return;
      try {
        handle(decodeClientMessage(bytes));
      } catch (error) {
        if (!(error instanceof WireError)) throw error;
        options.onProtocolError(error.message);
        socket.send(encodeMessage({ t: 'error', code: 'bad_message', message: error.message }));
        socket.close(CLOSE.badMessage, error.message.slice(0, 120));
        session.close();
      }
    },
    close() {
      if (closed) return;
      closed = true;
      unsubscribe();
      metrics.clientDisconnected();
    },
    get framesSent() {
      return framesSent;
    },
    get framesSkipped() {
      return framesSkipped;
    },
  };
  return session;
}
