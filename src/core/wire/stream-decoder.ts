// The client side of the stream protocol, shared by the browser worker, tests and benchmarks:
// validates each message, decodes frames against the history it holds, refuses a frame whose
// checksum fails, and says when to ask the server for a resync (docs/PROTOCOL.md).
import { crc32 } from '../crc32';
import { FrameDecoder } from './frame-codec';
import {
  WireError,
  decodeServerMessage,
  type ErrorMessage,
  type HelloMessage,
  type PlaybackMessage,
  type PongMessage,
  type StreamInfo,
} from './envelope';

export interface DecodedFrame {
  seq: number;
  frameIndex: number;
  width: number;
  height: number;
  /**
   * An array the caller owns (safe to transfer to another thread): a new one, or one handed back
   * through StreamDecoder.recycle().
   */
  phases: Uint16Array;
  producedAtMs: number;
  /** CRC-32 of the decoded phases (u16 little-endian): checked equal to the frame message's. */
  crc: number;
  /** Wire size of the frame message. */
  wireBytes: number;
  kind: 0 | 1;
}

export type StreamEvent =
  | { type: 'hello'; message: HelloMessage }
  | { type: 'frame'; frame: DecodedFrame }
  | { type: 'pong'; message: PongMessage }
  /** A new sequence epoch began: history is gone, a keyframe follows. */
  | { type: 'playback'; message: PlaybackMessage }
  | { type: 'server-error'; message: ErrorMessage }
  /** Something was wrong; `resync` says the caller must send a resync request now. */
  | { type: 'fault'; message: string; resync: boolean }
  /**
   * A frame not used, with nothing reset: a delta while a keyframe is awaited after a resync
   * request, or a stale keyframe (its seq not above the last decoded one).
   */
  | { type: 'skipped'; seq: number };

/** Ask again if the keyframe after a resync request has not come within this time. */
export const RESYNC_RETRY_MS = 1000;

/**
 * Frame buffers handed back and kept for the next decodes, at most. The page hands one back as
 * each frame leaves its holders, so one or two cover a steady stream; the rest are left to the
 * garbage collector, so a page that hands back more than it receives cannot grow the pool.
 */
export const MAX_SPARE_BUFFERS = 4;

export class StreamDecoder {
  private stream: StreamInfo | null = null;
  private decoder: FrameDecoder | null = null;
  private lastSeq: number | null = null;
  private awaitingKeySinceMs: number | null = null;
  /** Handed-back frame buffers of the stream's size, for the next decodes (newest last). */
  private spare: Uint16Array[] = [];
  /** Spins of the buffers the pool takes: the last hello's lattice, kept across a reconnection. */
  private spareSpins = 0;
  framesDecoded = 0;
  faults = 0;
  /** Frames decoded into a handed-back buffer rather than a new one. */
  buffersReused = 0;

  get info(): StreamInfo | null {
    return this.stream;
  }

  /**
   * A frame's phases the caller no longer reads, to decode a later frame into. Kept only when the
   * last hello's lattice has that size and the pool has room; the caller must not touch it again.
   * A stream reconnecting to the same lattice keeps its pool.
   */
  recycle(phases: Uint16Array): void {
    if (phases.length === 0 || phases.length !== this.spareSpins) return;
    if (this.spare.length >= MAX_SPARE_BUFFERS || this.spare.includes(phases)) return;
    this.spare.push(phases);
  }

  /** Handed-back buffers waiting to be decoded into. */
  get spareBuffers(): number {
    return this.spare.length;
  }

  /** Forget the stream (the connection closed); the next hello starts afresh. */
  reset(): void {
    this.stream = null;
    this.decoder = null;
    this.lastSeq = null;
    this.awaitingKeySinceMs = null;
  }

  private fault(message: string, nowMs: number): StreamEvent {
    this.faults += 1;
    this.decoder?.reset();
    // Deltas in flight are useless now; ask once, and again only if the keyframe is late.
    const ask =
      this.awaitingKeySinceMs === null || nowMs - this.awaitingKeySinceMs >= RESYNC_RETRY_MS;
    if (ask) this.awaitingKeySinceMs = nowMs;
    return { type: 'fault', message, resync: ask };
  }

  accept(bytes: Uint8Array, nowMs: number): StreamEvent {
    let message;
    try {
      message = decodeServerMessage(bytes);
    } catch (error) {
      if (!(error instanceof WireError)) throw error;
      return this.fault(error.message, nowMs);
    }
    switch (message.t) {
      case 'hello':
        // Buffers of another lattice size fit no frame of this stream.
        if (message.stream.width * message.stream.height !== this.spareSpins) {
          this.spare = [];
          this.spareSpins = message.stream.width * message.stream.height;
        }
        this.stream = message.stream;
        this.decoder = new FrameDecoder(message.stream.width, message.stream.height);
        this.lastSeq = null;
        this.awaitingKeySinceMs = null;
        return { type: 'hello', message };
      case 'pong':
        return { type: 'pong', message };
      case 'error':
        return { type: 'server-error', message };
      case 'playback':
        this.decoder?.reset();
        this.lastSeq = null;
        this.awaitingKeySinceMs = null;
        return { type: 'playback', message };
      case 'frame':
        break;
    }
    const stream = this.stream;
    const decoder = this.decoder;
    if (!stream || !decoder) return this.fault('[wire] frame before hello', nowMs);
    const seq = message.seq;
    if (message.kind === 1) {
      if (this.awaitingKeySinceMs !== null) {
        if (nowMs - this.awaitingKeySinceMs >= RESYNC_RETRY_MS) {
          return this.fault(
            `[wire] still no keyframe ${RESYNC_RETRY_MS} ms after a resync request`,
            nowMs,
          );
        }
        return { type: 'skipped', seq };
      }
      if (this.lastSeq === null || seq !== this.lastSeq + 1) {
        return this.fault(
          `[wire] sequence gap: delta ${seq} after ${this.lastSeq ?? 'nothing'}`,
          nowMs,
        );
      }
    } else if (this.lastSeq !== null && seq <= this.lastSeq) {
      // A keyframe of a frame already decoded (the answer to a resync request that crossed a
      // frame, say): the frames held are still the stream's, so dropping it loses nothing.
      return { type: 'skipped', seq };
    }
    const target = this.spare.pop();
    let phases: Uint16Array;
    try {
      phases = decoder.decode(message.kind, message.order, message.data, target);
    } catch (error) {
      if (target) this.spare.push(target);
      return this.fault(`frame ${seq}: ${(error as Error).message}`, nowMs);
    }
    const crc = crc32(new Uint8Array(phases.buffer, phases.byteOffset, phases.byteLength));
    if (crc !== message.crc) {
      if (target) this.spare.push(target);
      return this.fault(
        `[wire] frame ${seq}: checksum mismatch (expected 0x${message.crc.toString(16)}, computed 0x${crc.toString(16)})`,
        nowMs,
      );
    }
    this.lastSeq = seq;
    this.awaitingKeySinceMs = null;
    this.framesDecoded += 1;
    if (target) this.buffersReused += 1;
    return {
      type: 'frame',
      frame: {
        seq,
        frameIndex: message.fi,
        width: stream.width,
        height: stream.height,
        phases,
        producedAtMs: message.producedAtMs,
        crc,
        wireBytes: bytes.byteLength,
        kind: message.kind,
      },
    };
  }
}
