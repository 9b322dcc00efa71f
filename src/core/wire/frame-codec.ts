// The lossless frame codec of the delta wire protocol; docs/CODEC.md specifies the payloads byte for
// byte. One FrameEncoder per stream sees every frame once; each client's FrameDecoder holds the last
// two frames it decoded, which is what a delta of order 1 or 2 is predicted from.
import { DeflateWriter } from './deflate-writer';
import { deflatePlanes, inflatePlanes } from './entropy';
import {
  COEFFICIENT_LIMIT,
  createCouplingScratch,
  fitCoupling,
  keyFromPlanes,
  keyToPlanes,
  order1FromPlanes,
  order1ToPlanes,
  order2FromPlanes,
  order2ToPlanes,
  type CouplingScratch,
} from './predict';

export const FRAME_KEY = 0;
export const FRAME_DELTA = 1;
export type FrameKind = typeof FRAME_KEY | typeof FRAME_DELTA;

export interface EncodedFrame {
  kind: FrameKind;
  payload: Uint8Array;
  /** Previous decoded frames the decoder must hold: 0 for a keyframe, 1 or 2 for a delta. */
  order: 0 | 1 | 2;
}

/** First byte of every payload: how the rest of it is coded (docs/CODEC.md, "Payloads"). */
export const CODING = {
  /** Keyframe, the phases as u16 little-endian: what incompressible input costs. */
  storedKey: 0,
  /** Keyframe, planar spatial prediction, deflated residual planes. */
  planarKey: 1,
  /** Order-1 delta: motion predicted from the neighbours' motion, deflated residual planes. */
  motionDelta: 2,
  /** Order-2 delta: coupling-corrected second difference, two i32 coefficients, deflated planes. */
  coupledDelta: 3,
} as const;

const COUPLED_HEADER_BYTES = 9;
const MAX_SPINS = 16_777_216;
/** Bytes over a frame's raw size a payload may have before the decoder calls it malformed. */
const PAYLOAD_SLACK_BYTES = 64;

function checkDimensions(width: number, height: number, who: string): void {
  const ok =
    Number.isInteger(width) &&
    Number.isInteger(height) &&
    width >= 1 &&
    height >= 1 &&
    width * height <= MAX_SPINS;
  if (!ok) {
    throw new RangeError(
      `[wire] ${who}: lattice ${width}x${height} out of range (1 <= W, H; W*H <= ${MAX_SPINS})`,
    );
  }
}

/** Frames a decoder holds after decoding `frame` when it held `held` before: what a sender tracks. */
export function framesHeldAfter(frame: EncodedFrame, held: number): number {
  return frame.kind === FRAME_KEY ? 1 : Math.min(held + 1, 2);
}

/**
 * The wire forms of one frame of a stream. Each form is encoded at most once, when first asked
 * for, and stays valid however many frames the encoder has taken since.
 */
export interface FrameEncoding {
  /**
   * For clients that received every earlier frame of the stream as sent (`delta ?? key`): a delta
   * of the highest order their history allows, or null when they need the keyframe (first frame
   * after a reset, or input a delta does not shrink). Encoded eagerly: every frame needs it.
   */
  readonly delta: EncodedFrame | null;
  /** The keyframe, for clients that join or resync. Never more than raw + 1 byte. */
  readonly key: EncodedFrame;
  /**
   * Delta against the `order` frames before this one, for a client holding at least that many.
   * Null when the stream has fewer frames before this one, or when the delta is over half the raw
   * size and the keyframe is no larger: send the keyframe then.
   */
  deltaOfOrder(order: 1 | 2): EncodedFrame | null;
  /** For a client holding `held` consecutive frames before this one: best delta, else the key. */
  frameFor(held: number): EncodedFrame;
}

/** Scratch one encoder's frames share; encoding is synchronous, so one frame uses it at a time. */
interface EncoderScratch {
  readonly width: number;
  readonly height: number;
  readonly planes: Uint8Array;
  readonly motion: Int32Array;
  readonly coupling: CouplingScratch;
  readonly deflater: DeflateWriter;
}

