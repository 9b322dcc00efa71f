// A WebSocket client for tests that keeps every server message, both as sent and as the browser's
// stream decoder reads it.
import WebSocket from 'ws';
import { SUBPROTOCOL, decodeServerMessage, type ServerMessage } from '../core/wire/envelope';
import { StreamDecoder, type DecodedFrame, type StreamEvent } from '../core/wire/stream-decoder';

/** A WebSocket client that records every decoded server message. */
export class TestClient {
  readonly messages: ServerMessage[] = [];
  /** Every message also goes through the client-side decoder, as in the browser worker. */
  readonly decoder = new StreamDecoder();
  readonly decoded: DecodedFrame[] = [];
  readonly faults: StreamEvent[] = [];
  readonly socket: WebSocket;
  closeCode: number | null = null;
  closeReason = '';
  readonly opened: Promise<void>;
  readonly closed: Promise<void>;

  constructor(
    url: string,
    options: { protocols?: string[]; headers?: Record<string, string> } = {},
  ) {
    this.socket = new WebSocket(url, options.protocols ?? [SUBPROTOCOL], {
      headers: options.headers,
    });
    this.socket.on('message', (data: Buffer) => {
      this.messages.push(decodeServerMessage(data));
      const event = this.decoder.accept(data, performance.now());
      if (event.type === 'frame') this.decoded.push(event.frame);
      else if (event.type === 'fault') this.faults.push(event);
    });
    this.opened = new Promise((resolve, reject) => {
      this.socket.once('open', () => resolve());
      this.socket.once('unexpected-response', (_req, res) =>
        reject(new Error(`HTTP ${res.statusCode}`)),
      );
      this.socket.once('error', reject);
    });
    this.closed = new Promise((resolve) => {
      this.socket.once('close', (code, reason) => {
        this.closeCode = code;
        this.closeReason = reason.toString();
        resolve();
      });
    });
  }

  frames() {
    return this.messages.filter((m) => m.t === 'frame');
  }

  async waitFor(predicate: () => boolean, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error('timed out waiting for a condition');
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  close(): void {
    this.socket.close();
  }
}
