// The msgpackr envelope of the stream protocol (docs/PROTOCOL.md). Shared by the server, the
// browser worker, benchmarks and tests, so both ends validate the same shapes.
import { Packr } from 'msgpackr';
import type { PlaybackControl } from './playback';

export const PROTOCOL_VERSION = 1;
/** WebSocket subprotocol that carries the protocol version during the upgrade. */
export const SUBPROTOCOL = `phase.v${PROTOCOL_VERSION}`;
/** Largest message a client may send; anything bigger is a protocol error. */
export const MAX_CLIENT_MESSAGE_BYTES = 4096;

/** Application close codes (4000-4999 are free for applications in RFC 6455). */
export const CLOSE = {
  normal: 1000,
  goingAway: 1001,
  protocolError: 1002,
  policyViolation: 1008,
  messageTooBig: 1009,
  badMessage: 4400,
  unauthorized: 4401,
  forbidden: 4403,
  unknownTenant: 4404,
  unsupportedVersion: 4426,
  /** A client that kept sending faster than the server reads (docs/PROTOCOL.md section 6). */
  tooManyMessages: 4429,
} as const;

export type SourceKind = 'replay' | 'live';

export interface StreamInfo {
  tenant: string;
  width: number;
  height: number;
  /** Frames in the trace; 0 for a live source. */
  frameCount: number;
  intervalUs: number;
  source: SourceKind;
}

export interface HelloMessage {
  t: 'hello';
  v: number;
  stream: StreamInfo;
  serverTimeMs: number;
}

export interface FrameMessage {
  t: 'frame';
  /** Per-stream sequence number, +1 for every frame the stream produces (skipped ones included). */
  seq: number;
  /** Frame index in the trace (or the simulator's frame counter for live sources). */
  fi: number;
  /** 0 keyframe, 1 delta (see docs/CODEC.md). */
  kind: 0 | 1;
  /** How many previous decoded frames a delta needs (0 for keyframes). */
  order: 0 | 1 | 2;
  /** CRC-32 of the decoded frame's u16 little-endian bytes. */
  crc: number;
  /** Server wall clock when the frame was produced, in milliseconds since the epoch. */
  producedAtMs: number;
  data: Uint8Array;
}

export interface ErrorMessage {
  t: 'error';
  code: string;
  message: string;
}

export interface PongMessage {
  t: 'pong';
  id: number;
  clientTimeMs: number;
  serverTimeMs: number;
}

/**
 * The client's playback state, sent after every control message. It starts a new sequence
 * epoch: the client forgets its frame history and `seq`, and the next frame is a keyframe.
 */
export interface PlaybackMessage {
  t: 'playback';
  live: boolean;
  playing: boolean;
  speed: number;
  /** Frame index at the cursor (for a client following the head: the head's frame). */
  frame: number;
  loop: boolean;
  a: number | null;
  b: number | null;
  /** Why the last control was ignored, if it was. */
  notice: string | null;
}

export type ServerMessage =
  HelloMessage | FrameMessage | ErrorMessage | PongMessage | PlaybackMessage;

export interface PingMessage {
  t: 'ping';
  id: number;
  clientTimeMs: number;
}

export interface ResyncMessage {
  t: 'resync';
  reason: string;
}

export interface ControlMessage {
  t: 'control';
  control: PlaybackControl;
}

/**
 * Frame latencies the client measured since its last report: produced on the server to decoded
 * in the client, corrected by the clock offset it estimated with ping/pong, in milliseconds.
 */
export interface LatencyMessage {
  t: 'latency';
  samplesMs: number[];
}

export const MAX_LATENCY_SAMPLES = 240;

export type ClientMessage = PingMessage | ResyncMessage | ControlMessage | LatencyMessage;

export class WireError extends Error {
  constructor(message: string) {
    super(`[wire] ${message}`);
    this.name = 'WireError';
  }
}

// Plain maps (no record extension) keep the wire readable by any msgpack implementation. Other
// writers send integers of 2^32 and above as uint64 or int64 (a millisecond clock, for one), which
// msgpackr reads as BigInt by default, and the field checks refused them: read them as numbers
// (exact up to 2^53; an integer field refuses anything larger).
const packr = new Packr({ useRecords: false, moreTypes: false, int64AsType: 'number' });

