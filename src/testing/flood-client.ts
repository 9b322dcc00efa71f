// A hostile stream client, run as a process of its own. It speaks WebSocket by hand over a TCP
// socket, with its frames masked once and written in bulk, so that the flood costs its sender next
// to nothing and the server's cost is what a test measures. Once connected it prints "ready" and
// waits for a line on stdin; then it writes COUNT seek controls at once, keeps writing as fast as
// the socket takes them until the server closes it or SECONDS pass, and prints what it saw as one
// JSON line.
//   node --import tsx src/testing/flood-client.ts WS_URL COUNT SECONDS
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { SUBPROTOCOL, decodeServerMessage, encodeMessage } from '../core/wire/envelope';

const [url, countText, secondsText] = process.argv.slice(2);
if (!url || !countText || !secondsText) {
  throw new Error('usage: flood-client.ts WS_URL COUNT SECONDS');
}
const target = new URL(url);

/** Client frames of `payloads`, binary, masked (RFC 6455 section 5.3), back to back. */
function maskedFrames(payloads: Uint8Array[]): Buffer {
  const mask = randomBytes(4);
  return Buffer.concat(
    payloads.map((payload) => {
      if (payload.length >= 126) throw new Error('flood messages are small');
      const frame = Buffer.alloc(6 + payload.length);
      frame[0] = 0x82;
      frame[1] = 0x80 | payload.length;
      mask.copy(frame, 2);
      for (let i = 0; i < payload.length; i++) frame[6 + i] = payload[i]! ^ mask[i % 4]!;
      return frame;
    }),
  );
}

const seeks = Array.from({ length: Number(countText) }, (_, i) =>
  encodeMessage({ t: 'control', control: { action: 'seek', frame: i % 600 } }),
);
const burst = maskedFrames(seeks);
const report = {
  sent: 0,
  playbacks: 0,
  frames: 0,
  bytesReceived: 0,
  closeCode: 0,
  closeReason: '',
};

const socket = connect(Number(target.port), target.hostname);
let upgraded = false;
let pending = Buffer.alloc(0);
let flooding = false;

const flood = (): void => {
  flooding = true;
  const write = (): void => {
    while (flooding && socket.writable) {
      report.sent += seeks.length;
      if (!socket.write(burst)) return void socket.once('drain', write);
    }
  };
  write();
  setTimeout(() => socket.destroy(), Number(secondsText) * 1000).unref();
};

/** Reads the server's frames (unmasked; ws does not fragment these) out of `pending`. */
function readFrames(): void {
  while (pending.length >= 2) {
    const opcode = pending[0]! & 0x0f;
    let length = pending[1]! & 0x7f;
    let offset = 2;
    if (length === 126) {
      if (pending.length < 4) return;
      length = pending.readUInt16BE(2);
      offset = 4;
    } else if (length === 127) {
      if (pending.length < 10) return;
      length = Number(pending.readBigUInt64BE(2));
      offset = 10;
    }
    if (pending.length < offset + length) return;
    const payload = pending.subarray(offset, offset + length);
    pending = pending.subarray(offset + length);
    report.bytesReceived += length;
    if (opcode === 0x2) {
      const message = decodeServerMessage(payload);
      if (message.t === 'playback') report.playbacks += 1;
      if (message.t === 'frame') report.frames += 1;
    } else if (opcode === 0x8) {
      report.closeCode = payload.length >= 2 ? payload.readUInt16BE(0) : 1005;
      report.closeReason = payload.subarray(2).toString('utf8');
      flooding = false;
      socket.destroy();
    }
  }
}

socket.on('connect', () => {
  socket.write(
    `GET ${target.pathname}${target.search} HTTP/1.1\r\nHost: ${target.host}\r\n` +
      'Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n' +
      `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\n` +
      `Sec-WebSocket-Protocol: ${SUBPROTOCOL}\r\n\r\n`,
  );
});
socket.on('data', (chunk: Buffer) => {
  pending = Buffer.concat([pending, chunk]);
  if (!upgraded) {
    const end = pending.indexOf('\r\n\r\n');
    if (end < 0) return;
    const head = pending.subarray(0, end).toString('latin1');
    if (!head.startsWith('HTTP/1.1 101'))
      throw new Error(`upgrade refused: ${head.split('\r\n')[0]}`);
    upgraded = true;
    pending = pending.subarray(end + 4);
    process.stdout.write('ready\n');
    process.stdin.once('data', flood);
  }
  readFrames();
});
socket.on('error', () => socket.destroy());
socket.on('close', () => {
  process.stdout.write(`${JSON.stringify(report)}\n`, () => process.exit(0));
});
