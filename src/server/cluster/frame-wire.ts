// A frame as it travels from the source to the gateways over NATS: the CRC and the encoded forms
// the source made, never the phases, so a frame is encoded once in the whole cluster. Binary and
// small: a 28-byte header, then each form's kind, order and payload. The follower form (what a
// client that got every frame needs) is always there; the keyframe and the order-1 catch-up only
// when a gateway asked for them (cluster/publisher.ts), because a 12k keyframe is eight times a
// delta and most frames need none.
import type { EncodedFrame } from '../../core/wire/frame-codec';

const MAGIC = 0x5046; // "PF"
const VERSION = 1;
const HEADER_BYTES = 2 + 1 + 4 + 4 + 4 + 8 + 4 + 1;
const FORM_HEADER_BYTES = 1 + 1 + 4;
/** Beyond any lattice the console takes (16,777,216 spins as a stored keyframe) plus slack. */
const MAX_PAYLOAD_BYTES = 2 * 16_777_216 + 64;

export interface WireFrame {
  /** The publishing source's run: a new run (a standby that took over) shares no history. */
  run: number;
  /** Frames this run published for the tenant before this one: a gap means lost frames. */
  n: number;
  frameIndex: number;
  producedAtMs: number;
  crc: number;
  /** The form for clients that received every frame of this run (a delta, or the keyframe). */
  follower: EncodedFrame;
  /** Present when asked for. */
  key: EncodedFrame | null;
  /** The order-1 delta, present after a frame that carried the keyframe (if `follower` is order 2). */
  catchUp: EncodedFrame | null;
}

export class FrameWireError extends Error {
  constructor(message: string) {
    super(`[cluster] frame message: ${message}`);
    this.name = 'FrameWireError';
  }
}

const ROLE_FOLLOWER = 1;
const ROLE_KEY = 2;
const ROLE_CATCH_UP = 4;

export function encodeWireFrame(frame: WireFrame): Uint8Array {
  // A form that serves two roles (the follower form is the keyframe after a gap) travels once.
  const forms = new Map<EncodedFrame, number>();
  const add = (form: EncodedFrame | null, role: number): void => {
    if (form) forms.set(form, (forms.get(form) ?? 0) | role);
  };
  add(frame.follower, ROLE_FOLLOWER);
  add(frame.key, ROLE_KEY);
  add(frame.catchUp, ROLE_CATCH_UP);
  let size = HEADER_BYTES;
  for (const form of forms.keys()) size += FORM_HEADER_BYTES + form.payload.byteLength;
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  view.setUint16(0, MAGIC);
  view.setUint8(2, VERSION);
  view.setUint32(3, frame.run);
  view.setUint32(7, frame.n);
  view.setUint32(11, frame.frameIndex);
  view.setFloat64(15, frame.producedAtMs);
  view.setUint32(23, frame.crc);
  view.setUint8(27, forms.size);
  let at = HEADER_BYTES;
  for (const [form, roles] of forms) {
    view.setUint8(at, (roles << 4) | (form.kind << 2) | form.order);
    view.setUint8(at + 1, 0);
    view.setUint32(at + 2, form.payload.byteLength);
    bytes.set(form.payload, at + FORM_HEADER_BYTES);
    at += FORM_HEADER_BYTES + form.payload.byteLength;
  }
  return bytes;
}

/** Reads a frame message; throws FrameWireError for anything malformed (nothing is trusted). */
export function decodeWireFrame(bytes: Uint8Array): WireFrame {
  if (bytes.byteLength < HEADER_BYTES) {
    throw new FrameWireError(
      `${bytes.byteLength} bytes, shorter than the ${HEADER_BYTES}-byte header`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint16(0) !== MAGIC) throw new FrameWireError('not a frame message (bad magic)');
  if (view.getUint8(2) !== VERSION) {
    throw new FrameWireError(`version ${view.getUint8(2)}, this server reads ${VERSION}`);
  }
  const count = view.getUint8(27);
  let follower: EncodedFrame | null = null;
  let key: EncodedFrame | null = null;
  let catchUp: EncodedFrame | null = null;
  let at = HEADER_BYTES;
  for (let i = 0; i < count; i++) {
    if (at + FORM_HEADER_BYTES > bytes.byteLength) throw new FrameWireError('form header cut off');
    const packed = view.getUint8(at);
    const length = view.getUint32(at + 2);
    const roles = packed >> 4;
    const kind = (packed >> 2) & 3;
    const order = packed & 3;
    const valid = (kind === 0 && order === 0) || (kind === 1 && (order === 1 || order === 2));
    if (!valid) throw new FrameWireError(`form of kind ${kind} and order ${order}`);
    if (length > MAX_PAYLOAD_BYTES || at + FORM_HEADER_BYTES + length > bytes.byteLength) {
      throw new FrameWireError(`form of ${length} bytes runs past the message`);
    }
    const payload = bytes.subarray(at + FORM_HEADER_BYTES, at + FORM_HEADER_BYTES + length);
    const form: EncodedFrame = { kind: kind as 0 | 1, order: order as 0 | 1 | 2, payload };
    if (roles & ROLE_FOLLOWER) follower = form;
    if (roles & ROLE_KEY) key = form;
    if (roles & ROLE_CATCH_UP) catchUp = form;
    at += FORM_HEADER_BYTES + length;
  }
  if (at !== bytes.byteLength)
    throw new FrameWireError(`${bytes.byteLength - at} bytes after the last form`);
  if (!follower) throw new FrameWireError('no follower form');
  if (key && key.kind !== 0) throw new FrameWireError('the keyframe form is a delta');
  return {
    run: view.getUint32(3),
    n: view.getUint32(7),
    frameIndex: view.getUint32(11),
    producedAtMs: view.getFloat64(15),
    crc: view.getUint32(23),
    follower,
    key,
    catchUp,
  };
}