export function encodeMessage(message: ServerMessage | ClientMessage): Uint8Array<ArrayBuffer> {
  // msgpackr returns a Buffer (Node) or Uint8Array (browser) over a plain ArrayBuffer.
  return packr.pack(message) as Uint8Array<ArrayBuffer>;
}

function unpackObject(bytes: Uint8Array): Record<string, unknown> {
  let value: unknown;
  try {
    value = packr.unpack(bytes);
  } catch (error) {
    throw new WireError(`not a msgpack message (${(error as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new WireError('message is not a map');
  }
  return value as Record<string, unknown>;
}

function isUint(value: unknown, max = Number.MAX_SAFE_INTEGER): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= max;
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function requireField(condition: boolean, type: string, field: string, expected: string): void {
  if (!condition) throw new WireError(`${type} message: field "${field}" must be ${expected}`);
}

function checkStreamInfo(value: unknown): StreamInfo {
  requireField(typeof value === 'object' && value !== null, 'hello', 'stream', 'a map');
  const s = value as Record<string, unknown>;
  requireField(typeof s.tenant === 'string', 'hello', 'stream.tenant', 'a string');
  requireField(isUint(s.width) && s.width >= 1, 'hello', 'stream.width', 'a positive integer');
  requireField(isUint(s.height) && s.height >= 1, 'hello', 'stream.height', 'a positive integer');
  requireField(
    (s.width as number) * (s.height as number) <= 16_777_216,
    'hello',
    'stream.width*height',
    'at most 16,777,216 spins',
  );
  requireField(isUint(s.frameCount), 'hello', 'stream.frameCount', 'a non-negative integer');
  requireField(isUint(s.intervalUs) && s.intervalUs >= 1, 'hello', 'stream.intervalUs', '>= 1');
  requireField(
    s.source === 'replay' || s.source === 'live',
    'hello',
    'stream.source',
    'replay|live',
  );
  return s as unknown as StreamInfo;
}

/** Decodes and validates a message from the server; throws WireError saying what was wrong. */
export function decodeServerMessage(bytes: Uint8Array): ServerMessage {
  const m = unpackObject(bytes);
  switch (m.t) {
    case 'frame':
      requireField(isUint(m.seq), 'frame', 'seq', 'a non-negative integer');
      requireField(isUint(m.fi), 'frame', 'fi', 'a non-negative integer');
      requireField(m.kind === 0 || m.kind === 1, 'frame', 'kind', '0 or 1');
      requireField(m.order === 0 || m.order === 1 || m.order === 2, 'frame', 'order', '0, 1 or 2');
      requireField(isUint(m.crc, 0xffffffff), 'frame', 'crc', 'a u32');
      requireField(isFiniteNumber(m.producedAtMs), 'frame', 'producedAtMs', 'a number');
      requireField(m.data instanceof Uint8Array, 'frame', 'data', 'binary');
      return m as unknown as FrameMessage;
    case 'hello':
      requireField(isUint(m.v), 'hello', 'v', 'an integer');
      checkStreamInfo(m.stream);
      requireField(isFiniteNumber(m.serverTimeMs), 'hello', 'serverTimeMs', 'a number');
      return m as unknown as HelloMessage;
    case 'error':
      requireField(typeof m.code === 'string', 'error', 'code', 'a string');
      requireField(typeof m.message === 'string', 'error', 'message', 'a string');
      return m as unknown as ErrorMessage;
    case 'playback':
      requireField(typeof m.live === 'boolean', 'playback', 'live', 'a boolean');
      requireField(typeof m.playing === 'boolean', 'playback', 'playing', 'a boolean');
      requireField(isFiniteNumber(m.speed), 'playback', 'speed', 'a number');
      requireField(isUint(m.frame), 'playback', 'frame', 'a frame index');
      requireField(typeof m.loop === 'boolean', 'playback', 'loop', 'a boolean');
      requireField(m.a === null || isUint(m.a), 'playback', 'a', 'a frame index or nil');
      requireField(m.b === null || isUint(m.b), 'playback', 'b', 'a frame index or nil');
      requireField(
        m.notice === null || typeof m.notice === 'string',
        'playback',
        'notice',
        'a string or nil',
      );
      return m as unknown as PlaybackMessage;
    case 'pong':
      requireField(isUint(m.id), 'pong', 'id', 'an integer');
      requireField(isFiniteNumber(m.clientTimeMs), 'pong', 'clientTimeMs', 'a number');
      requireField(isFiniteNumber(m.serverTimeMs), 'pong', 'serverTimeMs', 'a number');
      return m as unknown as PongMessage;
    default:
      throw new WireError(`unknown server message type ${JSON.stringify(m.t)}`);
  }
}

const isFrameNumber = (v: unknown): v is number => isUint(v, 0xffffffff);

function checkControl(value: unknown): PlaybackControl {
  requireField(typeof value === 'object' && value !== null, 'control', 'control', 'a map');
  const c = value as Record<string, unknown>;
  switch (c.action) {
    case 'play':
    case 'pause':
    case 'live':
      return { action: c.action };
    case 'seek':
      requireField(isFrameNumber(c.frame), 'control', 'control.frame', 'a frame index');
      return { action: 'seek', frame: c.frame as number };
    case 'step':
      requireField(
        typeof c.delta === 'number' && Number.isInteger(c.delta) && Math.abs(c.delta) <= 0xffffffff,
        'control',
        'control.delta',
        'an integer',
      );
      return { action: 'step', delta: c.delta as number };
    case 'speed':
      requireField(isFiniteNumber(c.speed), 'control', 'control.speed', 'a number');
      return { action: 'speed', speed: c.speed as number };
    case 'loop':
      requireField(typeof c.loop === 'boolean', 'control', 'control.loop', 'a boolean');
      requireField(
        c.a === null || isFrameNumber(c.a),
        'control',
        'control.a',
        'a frame index or nil',
      );
      requireField(
        c.b === null || isFrameNumber(c.b),
        'control',
        'control.b',
        'a frame index or nil',
      );
      return {
        action: 'loop',
        loop: c.loop as boolean,
        a: c.a as number | null,
        b: c.b as number | null,
      };
    default:
      throw new WireError(`control message: unknown action ${JSON.stringify(c.action)}`);
  }
}

/** Decodes and validates a message from a client; throws WireError saying what was wrong. */
export function decodeClientMessage(bytes: Uint8Array): ClientMessage {
  if (bytes.byteLength > MAX_CLIENT_MESSAGE_BYTES) {
    throw new WireError(
      `client message of ${bytes.byteLength} bytes exceeds ${MAX_CLIENT_MESSAGE_BYTES}`,
    );
  }
  const m = unpackObject(bytes);
  switch (m.t) {
    case 'ping':
      requireField(isUint(m.id), 'ping', 'id', 'a non-negative integer');
      requireField(isFiniteNumber(m.clientTimeMs), 'ping', 'clientTimeMs', 'a number');
      return { t: 'ping', id: m.id as number, clientTimeMs: m.clientTimeMs as number };
    case 'resync':
      requireField(
        typeof m.reason === 'string' && m.reason.length <= 200,
        'resync',
        'reason',
        'a string of at most 200 characters',
      );
      return { t: 'resync', reason: m.reason as string };
    case 'control':
      return { t: 'control', control: checkControl(m.control) };
    case 'latency': {
      const samples = m.samplesMs;
      requireField(
        Array.isArray(samples) &&
          samples.length <= MAX_LATENCY_SAMPLES &&
          samples.every((v) => isFiniteNumber(v) && v > -60_000 && v < 60_000),
        'latency',
        'samplesMs',
        `an array of at most ${MAX_LATENCY_SAMPLES} numbers of milliseconds within ±60,000`,
      );
      return { t: 'latency', samplesMs: samples as number[] };
    }
    default:
      throw new WireError(`unknown client message type ${JSON.stringify(m.t)}`);
  }
}
