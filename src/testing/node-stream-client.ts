// A stream client for Node (tests, load benchmarks, drills) that behaves as the browser worker
// does: decodes every frame with the shared stream decoder, asks for resyncs, and reconnects
// with exponential back-off and jitter.
import WebSocket from 'ws';
import {
  MAX_LATENCY_SAMPLES,
  SUBPROTOCOL,
  encodeMessage,
  type PlaybackMessage,
} from '../core/wire/envelope';
import { StreamDecoder, type DecodedFrame } from '../core/wire/stream-decoder';
import { wallClockMs } from '../core/wall-clock';

export interface NodeStreamClientOptions {
  url: string;
  protocols?: string[];
  headers?: Record<string, string>;
  onFrame?: (frame: DecodedFrame, receivedAtMs: number) => void;
  onFault?: (message: string) => void;
  onPlayback?: (message: PlaybackMessage) => void;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /**
   * Report frame latencies to the server once a second, as the browser does (`latency` messages).
   * Produced-to-received on this machine's clock: for clients on the server's machine.
   */
  reportLatency?: boolean;
}

export class NodeStreamClient {
  readonly decoder = new StreamDecoder();
  connects = 0;
  closes = 0;
  faults = 0;
  resyncsRequested = 0;
  framesDecoded = 0;
  lastCloseCode: number | null = null;
  private socket: WebSocket | null = null;
  private attempt = 0;
  private timer: NodeJS.Timeout | undefined;
  private reportTimer: NodeJS.Timeout | undefined;
  private latenciesMs: number[] = [];
  private stopped = false;

  constructor(private readonly options: NodeStreamClientOptions) {}

  get connected(): boolean {
    return this.socket?.readyState === WebSocket.OPEN;
  }

  start(): void {
    this.stopped = false;
    this.connect();
    if (this.options.reportLatency && !this.reportTimer) {
      this.reportTimer = setInterval(() => {
        if (this.latenciesMs.length === 0) return;
        this.send(
          encodeMessage({ t: 'latency', samplesMs: this.latenciesMs.slice(-MAX_LATENCY_SAMPLES) }),
        );
        this.latenciesMs = [];
      }, 1000);
    }
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    clearInterval(this.reportTimer);
    this.reportTimer = undefined;
    this.socket?.terminate();
    this.socket = null;
  }

  private connect(): void {
    if (this.stopped) return;
    const ws = new WebSocket(this.options.url, this.options.protocols ?? [SUBPROTOCOL], {
      headers: this.options.headers,
    });
    this.socket = ws;
    ws.on('open', () => {
      this.connects += 1;
      this.attempt = 0;
    });
    ws.on('message', (data: Buffer) => {
      const nowMs = performance.now();
      const event = this.decoder.accept(data, nowMs);
      if (event.type === 'frame') {
        this.framesDecoded += 1;
        const receivedAtMs = wallClockMs();
        if (this.options.reportLatency) {
          this.latenciesMs.push(
            Math.min(59_000, Math.max(0, receivedAtMs - event.frame.producedAtMs)),
          );
          if (this.latenciesMs.length > MAX_LATENCY_SAMPLES) this.latenciesMs.shift();
        }
        this.options.onFrame?.(event.frame, receivedAtMs);
      } else if (event.type === 'playback') {
        this.options.onPlayback?.(event.message);
      } else if (event.type === 'fault') {
        this.faults += 1;
        this.options.onFault?.(event.message);
        if (event.resync && ws.readyState === WebSocket.OPEN) {
          this.resyncsRequested += 1;
          ws.send(encodeMessage({ t: 'resync', reason: event.message.slice(0, 200) }));
        }
      }
    });
    // Errors surface as a close as well; the close handler reconnects.
    ws.on('error', () => {});
    ws.on('close', (code) => {
      if (this.socket !== ws) return;
      this.closes += 1;
      this.lastCloseCode = code;
      this.decoder.reset();
      this.socket = null;
      if (this.stopped) return;
      this.attempt += 1;
      const base = this.options.backoffBaseMs ?? 100;
      const ceiling = Math.min(this.options.backoffMaxMs ?? 2000, base * 2 ** (this.attempt - 1));
      this.timer = setTimeout(() => this.connect(), ceiling * (0.5 + Math.random() * 0.5));
    });
  }

  /** Sends a raw message if connected (dropped otherwise). */
  send(bytes: Uint8Array): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(bytes);
  }

  /** Stops reading from the socket (a stalled client) or resumes. */
  setReading(reading: boolean): void {
    const raw = (this.socket as unknown as { _socket?: { pause(): void; resume(): void } } | null)
      ?._socket;
    if (reading) raw?.resume();
    else raw?.pause();
  }
}
