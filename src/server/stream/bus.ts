// One bus per stream: runs the source, numbers each frame, and hands the same packed bytes to
// every subscriber. The source brings each frame encoded; the bus never encodes. Late joiners get
// the latest frame at once.
import type { StreamInfo } from '../../core/wire/envelope';
import { wallClockMs, type FrameSource, type SourceFrame } from './source';
import { outgoingFrame, type OutgoingFrame } from './frame-messages';

export interface Subscriber {
  deliver(frame: OutgoingFrame): void;
}

export interface StreamBus {
  readonly info: StreamInfo;
  readonly latest: OutgoingFrame | undefined;
  readonly framesProduced: number;
  subscribe(subscriber: Subscriber): () => void;
  readonly subscriberCount: number;
  start(): void;
  stop(): void;
  /** Random access into a replayed trace, for clients with their own cursor; null for live. */
  readonly readFrame: ((frameIndex: number) => Uint16Array) | null;
}

export interface StreamBusOptions {
  /** After each frame's fan-out: ms from the frame's production to its last client write. */
  onFanOut?: (fanOutMs: number, subscribers: number) => void;
}

export function createStreamBus(
  tenant: string,
  source: FrameSource,
  options: StreamBusOptions = {},
): StreamBus {
  const subscribers = new Set<Subscriber>();
  // The fan-out order, rebuilt only when someone subscribes or leaves (not per frame).
  let ordered: Subscriber[] | null = null;
  let latest: OutgoingFrame | undefined;
  let seq = 0;
  let framesProduced = 0;

  const onFrame = (frame: SourceFrame): void => {
    seq += 1;
    framesProduced += 1;
    latest = outgoingFrame(frame, seq);
    // The fan-out writes one client after another: start one further along each frame, so that
    // no client is always served last.
    ordered ??= [...subscribers];
    const n = ordered.length;
    for (let i = 0; i < n; i++) ordered[(i + seq) % n]!.deliver(latest);
    if (n > 0) options.onFanOut?.(wallClockMs() - frame.producedAtMs, n);
  };

  return {
    info: { tenant, ...source.info },
    get latest() {
      return latest;
    },
    get framesProduced() {
      return framesProduced;
    },
    get subscriberCount() {
      return subscribers.size;
    },
    subscribe(subscriber) {
      subscribers.add(subscriber);
      ordered = null;
      if (latest) subscriber.deliver(latest);
      return () => {
        subscribers.delete(subscriber);
        ordered = null;
      };
    },
    start() {
      source.start(onFrame);
    },
    stop() {
      source.stop();
    },
    readFrame: source.readFrame ? (k) => source.readFrame!(k) : null,
  };
}
