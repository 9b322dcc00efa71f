// A load client that does to the server what a remote viewer's socket does, and no more: it reads
// every message as it arrives, parses and validates the envelope, follows the sequence and the
// frames it holds (a gap or a delta it could not apply makes it ask for a resync, as a viewer
// does), pings every 2 s and reports its latencies every second, as the browser's stream worker
// does. It skips the delta decode and the CRC: that work is the viewer's, on the viewer's own
// machine, and on the load generator's cores it would hide the server's cost behind the
// generator's (500 decoding clients are 30,000 decodes a second).
import WebSocket from 'ws';
import { wallClockMs } from '../../../src/core/wall-clock';
import {
  MAX_LATENCY_SAMPLES,
  SUBPROTOCOL,
  WireError,
  decodeServerMessage,
  encodeMessage,
} from '../../../src/core/wire/envelope';

/** As the browser's stream worker: a ping every 2 s, latencies reported every second. */
export const VIEWER_PING_INTERVAL_MS = 2000;
export const VIEWER_REPORT_INTERVAL_MS = 1000;
/** As StreamDecoder: ask again when the keyframe after a resync request has not come by then. */
const RESYNC_RETRY_MS = 1000;

export interface ViewerFrame {
  seq: number;
  frameIndex: number;
  producedAtMs: number;
  width: number;
  height: number;
  intervalUs: number;
}

export interface ViewerClientOptions {
  url: string;
  protocols?: string[];
  /** A frame taken in sequence; `receivedAtMs` is the wall clock of its arrival. */
  onFrame: (frame: ViewerFrame, receivedAtMs: number) => void;
}

export class ViewerClient {
  faults = 0;
  closes = 0;
  private socket: WebSocket | null = null;
  private stopped = true;
  private retry: NodeJS.Timeout | undefined;
  private stream: { width: number; height: number; intervalUs: number } | null = null;
  private lastSeq: number | null = null;
  private held = 0;
  private awaitingKeySinceMs: number | null = null;
  private latenciesMs: number[] = [];
  private pingId = 0;

  constructor(private readonly options: ViewerClientOptions) {}

  get connected(): boolean {
    return this.socket?.readyState === WebSocket.OPEN;
  }

  start(): void {
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retry);
    this.socket?.terminate();
    this.socket = null;
  }

  /** Stops reading from the socket (a client that waits) or resumes. */
  setReading(reading: boolean): void {
    const raw = (this.socket as unknown as { _socket?: { pause(): void; resume(): void } } | null)
      ?._socket;
    if (reading) raw?.resume();
    else raw?.pause();
  }

  /** The browser's ping; the thread calls it on the browser's cadence. */
  ping(): void {
    this.pingId += 1;
    this.send(
      encodeMessage({
        t: 'ping',
        id: this.pingId,
        clientTimeMs: wallClockMs(),
      }),
    );
  }

  /** The browser's latency report, produced-to-received on this machine's clock. */
  reportLatencies(): void {
    if (this.latenciesMs.length === 0) return;
    const samplesMs = this.latenciesMs.slice(-MAX_LATENCY_SAMPLES);
    this.latenciesMs = [];
    this.send(encodeMessage({ t: 'latency', samplesMs }));
  }

  private send(bytes: Uint8Array): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(bytes);
  }

  private connect(): void {
    if (this.stopped) return;
    const ws = new WebSocket(this.options.url, this.options.protocols ?? [SUBPROTOCOL], {
      perMessageDeflate: false,
    });
    this.socket = ws;
    ws.on('message', (data: Buffer) => this.accept(data));
    ws.on('error', () => {});
    ws.on('close', () => {
      if (this.socket !== ws) return;
      this.closes += 1;
      this.socket = null;
      this.stream = null;
      if (!this.stopped) this.retry = setTimeout(() => this.connect(), 200 + 300 * Math.random());
    });
  }

  private fault(nowMs: number): void {
    this.faults += 1;
    this.held = 0;
    if (this.awaitingKeySinceMs !== null && nowMs - this.awaitingKeySinceMs < RESYNC_RETRY_MS) {
      return;
    }
    this.awaitingKeySinceMs = nowMs;
    this.send(encodeMessage({ t: 'resync', reason: 'viewer load client: sequence gap' }));
  }

  private accept(data: Buffer): void {
    const nowMs = performance.now();
    let message;
    try {
      message = decodeServerMessage(data);
    } catch (error) {
      if (!(error instanceof WireError)) throw error;
      this.fault(nowMs);
      return;
    }
    if (message.t === 'hello') {
      const { width, height, intervalUs } = message.stream;
      this.stream = { width, height, intervalUs };
      this.lastSeq = null;
      this.held = 0;
      this.awaitingKeySinceMs = null;
      return;
    }
    if (message.t === 'playback') {
      this.lastSeq = null;
      this.held = 0;
      this.awaitingKeySinceMs = null;
      return;
    }
    if (message.t !== 'frame') return;
    if (!this.stream) return this.fault(nowMs);
    const { seq } = message;
    if (message.kind === 1) {
      if (this.awaitingKeySinceMs !== null) {
        if (nowMs - this.awaitingKeySinceMs >= RESYNC_RETRY_MS) this.fault(nowMs);
        return;
      }
      // What the delta decode would refuse: a gap, or more history than the client holds.
      if (this.lastSeq === null || seq !== this.lastSeq + 1 || message.order > this.held) {
        return this.fault(nowMs);
      }
      this.held = Math.min(this.held + 1, 2);
    } else {
      if (this.lastSeq !== null && seq <= this.lastSeq) return;
      this.held = 1;
    }
    this.lastSeq = seq;
    this.awaitingKeySinceMs = null;
    const receivedAtMs = wallClockMs();
    if (this.latenciesMs.length < 4 * MAX_LATENCY_SAMPLES) {
      this.latenciesMs.push(Math.min(59_000, Math.max(0, receivedAtMs - message.producedAtMs)));
    }
    this.options.onFrame(
      { seq, frameIndex: message.fi, producedAtMs: message.producedAtMs, ...this.stream },
      receivedAtMs,
    );
  }
}
