// The per-client sender: takes the bus's shared bytes (or, for a client with its own replay
// cursor, the cursor's frames), and backs off when the client's socket is over its buffer budget
// (skips frames, then resyncs with a keyframe), so a slow client costs a bounded amount of memory
// and never slows the others. What a client sends is rate-limited and coalesced: a burst of
// controls or resyncs costs one answer and one frame per stream interval, and a client that keeps
// sending faster than MESSAGES_PER_S is slowed, then closed with 4429.
import {
  CLOSE,
  WireError,
  decodeClientMessage,
  encodeMessage,
  type ClientMessage,
  type PlaybackMessage,
} from '../../core/wire/envelope';
import type { StreamMetrics } from '../metrics';
import type { StreamBus } from './bus';
import type { OutgoingFrame } from './frame-messages';
import { createMessageLimiter, FLOOD_CLOSE_AFTER_MS, MESSAGES_PER_S } from './message-limiter';
import { createReplayCursor } from './replay-cursor';
import { wallClockMs } from './source';

export interface SocketLike {
  readonly bufferedAmount: number;
  send(bytes: Uint8Array): void;
  close(code: number, reason: string): void;
  /** Stop and start reading the client's messages (ws's WebSocket has both). */
  pause?(): void;
  resume?(): void;
  /** Cut the connection without the close handshake. */
  terminate?(): void;
}

export interface ClientSession {
  handleMessage(bytes: Uint8Array): void;
  close(): void;
  readonly framesSent: number;
  readonly framesSkipped: number;
}

/** Raw frames of its stream a client's send budget holds at least. */
export const BUDGET_MIN_RAW_FRAMES = 2;

/**
 * The send budget of a client of a `width` x `height` stream: the configured bytes, and never less
 * than two raw frames. A budget under one frame (256 KiB against a keyframe of 1.5 MB at a
 * million spins) would put every client over it after each keyframe, skip the next frame and
 * resync with another keyframe: keyframes only, for ever.
 */
export function sendBudgetBytes(configuredBytes: number, width: number, height: number): number {
  return Math.max(configuredBytes, BUDGET_MIN_RAW_FRAMES * 2 * width * height);
}

