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
import { crc32 } from '../../core/crc32';
import { FrameEncoder, framesHeldAfter } from '../../core/wire/frame-codec';
import {
  FOLLOWING,
  advance,
  applyControl,
  cursorFrame,
  type PlaybackState,
} from '../../core/wire/playback';
import { TraceError } from '../../core/trace';
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
  log?: (line: string) => void;
}

/**
 * A client whose reported latency (median of one report) passes this is behind by more than its
 * socket's queue shows: the kernel's buffers and the client's own queue hold the rest.
 */
export const LATE_CLIENT_MS = 500;
/**
 * A late client gets no frames until it has drained what was on its way: it stops reporting when
 * no frames reach it, so this long after its last late report it is sent a keyframe.
 */
export const LATE_CLIENT_QUIET_MS = 1500;

/** WebSocket close reasons are at most 123 bytes of UTF-8; ws throws on a longer one. */
const MAX_CLOSE_REASON_BYTES = 123;
const utf8 = new TextEncoder();

/** `text` cut to a close reason: the message may echo a client's multi-byte characters. */
function closeReason(text: string): string {
  let reason = text.slice(0, MAX_CLOSE_REASON_BYTES);
  while (utf8.encode(reason).byteLength > MAX_CLOSE_REASON_BYTES) reason = reason.slice(0, -1);
  return reason;
}

export function createClientSession(options: ClientSessionOptions): ClientSession {
  const { socket, bus, budgetBytes, metrics } = options;
  // Consecutive decoded frames the client holds, as far as this sender knows; 0 forces a keyframe.
  let held = 0;
  let framesSent = 0;
  let framesSkipped = 0;
  let closed = false;
  // Latency back-off: when the client last reported frames arriving late (performance.now()).
  let lateReportAtMs: number | null = null;
  // Replay state: following the shared head, or a cursor of this client's own.
  let playback: PlaybackState = FOLLOWING;
  let cursorEncoder: FrameEncoder | null = null;
  let cursorSeq = 0;
  let lastCursorFrame = -1;
  const { width, height, frameCount } = bus.info;

  const behind = (): boolean => {
    if (lateReportAtMs === null) return false;
    if (performance.now() - lateReportAtMs <= LATE_CLIENT_QUIET_MS) return true;
    lateReportAtMs = null;
    return false;
  };

  const overBudget = (): boolean => {
    if (socket.bufferedAmount <= budgetBytes && !behind()) return false;
    if (held > 0) metrics.resync();
    held = 0;
    framesSkipped += 1;
    metrics.frameSkipped();
    return true;
  };

  const send = (frame: OutgoingFrame): void => {
    const { bytes, heldAfter } = frame.messageFor(held);
    socket.send(bytes);
    held = heldAfter;
    framesSent += 1;
    metrics.frameSent(bytes.byteLength, frame.rawBytes);
  };

  /** Sends the cursor's frame, encoded against this client's own history. */
  const sendCursorFrame = (frameIndex: number): void => {
    if (!bus.readFrame) return;
    let phases: Uint16Array;
    try {
      phases = bus.readFrame(frameIndex);
    } catch (error) {
      if (!(error instanceof TraceError)) throw error;
      options.log?.(`${error.message}; not sent to a seeking client`);
      lastCursorFrame = frameIndex;
      return;
    }
    cursorEncoder ??= new FrameEncoder(width, height);
    const encoded = cursorEncoder.encode(phases).frameFor(held);
    cursorSeq += 1;
    const bytes = encodeMessage({
      t: 'frame',
      seq: cursorSeq,
      fi: frameIndex,
      kind: encoded.kind,
      order: encoded.order,
      crc: crc32(new Uint8Array(phases.buffer, phases.byteOffset, phases.byteLength)),
      producedAtMs: wallClockMs(),
      data: encoded.payload,
    });
    socket.send(bytes);
    held = framesHeldAfter(encoded, held);
    lastCursorFrame = frameIndex;
    framesSent += 1;
    metrics.frameSent(bytes.byteLength, phases.byteLength);
  };

  /** One stream tick for a client with its own cursor (or an immediate send after a control). */
  const tickCursor = (immediate: boolean): void => {
    if (!immediate) playback = advance(playback, frameCount);
    const frameIndex = cursorFrame(playback);
    if (!immediate && frameIndex === lastCursorFrame) return;
    if (overBudget()) return;
    sendCursorFrame(frameIndex);
  };

  /** Tells the client its playback state; a new sequence epoch starts, so history is dropped. */
  const sendPlayback = (notice: string | null): void => {
    held = 0;
    cursorSeq = 0;
    lastCursorFrame = -1;
    cursorEncoder?.reset();
    socket.send(
      encodeMessage({
        t: 'playback',
        live: playback.live,
        playing: playback.playing,
        speed: playback.speed,
        frame: playback.live ? (bus.latest?.frameIndex ?? 0) : cursorFrame(playback),
        loop: playback.loop,
        a: playback.a,
        b: playback.b,
        notice,
      }),
    );
  };

  const unsubscribe = bus.subscribe({
    deliver(frame) {
      if (closed) return;
      if (!playback.live) {
        tickCursor(false);
        return;
      }
      if (overBudget()) return;
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
        if (!playback.live) {
          tickCursor(true);
          break;
        }
        const latest = bus.latest;
        if (latest && socket.bufferedAmount <= budgetBytes && !behind()) send(latest);
        break;
      }
      case 'latency': {
        metrics.observeLatency(message.samplesMs);
        const sorted = [...message.samplesMs].sort((a, b) => a - b);
        const medianMs = sorted[Math.floor(sorted.length / 2)];
        if (medianMs !== undefined && medianMs > LATE_CLIENT_MS) lateReportAtMs = performance.now();
        break;
      }
      case 'control': {
        const result = applyControl(
          playback,
          message.control,
          frameCount,
          bus.latest?.frameIndex ?? 0,
        );
        if (result.notice) options.log?.(`[ws] control ignored: ${result.notice}`);
        playback = result.state;
        sendPlayback(result.notice);
        // The client's history is gone: show it the cursor's frame now rather than at the next tick.
        if (!playback.live) tickCursor(true);
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
        socket.close(CLOSE.badMessage, closeReason(error.message));
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