function keyPayload(scratch: EncoderScratch, frame: Uint16Array): Uint8Array {
  const n = frame.length;
  keyToPlanes(frame, scratch.width, scratch.height, scratch.planes);
  const payload = deflatePlanes(scratch.deflater, scratch.planes, 1);
  if (payload.length < 1 + 2 * n) {
    payload[0] = CODING.planarKey;
    return payload;
  }
  const stored = new Uint8Array(1 + 2 * n);
  stored[0] = CODING.storedKey;
  for (let i = 0; i < n; i++) {
    const q = frame[i]!;
    stored[1 + 2 * i] = q;
    stored[2 + 2 * i] = q >>> 8;
  }
  return stored;
}

function order1Payload(scratch: EncoderScratch, frame: Uint16Array, prev1: Uint16Array) {
  const { width, height, motion, planes } = scratch;
  order1ToPlanes(frame, prev1, width, height, motion, planes);
  const payload = deflatePlanes(scratch.deflater, planes, 1);
  payload[0] = CODING.motionDelta;
  return payload;
}

function order2Payload(
  scratch: EncoderScratch,
  frame: Uint16Array,
  prev1: Uint16Array,
  prev2: Uint16Array,
): Uint8Array {
  const { width, height, coupling, planes } = scratch;
  const { a, b } = fitCoupling(frame, prev1, prev2, width, height, coupling);
  order2ToPlanes(frame, prev1, prev2, width, height, a, b, coupling, planes);
  const payload = deflatePlanes(scratch.deflater, planes, COUPLED_HEADER_BYTES);
  const header = new DataView(payload.buffer, payload.byteOffset, COUPLED_HEADER_BYTES);
  header.setUint8(0, CODING.coupledDelta);
  header.setInt32(1, a, true);
  header.setInt32(5, b, true);
  return payload;
}

class LazyFrameEncoding implements FrameEncoding {
  readonly delta: EncodedFrame | null;
  private keyFrame: EncodedFrame | null = null;
  /** Per order: undefined until encoded, null when the keyframe is the better choice. */
  private readonly deltas: (EncodedFrame | null | undefined)[] = [undefined, undefined];
  private readonly scratch: EncoderScratch;
  private readonly frame: Uint16Array;
  private readonly prev1: Uint16Array | null;
  private readonly prev2: Uint16Array | null;

  constructor(
    scratch: EncoderScratch,
    frame: Uint16Array,
    prev1: Uint16Array | null,
    prev2: Uint16Array | null,
    followerOrder: number,
  ) {
    this.scratch = scratch;
    this.frame = frame;
    this.prev1 = prev1;
    this.prev2 = prev2;
    this.delta = followerOrder === 0 ? null : this.deltaOfOrder(followerOrder === 1 ? 1 : 2);
  }

  get key(): EncodedFrame {
    this.keyFrame ??= { kind: FRAME_KEY, payload: keyPayload(this.scratch, this.frame), order: 0 };
    return this.keyFrame;
  }

  deltaOfOrder(order: 1 | 2): EncodedFrame | null {
    if (order !== 1 && order !== 2) {
      throw new RangeError(`[wire] FrameEncoder: delta order must be 1 or 2, got ${order}`);
    }
    const cached = this.deltas[order - 1];
    if (cached !== undefined) return cached;
    const { scratch, frame, prev1, prev2 } = this;
    let delta: EncodedFrame | null = null;
    if (order === 1 ? prev1 : prev2) {
      const payload =
        order === 1
          ? order1Payload(scratch, frame, prev1!)
          : order2Payload(scratch, frame, prev1!, prev2!);
      // Only a poor delta can lose to the keyframe, so only then is the keyframe encoded to check.
      const poor = payload.length > frame.length;
      delta =
        poor && this.key.payload.length <= payload.length
          ? null
          : { kind: FRAME_DELTA, payload, order };
    }
    this.deltas[order - 1] = delta;
    return delta;
  }

