/// <reference lib="webworker" />
// The stream worker: owns the WebSocket, decodes and checks frames off the main thread, and
// transfers each decoded frame to the page. Reconnects with exponential back-off and jitter.
import { CLOSE, MAX_LATENCY_SAMPLES, SUBPROTOCOL, encodeMessage } from '../../core/wire/envelope';
import { StreamDecoder } from '../../core/wire/stream-decoder';
import { ClockOffset } from '../../core/wire/clock-offset';
import { orderParameter, vortexCount } from '../../core/metrics';
import type { ConnectionState, Refusal } from '../state/ui-store';
import { probeRefusal } from './refusal-probe';
import type { FromWorker, ToWorker, WorkerFrame } from './worker-messages';

declare const self: DedicatedWorkerGlobalScope;

const BACKOFF_BASE_MS = 250;
const BACKOFF_MAX_MS = 5000;
const PING_INTERVAL_MS = 2000;
const REPORT_INTERVAL_MS = 1000;
/** Close codes that end access while connected (docs/PROTOCOL.md section 6): no retry. */
const REFUSAL_FOR_CLOSE: Record<number, Refusal> = {
  [CLOSE.unauthorized]: 'unauthorized',
  [CLOSE.forbidden]: 'forbidden',
  [CLOSE.unknownTenant]: 'not-found',
};

const REFUSAL_STATUS: Record<Refusal, number> = {
  unauthorized: 401,
  forbidden: 403,
  'not-found': 404,
};

type Post = (message: FromWorker, transfer?: Transferable[]) => void;

/**
 * The worker's connection: the socket, its back-off, the decoder and the latency clock, in one
 * place rather than in module variables. Returns what to do with each command from the page.
 */
function createStreamSession(post: Post): (command: ToWorker) => void {
  let url: string | null = null;
  let token: string | null = null;
  let socket: WebSocket | null = null;
  let attempt = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  // Bumped by every connect and disconnect: an answer about an older connection is ignored.
  let generation = 0;
  const decoder = new StreamDecoder();
  // Frame latency: produced (server clock) to decoded here, corrected by the estimated offset.
  const clock = new ClockOffset();
  let pingId = 0;
  let pingTimer: ReturnType<typeof setInterval> | undefined;
  let latencies: number[] = [];

  function sendPing(): void {
    if (socket?.readyState !== WebSocket.OPEN) return;
    pingId += 1;
    socket.send(encodeMessage({ t: 'ping', id: pingId, clientTimeMs: wallClockMs() }));
  }

  function reportLatencies(): void {
    if (latencies.length === 0 || socket?.readyState !== WebSocket.OPEN) return;
    const samplesMs = latencies.slice(-MAX_LATENCY_SAMPLES);
    latencies = [];
    socket.send(encodeMessage({ t: 'latency', samplesMs }));
  }
  setInterval(reportLatencies, REPORT_INTERVAL_MS);

  function status(
    state: ConnectionState,
    retryInMs: number | null,
    reason: string | null,
    refusal: Refusal | null = null,
  ): void {
    post({ type: 'status', state, attempt, retryInMs, reason, refusal });
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
        clock.reset();
        // A few quick pings so latency is known within a second, then a slow cadence.
        for (let i = 0; i < 3; i++) setTimeout(sendPing, i * 150);
        clearInterval(pingTimer);
        pingTimer = setInterval(sendPing, PING_INTERVAL_MS);
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
        const offset = clock.best();
        const latencyMs = offset ? decodedAtMs + offset.offsetMs - f.producedAtMs : null;
        if (latencyMs !== null && latencies.length < 4 * MAX_LATENCY_SAMPLES) {
          latencies.push(latencyMs);
        }
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
          crc: f.crc,
          decodedAtMs,
          latencyMs,
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
        clock.addPong(result.message.clientTimeMs, result.message.serverTimeMs, wallClockMs());
        return;
      case 'skipped':
        return;
    }
  }

  function connect(): void {
    if (url === null) return;
    status(attempt === 0 ? 'connecting' : 'reconnecting', null, null);
    // Browsers cannot set headers on a WebSocket: the token travels as a second subprotocol.
    const ws = new WebSocket(url, token ? [SUBPROTOCOL, `bearer.${token}`] : [SUBPROTOCOL]);
    ws.binaryType = 'arraybuffer';
    socket = ws;
    ws.onmessage = onMessage;
    let opened = false;
    ws.onopen = () => {
      opened = true;
    };
    ws.onclose = (event) => {
      if (socket !== ws) return;
      socket = null;
      decoder.reset();
      const reason =
        event.reason ||
        (event.code === 1006 ? 'connection lost' : `closed with code ${event.code}`);
      // Revoked or withdrawn access needs a person: retrying would only hammer the server.
      const refusal = REFUSAL_FOR_CLOSE[event.code];
      if (refusal) {
        status('closed', null, reason, refusal);
        return;
      }
      if (opened) {
        scheduleReconnect(reason);
        return;
      }
      // Never opened: a refused upgrade and a server that is down look the same from here.
      const asked = generation;
      const askedUrl = url;
      if (askedUrl === null) return;
      void probeRefusal(askedUrl, token).then((found) => {
        if (asked !== generation) return;
        if (found) status('closed', null, `the server answered ${REFUSAL_STATUS[found]}`, found);
        else scheduleReconnect(reason);
      });
    };
  }

  return (command) => {
    switch (command.type) {
      case 'connect':
        generation += 1;
        url = command.url;
        token = command.token;
        attempt = 0;
        clearTimeout(retryTimer);
        socket?.close(1000, 'reconnecting');
        socket = null;
        connect();
        break;
      case 'disconnect':
        generation += 1;
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
      case 'recycle':
        // Only what the page was sent comes back; a buffer of odd length cannot be one.
        if (command.buffer instanceof ArrayBuffer && command.buffer.byteLength % 2 === 0) {
          decoder.recycle(new Uint16Array(command.buffer));
        }
        break;
    }
  };
}

const handle = createStreamSession((message, transfer = []) => self.postMessage(message, transfer));
self.onmessage = (event: MessageEvent<ToWorker>) => handle(event.data);
