/// <reference lib="webworker" />
// The stream worker: owns the WebSocket, decodes and checks frames off the main thread, and
// transfers each decoded frame to the page. Reconnects with exponential back-off and jitter.
import { CLOSE, SUBPROTOCOL, encodeMessage } from '../../core/wire/envelope';
import { StreamDecoder } from '../../core/wire/stream-decoder';
import { orderParameter, vortexCount } from '../../core/metrics';
import type { ConnectionState, FromWorker, ToWorker, WorkerFrame } from './worker-messages';

declare const self: DedicatedWorkerGlobalScope;

const BACKOFF_BASE_MS = 250;
const BACKOFF_MAX_MS = 5000;

let url: string | null = null;
let socket: WebSocket | null = null;
let attempt = 0;
let retryTimer: ReturnType<typeof setTimeout> | undefined;
const decoder = new StreamDecoder();

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
  const result = decoder.accept(new Uint8Array(event.data), arrivedMs);
  switch (result.type) {
    case 'hello':
      attempt = 0;
      post({
        type: 'hello',
        stream: result.message.stream,
        serverTimeMs: result.message.serverTimeMs,
      });
      status('open', null, null);
      return;
    case 'frame': {
      const f = result.frame;
      const decodedAtMs = wallClockMs();
      const decodeMs = performance.now() - arrivedMs;
      // Phase metrics here, after the decode is timed, so the page's thread pays nothing for them.
      const order = orderParameter(f.phases);
      const frame: WorkerFrame = {
        type: 'frame',
        seq: f.seq,
        frameIndex: f.frameIndex,
        width: f.width,
        height: f.height,
        phases: f.phases,
        producedAtMs: f.producedAtMs,
        decodedAtMs,
        decodeMs,
        wireBytes: f.wireBytes,
        orderR: order.r,
        psiRad: order.psiRad,
        vortices: vortexCount(f.phases, f.width, f.height).total,
      };
      post(frame, [f.phases.buffer]);
      return;
    }
    case 'fault':
      // A frame that fails its checks is never drawn; a keyframe is requested instead.
      post({ type: 'fault', message: result.message });
      if (result.resync) {
        socket?.send(encodeMessage({ t: 'resync', reason: result.message.slice(0, 200) }));
      }
      return;
    case 'server-error':
      post({
        type: 'fault',
        message: `server error ${result.message.code}: ${result.message.message}`,
      });
      return;
    case 'playback': {
      const m = result.message;
      post({
        type: 'playback',
        playback: {
          live: m.live,
          playing: m.playing,
          speed: m.speed,
          frame: m.frame,
          loop: m.loop,
          a: m.a,
          b: m.b,
          notice: m.notice,
        },
      });
      return;
    }
    case 'pong':
    case 'skipped':
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
    decoder.reset();
    const reason =
      event.reason || (event.code === 1006 ? 'connection lost' : `closed with code ${event.code}`);
    // Revoked or withdrawn access needs a person: retrying would only hammer the server.
    const final: number[] = [CLOSE.unauthorized, CLOSE.forbidden, CLOSE.unknownTenant];
    if (final.includes(event.code)) {
      status('closed', null, reason);
      return;
    }
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
    case 'control':
      if (socket?.readyState === WebSocket.OPEN) {
        socket.send(encodeMessage({ t: 'control', control: command.control }));
      }
      break;
    case 'resync':
      socket?.send(encodeMessage({ t: 'resync', reason: command.reason }));
      break;
  }
};
