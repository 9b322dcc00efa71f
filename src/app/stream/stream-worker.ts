/// <reference lib="webworker" />
// The stream worker: owns the WebSocket, decodes and checks frames off the main thread, and
// transfers each decoded frame to the page. Reconnects with exponential back-off and jitter.
import {
  SUBPROTOCOL,
  WireError,
  decodeServerMessage,
  encodeMessage,
  type StreamInfo,
} from '../../core/wire/envelope';
import { FrameFault, createStreamFrameDecoder, type StreamFrameDecoder } from './frame-decoder';
import type { ConnectionState, FromWorker, ToWorker, WorkerFrame } from './worker-messages';

declare const self: DedicatedWorkerGlobalScope;

const BACKOFF_BASE_MS = 250;
const BACKOFF_MAX_MS = 5000;

let url: string | null = null;
let socket: WebSocket | null = null;
let attempt = 0;
let retryTimer: ReturnType<typeof setTimeout> | undefined;
let stream: StreamInfo | null = null;
let decoder: StreamFrameDecoder | null = null;

function post(message: FromWorker, transfer: Transferable[] = []): void {
  self.postMessage(message, transfer);
}

function status(state: ConnectionState, retryInMs: number | null, reason: string | null): void {
  post({ type: 'status', state, attempt, retryInMs, reason });
}

function wallClockMs(): number {
  return performance.timeOrigin + performance.now();
}

function scheduleReconnect(reason: string): void {
  if (url === null) return;
  attempt += 1;
  const ceilingMs = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** (attempt - 1));
  const delayMs = Math.round(ceilingMs * (0.5 + Math.random() * 0.5));
  status('reconnecting', delayMs, reason);
  retryTimer = setTimeout(connect, delayMs);
}

function onMessage(event: MessageEvent<ArrayBuffer>): void {
  const arrivedMs = performance.now();
  const bytes = new Uint8Array(event.data);
  let message;
  try {
    message = decodeServerMessage(bytes);
  } catch (error) {
    post({ type: 'fault', message: (error as Error).message });
    return;
  }
  switch (message.t) {
    case 'hello':
      stream = message.stream;
      decoder = createStreamFrameDecoder(message.stream);
      attempt = 0;
      post({ type: 'hello', stream: message.stream, serverTimeMs: message.serverTimeMs });
      status('open', null, null);
      return;
    case 'frame': {
      if (!stream || !decoder) {
        post({ type: 'fault', message: '[wire] frame before hello' });
        return;
      }
      let phases: Uint16Array;
      try {
        phases = decoder.decode(message);
      } catch (error) {
        if (!(error instanceof FrameFault || error instanceof WireError)) throw error;
        // A frame that fails its checks is never drawn; ask for a keyframe instead.
        post({ type: 'fault', message: error.message });
        decoder.reset();
        socket?.send(encodeMessage({ t: 'resync', reason: error.message.slice(0, 200) }));
        return;
      }
      const frame: WorkerFrame = {
        type: 'frame',
        seq: message.seq,
        frameIndex: message.fi,
        width: stream.width,
        height: stream.height,
        phases,
        producedAtMs: message.producedAtMs,
        decodedAtMs: wallClockMs(),
        decodeMs: performance.now() - arrivedMs,
        wireBytes: bytes.byteLength,
      };
      post(frame, [phases.buffer]);
      return;
    }
    case 'error':
      post({ type: 'fault', message: `server error ${message.code}: ${message.message}` });
      return;
    case 'pong':
      return;
  }
}

function connect(): void {
  if (url === null) return;
  status(attempt === 0 ? 'connecting' : 'reconnecting', null, null);
  const ws = new WebSocket(url, [SUBPROTOCOL]);
  ws.binaryType = 'arraybuffer';
  socket = ws;
  ws.onmessage = onMessage;
  ws.onclose = (event) => {
    if (socket !== ws) return;
    socket = null;
    stream = null;
    decoder = null;
    const reason =
      event.reason || (event.code === 1006 ? 'connection lost' : `closed with code ${event.code}`);
    scheduleReconnect(reason);
  };
}

self.onmessage = (event: MessageEvent<ToWorker>) => {
  const command = event.data;
  switch (command.type) {
    case 'connect':
      url = command.url;
      attempt = 0;
      clearTimeout(retryTimer);
      socket?.close(1000, 'reconnecting');
      socket = null;
      connect();
      break;
    case 'disconnect':
      url = null;
      clearTimeout(retryTimer);
      socket?.close(1000, 'client closed');
      socket = null;
      status('closed', null, 'closed by the page');
      break;
    case 'resync':
      decoder?.reset();
      socket?.send(encodeMessage({ t: 'resync', reason: command.reason }));
      break;
  }
};
