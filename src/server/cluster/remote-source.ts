// A gateway's frame source: the tenant's frames as the source published them on NATS, handed to
// the gateway's bus in the SourceFrame shape, so the bus and the client sessions work as they do
// in one process. Subscribed while the registry runs the stream (from the first client to the
// idle stop after the last); says it watches once a second, so the source runs the stream; asks
// for a keyframe when it starts, after a gap (a lost message, a new source run) and whenever a
// client needs one that the frame does not carry.
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import type { EncodedFrame } from '../../core/wire/frame-codec';
import type { FrameForms, FrameSource, SourceInfo } from '../stream/source';
import { FrameWireError, decodeWireFrame, type WireFrame } from './frame-wire';
import type { ClusterMetrics } from './metrics';
import { framesSubject, keySubject, publishQuietly, watchSubject } from './subjects';
import { WATCH_EVERY_MS } from './watchers';

export interface RemoteSourceOptions {
  nc: NatsConnection;
  tenant: string;
  /** What the tenant's definition says (the same on every node). */
  info: SourceInfo;
  /** Random access for per-client replay: the trace at the path every node sees. */
  readFrame?: (frameIndex: number) => Uint16Array;
  log: (line: string) => void;
  metrics?: ClusterMetrics;
}

/**
 * The forms a frame message carries: the best one of order <= held, or null, which asks the
 * source for a keyframe in one of the next frames.
 */
function carriedForms(forms: readonly EncodedFrame[], wantKey: () => void): FrameForms {
  return {
    frameFor(held) {
      let chosen: EncodedFrame | null = null;
      for (const form of forms) {
        if (form.order <= held && (!chosen || form.order > chosen.order)) chosen = form;
      }
      if (!chosen) wantKey();
      return chosen;
    },
  };
}

export function createRemoteSource(options: RemoteSourceOptions): FrameSource {
  const { nc, tenant, log } = options;
  let subscription: Subscription | undefined;
  let watchTimer: NodeJS.Timeout | undefined;
  let last: { run: number; n: number } | null = null;
  // One key request per frame at most, however many clients need one.
  let keyAsked = false;
  let malformed = 0;
  const spins = options.info.width * options.info.height;

  const wantKey = (): void => {
    if (keyAsked) return;
    keyAsked = true;
    publishQuietly(nc, keySubject(tenant));
  };
  const formsOf = (frame: WireFrame): EncodedFrame[] => {
    const continues = last !== null && frame.run === last.run && frame.n === last.n + 1;
    // After a gap no delta applies to what the clients hold: only a keyframe will do.
    const all = [frame.follower, frame.key, frame.catchUp].filter((f) => f !== null);
    return continues ? all : all.filter((f) => f.kind === 0);
  };

  return {
    info: options.info,
    ...(options.readFrame ? { readFrame: options.readFrame } : {}),
    start(onFrame) {
      last = null;
      if (nc.isClosed()) {
        log(`[cluster] ${tenant}: not subscribed, the NATS connection is closed`);
        return;
      }
      subscription = nc.subscribe(framesSubject(tenant), {
        callback: (error, msg) => {
          if (error) return;
          let frame: WireFrame;
          try {
            frame = decodeWireFrame(msg.data);
          } catch (fault) {
            if (!(fault instanceof FrameWireError)) throw fault;
            // A bounded log: the first fault, then every thousandth.
            if (malformed++ % 1000 === 0) log(`${fault.message} on ${msg.subject}; dropped`);
            return;
          }
          keyAsked = false;
          options.metrics?.received(tenant, msg.data.byteLength);
          const forms = formsOf(frame);
          if (forms.length === 0) wantKey();
          last = { run: frame.run, n: frame.n };
          onFrame({
            frameIndex: frame.frameIndex,
            producedAtMs: frame.producedAtMs,
            crc: frame.crc,
            phases: null,
            rawBytes: spins * 2,
            forms: carriedForms(forms, wantKey),
          });
        },
      });
      const watch = (): void => publishQuietly(nc, watchSubject(tenant));
      watch();
      wantKey();
      watchTimer = setInterval(watch, WATCH_EVERY_MS);
      watchTimer.unref();
    },
    stop() {
      clearInterval(watchTimer);
      subscription?.unsubscribe();
      subscription = undefined;
    },
  };
}