  frameFor(held: number): EncodedFrame {
    const order = Math.min(held, this.prev2 ? 2 : this.prev1 ? 1 : 0);
    return (order >= 1 ? this.deltaOfOrder(order === 1 ? 1 : 2) : null) ?? this.key;
  }
}

export class FrameEncoder {
  readonly width: number;
  readonly height: number;
  private readonly scratch: EncoderScratch;
  private prev1: Uint16Array | null = null;
  private prev2: Uint16Array | null = null;
  /** Frames held by a client that got every frame as `delta ?? key`. */
  private followerHeld = 0;

  constructor(width: number, height: number) {
    checkDimensions(width, height, 'FrameEncoder');
    this.width = width;
    this.height = height;
    const n = width * height;
    this.scratch = {
      width,
      height,
      planes: new Uint8Array(2 * n),
      motion: new Int32Array(n),
      coupling: createCouplingScratch(width, height),
      deflater: new DeflateWriter(2 * n),
    };
  }

  /**
   * Takes the stream's next frame (copied: the caller may reuse its array) and encodes the delta
   * for clients that follow the stream. Costs one delta encode; anything else only when asked for.
   */
  encode(phases: Uint16Array): FrameEncoding {
    if (!(phases instanceof Uint16Array) || phases.length !== this.width * this.height) {
      throw new RangeError(
        `[wire] FrameEncoder: expected a Uint16Array of ${this.width * this.height} phases ` +
          `(${this.width}x${this.height}), got ${describe(phases)}`,
      );
    }
    // A fresh copy per frame, not a ring: encodings keep their frames for lazy keyframes.
    const frame = phases.slice();
    const encoding = new LazyFrameEncoding(
      this.scratch,
      frame,
      this.prev1,
      this.prev2,
      Math.min(this.followerHeld, 2),
    );
    this.prev2 = this.prev1;
    this.prev1 = frame;
    this.followerHeld = encoding.delta ? Math.min(this.followerHeld + 1, 2) : 1;
    return encoding;
  }

  /** Forgets the stream's history: the next frame goes out as a keyframe. */
  reset(): void {
    this.prev1 = null;
    this.prev2 = null;
    this.followerHeld = 0;
  }
}

export class FrameDecoder {
  readonly width: number;
  readonly height: number;
  private readonly spinCount: number;
  /** The decoder's own copies of the last two frames, newest first: returned frames may move. */
  private history: [Uint16Array, Uint16Array];
  private held = 0;
  /** One byte over a frame's planes, to catch streams that inflate to more. */
  private readonly inflateScratch: Uint8Array;
  private readonly motion: Int32Array;
  private readonly coupling: CouplingScratch;

  constructor(width: number, height: number) {
    checkDimensions(width, height, 'FrameDecoder');
    this.width = width;
    this.height = height;
    const n = width * height;
    this.spinCount = n;
    this.history = [new Uint16Array(n), new Uint16Array(n)];
    this.inflateScratch = new Uint8Array(2 * n + 1);
    this.motion = new Int32Array(n);
    this.coupling = createCouplingScratch(width, height);
  }

  /** Consecutive decoded frames held: 0 after reset, 1 after a keyframe, 2 after a delta. */
  get framesHeld(): number {
    return this.held;
  }