export interface ClientSessionOptions {
  socket: SocketLike;
  bus: StreamBus;
  budgetBytes: number;
  metrics: StreamMetrics;
  onProtocolError: (reason: string) => void;
  /** A client closed for sending too fast (4429). */
  onFlood?: (reason: string) => void;
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

/** How long a client closed for flooding has to answer the close frame before it is cut off. */
const CLOSE_GRACE_MS = 1000;

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
  const limiter = createMessageLimiter();
  let resumeTimer: NodeJS.Timeout | undefined;
  // Coalescing: what the controls and resyncs since the last answer left to send, sent at most
  // once per stream interval.
  const answerIntervalMs = bus.info.intervalUs / 1000;
  let lastAnswerAtMs = -Infinity;
  let answerTimer: NodeJS.Timeout | undefined;
  let pendingPlayback: PlaybackMessage | null = null;
  let pendingResync = false;
  // Following the shared head, or a cursor of this client's own.
  const cursor = createReplayCursor({
    width: bus.info.width,
    height: bus.info.height,
    frameCount: bus.info.frameCount,
    readFrame: bus.readFrame,
    log: options.log,
    onEncodeMs: (ms) => metrics.observeEncode(ms),
  });

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
    const message = frame.messageFor(held);
    // Not made for this frame (a live source makes keyframes when asked): the client waits for
    // the next frame, which then has to be a keyframe, since this one is not in its history.
    if (!message) {
      if (held > 0) metrics.resync();
      held = 0;
      return;
    }
    const { bytes, heldAfter } = message;
    socket.send(bytes);
    held = heldAfter;
    framesSent += 1;
    metrics.frameSent(bytes.byteLength, frame.rawBytes);
  };

  /** One stream tick for a client with its own cursor (or an immediate send after a control). */
  const tickCursor = (immediate: boolean): void => {
    const frameIndex = immediate ? cursor.frameIndex : cursor.tick();
    if (frameIndex === null) return;
    if (overBudget()) return;
    const frame = cursor.frameAt(frameIndex);
    if (frame) send(frame);
  };

  /**
   * Sends what the controls and resyncs since the last answer call for: the replay state they
   * left (a new epoch), then the cursor's frame, or the latest frame for a resync.
   */
  const answer = (): void => {
    answerTimer = undefined;
    if (closed) return;
    lastAnswerAtMs = performance.now();
    const playback = pendingPlayback;
    const resync = pendingResync;
    pendingPlayback = null;
    pendingResync = false;
    if (playback) {
      if (playback.notice) options.log?.(`[ws] control ignored: ${playback.notice}`);
      // A new sequence epoch: the client drops its history when it reads this.
      held = 0;
      socket.send(encodeMessage(playback));
    }
    if (resync) {
      held = 0;
      metrics.resync();
    }
    if (!cursor.following) {
      // The client's history is gone: show it the cursor's frame now rather than at the next tick.
      if (playback || resync) tickCursor(true);
      return;
    }
    const latest = bus.latest;
    if (resync && latest && socket.bufferedAmount <= budgetBytes && !behind()) send(latest);
  };

  /** Answers now, or once the stream interval since the last answer has passed. */
  const scheduleAnswer = (): void => {
    if (answerTimer) return;
    const waitMs = lastAnswerAtMs + answerIntervalMs - performance.now();
    if (waitMs <= 0) answer();
    else answerTimer = setTimeout(answer, waitMs);
  };

  const unsubscribe = bus.subscribe({
    deliver(frame) {
      if (closed) return;
      // A control is waiting for its answer: the client must read the new epoch before any frame.
      if (pendingPlayback) return;
      if (!cursor.following) {
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
      case 'resync':
        pendingResync = true;
        scheduleAnswer();
        break;
      case 'latency': {
        // Weighed as one client among the tenant's (metrics.ts); its own reports still drive its
        // own back-off below.
        metrics.observeLatency(message.samplesMs, session);
        const sorted = [...message.samplesMs].sort((a, b) => a - b);
        const medianMs = sorted[Math.floor(sorted.length / 2)];
        if (medianMs !== undefined && medianMs > LATE_CLIENT_MS) lateReportAtMs = performance.now();
        break;
      }
      case 'control':
        // Applied at once (cheap); answered with the state the last of a burst leaves.
        pendingPlayback = cursor.control(message.control, bus.latest?.frameIndex ?? 0);
        scheduleAnswer();
        break;
    }
  };

  /**
   * Over its rate, a client's messages are not even decoded: its socket is paused (each resume
   * reads one chunk before the next pause), and only the last message it sent meanwhile is kept, to
   * be handled when the pause ends, so the last control of a burst still takes effect.
   */
  let deferred: Uint8Array | null = null;

  const pauseFor = (pauseMs: number): void => {
    if (resumeTimer || !socket.pause || !socket.resume) return;
    socket.pause();
    const resume = socket.resume.bind(socket);
    resumeTimer = setTimeout(() => {
      resumeTimer = undefined;
      if (closed) return;
      resume();
      // Still over its rate, this pauses the socket again at once.
      const last = deferred;
      deferred = null;
      if (last) session.handleMessage(last);
    }, pauseMs);
  };

  /** What to do with a message: handle it, keep it for later, or nothing (the client is closed). */
  const admit = (bytes: Uint8Array): 'handle' | 'defer' | 'closed' => {
    const verdict = limiter.take(performance.now());
    if (verdict.kind === 'ok') return 'handle';
    if (verdict.kind === 'slow') {
      deferred = bytes;
      pauseFor(verdict.pauseMs);
      return 'defer';
    }
    const reason = `too many messages: over ${MESSAGES_PER_S} a second for ${FLOOD_CLOSE_AFTER_MS / 1000} s`;
    options.onFlood?.(reason);
    // The socket stays paused: what the client still sends is never read. The close frame goes
    // out all the same, and the connection is cut if the client has not answered it in a second.
    socket.pause?.();
    socket.close(CLOSE.tooManyMessages, reason);
    if (socket.terminate) setTimeout(socket.terminate.bind(socket), CLOSE_GRACE_MS).unref();
    session.close();
    return 'closed';
  };

  const session: ClientSession = {
    handleMessage(bytes) {
      if (closed) return;
      if (admit(bytes) !== 'handle') return;
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
      clearTimeout(resumeTimer);
      clearTimeout(answerTimer);
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
