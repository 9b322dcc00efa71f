import { describe, expect, it } from 'vitest';
import { Packr } from 'msgpackr';
import {
  MAX_CLIENT_MESSAGE_BYTES,
  WireError,
  decodeClientMessage,
  decodeServerMessage,
  encodeMessage,
  type FrameMessage,
  type HelloMessage,
} from './envelope';

const raw = new Packr({ useRecords: false });
const frame: FrameMessage = {
  t: 'frame',
  seq: 7,
  fi: 3,
  kind: 0,
  order: 0,
  crc: 0xdeadbeef,
  producedAtMs: 1_700_000_000_123.25,
  data: new Uint8Array([1, 2, 3, 4]),
};
const hello: HelloMessage = {
  t: 'hello',
  v: 1,
  stream: {
    tenant: 'demo',
    width: 120,
    height: 100,
    frameCount: 1200,
    intervalUs: 16667,
    source: 'replay',
  },
  serverTimeMs: 1_700_000_000_000,
};

describe('server messages', () => {
  it.each([
    frame,
    hello,
    { t: 'error', code: 'x', message: 'y' },
    { t: 'pong', id: 1, clientTimeMs: 2, serverTimeMs: 3 },
  ])('round-trip a $t message', (message) => {
    const decoded = decodeServerMessage(encodeMessage(message as FrameMessage));
    expect(decoded).toEqual(
      message.t === 'frame' ? { ...message, data: expect.any(Uint8Array) } : message,
    );
    if (decoded.t === 'frame') expect([...decoded.data]).toEqual([1, 2, 3, 4]);
  });

  const BAD = [
    {
      name: 'garbage bytes',
      bytes: new Uint8Array([0xc1, 0xc1, 0xc1]),
      error: /not a msgpack message|message is not a map/,
    },
    { name: 'a bare number', bytes: raw.pack(42), error: /not a map/ },
    {
      name: 'an unknown type',
      bytes: raw.pack({ t: 'teleport' }),
      error: /unknown server message type/,
    },
    { name: 'a frame with a negative seq', bytes: raw.pack({ ...frame, seq: -1 }), error: /"seq"/ },
    { name: 'a frame with kind 7', bytes: raw.pack({ ...frame, kind: 7 }), error: /"kind"/ },
    {
      name: 'a frame with string data',
      bytes: raw.pack({ ...frame, data: 'abc' }),
      error: /"data"/,
    },
    {
      name: 'a frame with a crc over 32 bits',
      bytes: raw.pack({ ...frame, crc: 2 ** 33 }),
      error: /"crc"/,
    },
    {
      name: 'a hello with absurd dimensions',
      bytes: raw.pack({ ...hello, stream: { ...hello.stream, width: 100_000, height: 100_000 } }),
      error: /16,777,216/,
    },
    {
      name: 'a hello with zero width',
      bytes: raw.pack({ ...hello, stream: { ...hello.stream, width: 0 } }),
      error: /stream.width/,
    },
  ];
  it.each(BAD)('reject $name with a [wire] error', ({ bytes, error }) => {
    expect(() => decodeServerMessage(bytes)).toThrow(WireError);
    expect(() => decodeServerMessage(bytes)).toThrow(error);
  });
});

describe('client messages', () => {
  it('accept a ping and a resync', () => {
    expect(decodeClientMessage(encodeMessage({ t: 'ping', id: 3, clientTimeMs: 10.5 }))).toEqual({
      t: 'ping',
      id: 3,
      clientTimeMs: 10.5,
    });
    expect(decodeClientMessage(encodeMessage({ t: 'resync', reason: 'gap' }))).toEqual({
      t: 'resync',
      reason: 'gap',
    });
  });

  it('accept control and latency messages', () => {
    expect(
      decodeClientMessage(encodeMessage({ t: 'control', control: { action: 'seek', frame: 5 } })),
    ).toEqual({
      t: 'control',
      control: { action: 'seek', frame: 5 },
    });
    expect(decodeClientMessage(encodeMessage({ t: 'latency', samplesMs: [1.5, 2.25] }))).toEqual({
      t: 'latency',
      samplesMs: [1.5, 2.25],
    });
  });

  it('drop unknown fields so a client cannot smuggle state in', () => {
    const decoded = decodeClientMessage(
      raw.pack({ t: 'ping', id: 1, clientTimeMs: 1, tenant: 'other' }),
    );
    expect(decoded).toEqual({ t: 'ping', id: 1, clientTimeMs: 1 });
  });

  const BAD = [
    {
      name: 'an oversized message',
      bytes: new Uint8Array(MAX_CLIENT_MESSAGE_BYTES + 1),
      error: /exceeds/,
    },
    { name: 'a server-only type', bytes: raw.pack(frame), error: /unknown client message type/ },
    { name: 'a ping without id', bytes: raw.pack({ t: 'ping', clientTimeMs: 1 }), error: /"id"/ },
    {
      name: 'a resync with a huge reason',
      bytes: raw.pack({ t: 'resync', reason: 'x'.repeat(500) }),
      error: /"reason"/,
    },
    {
      name: 'a control without an action',
      bytes: raw.pack({ t: 'control', control: {} }),
      error: /unknown action/,
    },
    {
      name: 'a seek to a negative frame',
      bytes: raw.pack({ t: 'control', control: { action: 'seek', frame: -3 } }),
      error: /control.frame/,
    },
    {
      name: 'too many latency samples',
      bytes: raw.pack({ t: 'latency', samplesMs: new Array(241).fill(1) }),
      error: /samplesMs/,
    },
    {
      name: 'a non-numeric latency',
      bytes: raw.pack({ t: 'latency', samplesMs: ['fast'] }),
      error: /samplesMs/,
    },
    {
      name: 'truncated msgpack',
      bytes: encodeMessage({ t: 'ping', id: 1, clientTimeMs: 1 }).subarray(0, 5),
      error: /\[wire\]/,
    },
  ];
  it.each(BAD)('reject $name', ({ bytes, error }) => {
    expect(() => decodeClientMessage(bytes)).toThrow(error);
  });
});