  /**
   * Decodes one payload into an array the caller owns (it may keep or transfer it): `into` when
   * given, a new one otherwise. Writing into an array already written costs far less than into a
   * new one, whose pages the engine must first map (docs/PERFORMANCE.md). Throws an Error starting
   * with "[wire]" on a malformed payload or an order the history cannot serve, and then leaves the
   * decoder as it was (`into` may hold a partly decoded frame then).
   */
  decode(kind: FrameKind, order: number, payload: Uint8Array, into?: Uint16Array): Uint16Array {
    if (kind !== FRAME_KEY && kind !== FRAME_DELTA) {
      throw new Error(`[wire] unknown frame kind ${String(kind)} (0 key, 1 delta)`);
    }
    if (kind === FRAME_KEY ? order !== 0 : order !== 1 && order !== 2) {
      const expected = kind === FRAME_KEY ? 'a keyframe has order 0' : 'a delta has order 1 or 2';
      throw new Error(`[wire] order ${String(order)} is invalid: ${expected}`);
    }
    if (order > this.held) {
      throw new Error(
        `[wire] delta of order ${order} needs ${order} previous frames, decoder holds ${this.held}`,
      );
    }
    if (!(payload instanceof Uint8Array) || payload.length === 0) {
      throw new Error(`[wire] empty or non-binary payload (${describe(payload)})`);
    }
    const n = this.spinCount;
    if (payload.length > 2 * n + PAYLOAD_SLACK_BYTES) {
      throw new Error(
        `[wire] payload of ${payload.length} bytes exceeds the ${2 * n + PAYLOAD_SLACK_BYTES} ` +
          `allowed for a ${this.width}x${this.height} frame`,
      );
    }

    if (into !== undefined && into.length !== n) {
      throw new RangeError(`decode target of ${into.length} spins, the lattice has ${n}`);
    }
    const out = into ?? new Uint16Array(n);
    const coding = payload[0]!;
    const [prev1, prev2] = this.history;
    if (kind === FRAME_KEY) {
      if (coding === CODING.storedKey) {
        if (payload.length !== 1 + 2 * n) {
          throw new Error(
            `[wire] stored keyframe of ${payload.length} bytes, expected ${1 + 2 * n} ` +
              `for ${this.width}x${this.height}`,
          );
        }
        for (let i = 0; i < n; i++) out[i] = payload[1 + 2 * i]! | (payload[2 + 2 * i]! << 8);
      } else if (coding === CODING.planarKey) {
        const planes = inflatePlanes(payload.subarray(1), this.inflateScratch, 'keyframe');
        keyFromPlanes(planes, this.width, this.height, out);
      } else {
        throw new Error(`[wire] keyframe has coding ${coding}, expected 0 (stored) or 1 (planar)`);
      }
    } else if (order === 1) {
      if (coding !== CODING.motionDelta) {
        throw new Error(`[wire] delta of order 1 has coding ${coding}, expected 2`);
      }
      const planes = inflatePlanes(payload.subarray(1), this.inflateScratch, 'delta of order 1');
      order1FromPlanes(planes, prev1, this.width, this.height, this.motion, out);
    } else {
      if (coding !== CODING.coupledDelta) {
        throw new Error(`[wire] delta of order 2 has coding ${coding}, expected 3`);
      }
      if (payload.length <= COUPLED_HEADER_BYTES) {
        throw new Error(`[wire] delta of order 2 truncated to ${payload.length} bytes`);
      }
      const header = new DataView(payload.buffer, payload.byteOffset, COUPLED_HEADER_BYTES);
      const a = header.getInt32(1, true);
      const b = header.getInt32(5, true);
      if (Math.abs(a) > COEFFICIENT_LIMIT || Math.abs(b) > COEFFICIENT_LIMIT) {
        throw new Error(
          `[wire] delta of order 2: coupling coefficients ${a}, ${b} outside +-${COEFFICIENT_LIMIT}`,
        );
      }
      const planes = inflatePlanes(
        payload.subarray(COUPLED_HEADER_BYTES),
        this.inflateScratch,
        'delta of order 2',
      );
      order2FromPlanes(planes, prev1, prev2, this.width, this.height, a, b, this.coupling, out);
    }

    // The older slot takes the new frame, so the two newest frames stay in order.
    prev2.set(out);
    this.history = [prev2, prev1];
    this.held = kind === FRAME_KEY ? 1 : Math.min(this.held + 1, 2);
    return out;
  }

  /** Forgets the held frames: the next frame must be a keyframe. */
  reset(): void {
    this.held = 0;
  }
}

function describe(value: unknown): string {
  if (ArrayBuffer.isView(value)) {
    return `${value.constructor.name} of ${(value as Uint8Array).length} elements`;
  }
  return value === null ? 'null' : typeof value;
}
