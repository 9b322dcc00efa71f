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
      name: 'a hello with the stream fields at the top level, not in the stream map',
      bytes: raw.pack({ t: 'hello', v: 1, ...hello.stream, serverTimeMs: 0 }),
      error: /"stream"/,
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

describe('numbers in every msgpack format (docs/PROTOCOL.md section 2.1, types on the wire)', () => {
  // A number field is a msgpack integer or float, whatever the writer picked: msgpackr writes 1
  // as a fixint and 2^32 as a float64, other libraries a millisecond clock as a uint64.
  const FORMAT = {
    fixint: (v: number) => [v],
    uint32: (v: number) => [0xce, ...bigEndian(4, (d) => d.setUint32(0, v))],
    uint64: (v: number) => [0xcf, ...bigEndian(8, (d) => d.setBigUint64(0, BigInt(v)))],
    int64: (v: number) => [0xd3, ...bigEndian(8, (d) => d.setBigInt64(0, BigInt(v)))],
    float32: (v: number) => [0xca, ...bigEndian(4, (d) => d.setFloat32(0, v))],
    float64: (v: number) => [0xcb, ...bigEndian(8, (d) => d.setFloat64(0, v))],
  };
  function bigEndian(bytes: number, write: (view: DataView) => void): number[] {
    const view = new DataView(new ArrayBuffer(bytes));
    write(view);
    return [...new Uint8Array(view.buffer)];
  }
  /** `message` packed as a msgpack map, with `field` written in the format given. */
  function withField(message: object, field: string, value: number[]): Uint8Array {
    const entries = Object.entries(message);
    const bytes = [0x80 | entries.length];
    for (const [key, v] of entries)
      bytes.push(...raw.pack(key), ...(key === field ? value : raw.pack(v)));
    return Uint8Array.from(bytes);
  }
  const playback = {
    t: 'playback',
    live: false,
    playing: true,
    speed: 1,
    frame: 5,
    loop: true,
    a: null,
    b: null,
    notice: null,
  };
  const ping = { t: 'ping', id: 1, clientTimeMs: 1 };
  const latency = { t: 'latency', samplesMs: [] };
  const server = (bytes: Uint8Array) =>
    decodeServerMessage(bytes) as unknown as Record<string, unknown>;
  const client = (bytes: Uint8Array) =>
    decodeClientMessage(bytes) as unknown as Record<string, unknown>;

  const ACCEPTED = [
    {
      name: 'playback.speed as a fixint',
      decode: server,
      base: playback,
      field: 'speed',
      bytes: FORMAT.fixint(1),
      value: 1,
    },
    {
      name: 'playback.speed as a float32',
      decode: server,
      base: playback,
      field: 'speed',
      bytes: FORMAT.float32(0.25),
      value: 0.25,
    },
    {
      name: 'playback.speed as a float64',
      decode: server,
      base: playback,
      field: 'speed',
      bytes: FORMAT.float64(16),
      value: 16,
    },
    {
      name: 'frame.seq as a float64 (msgpackr, from 2^32)',
      decode: server,
      base: frame,
      field: 'seq',
      bytes: FORMAT.float64(2 ** 32),
      value: 2 ** 32,
    },
    {
      name: 'frame.seq as a uint64',
      decode: server,
      base: frame,
      field: 'seq',
      bytes: FORMAT.uint64(2 ** 40),
      value: 2 ** 40,
    },
    {
      name: 'frame.crc as a uint32',
      decode: server,
      base: frame,
      field: 'crc',
      bytes: FORMAT.uint32(0xffffffff),
      value: 0xffffffff,
    },
    {
      name: 'frame.producedAtMs as a uint64',
      decode: server,
      base: frame,
      field: 'producedAtMs',
      bytes: FORMAT.uint64(1_700_000_000_000),
      value: 1_700_000_000_000,
    },
    {
      name: 'hello.serverTimeMs as a uint64',
      decode: server,
      base: hello,
      field: 'serverTimeMs',
      bytes: FORMAT.uint64(1_700_000_000_000),
      value: 1_700_000_000_000,
    },
    {
      name: 'ping.clientTimeMs as a uint64',
      decode: client,
      base: ping,
      field: 'clientTimeMs',
      bytes: FORMAT.uint64(1_700_000_000_000),
      value: 1_700_000_000_000,
    },
    {
      name: 'ping.id as a float64 of an integer',
      decode: client,
      base: ping,
      field: 'id',
      bytes: FORMAT.float64(7),
      value: 7,
    },
    {
      name: 'ping.id as a uint64',
      decode: client,
      base: ping,
      field: 'id',
      bytes: FORMAT.uint64(2 ** 53 - 1),
      value: 2 ** 53 - 1,
    },
    {
      name: 'latency.samplesMs as an int64 and a float32',
      decode: client,
      base: latency,
      field: 'samplesMs',
      bytes: [0x92, ...FORMAT.int64(-3), ...FORMAT.float32(2.5)],
      value: [-3, 2.5],
    },
  ];
  it.each(ACCEPTED)('accept $name', ({ decode, base, field, bytes, value }) => {
    expect(decode(withField(base, field, bytes))[field]).toEqual(value);
  });

  const REFUSED = [
    {
      name: 'frame.seq with a fraction',
      decode: server,
      base: frame,
      field: 'seq',
      bytes: FORMAT.float64(1.5),
    },
    {
      name: 'frame.seq beyond 2^53',
      decode: server,
      base: frame,
      field: 'seq',
      bytes: FORMAT.uint64(2 ** 60),
    },
    {
      name: 'frame.crc beyond 32 bits',
      decode: server,
      base: frame,
      field: 'crc',
      bytes: FORMAT.uint64(2 ** 32),
    },
    {
      name: 'playback.speed as a string',
      decode: server,
      base: playback,
      field: 'speed',
      bytes: [...raw.pack('1')],
    },
    {
      name: 'playback.speed as NaN',
      decode: server,
      base: playback,
      field: 'speed',
      bytes: FORMAT.float64(Number.NaN),
    },
    { name: 'ping.id below 0', decode: client, base: ping, field: 'id', bytes: FORMAT.int64(-1) },
  ];
  it.each(REFUSED)('refuse $name', ({ decode, base, field, bytes }) => {
    expect(() => decode(withField(base, field, bytes))).toThrow(`"${field}"`);
  });
});
