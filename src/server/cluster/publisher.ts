// The source's side of the frame path over NATS. Each tenant's frames, as their source encoded
// them, go out once on the tenant's subject; the keyframe and the order-1 catch-up ride along
// only when a gateway asked for them (a client joined or resynced, or the gateway saw a gap), so
// the cluster's traffic is the deltas' and the source encodes a keyframe only on demand.
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import type { FrameSource, SourceFrame } from '../stream/source';
import { encodeWireFrame } from './frame-wire';
import type { ClusterMetrics } from './metrics';
import { KEY_ALL, framesSubject, publishQuietly, tenantOfSubject } from './subjects';

export interface FramePublisher {
  /** Wraps a tenant's source: each frame is published before the local clients get it. */
  wrap(source: FrameSource, tenant: string): FrameSource;
  /** Publishing on (the source holds the lease) or off (a standby); off drops each frame. */
  setActive(active: boolean): void;
  readonly active: boolean;
  /** Frame messages and their bytes published since start (the NATS fan-in, for SCALING.md). */
  readonly published: { messages: number; bytes: number; keys: number };
  close(): void;
}

interface TenantState {
  n: number;
  keyWanted: boolean;
  catchUpNext: boolean;
}

export function createFramePublisher(
  nc: NatsConnection,
  log: (line: string) => void,
  metrics?: ClusterMetrics,
): FramePublisher {
  // A fresh run each time this process becomes the active source: gateways see the change and
  // ask for a keyframe, since no client holds a frame of this run.
  let run = 0;
  let active = false;
  const tenants = new Map<string, TenantState>();
  const published = { messages: 0, bytes: 0, keys: 0 };
  const stateOf = (tenant: string): TenantState => {
    let state = tenants.get(tenant);
    if (!state) {
      state = { n: 0, keyWanted: true, catchUpNext: false };
      tenants.set(tenant, state);
    }
    return state;
  };

  const keyRequests: Subscription = nc.subscribe(KEY_ALL, {
    callback: (error, msg) => {
      if (error || !active) return;
      stateOf(tenantOfSubject(msg.subject)).keyWanted = true;
    },
  });

  const publish = (tenant: string, frame: SourceFrame): void => {
    if (!active) return;
    const state = stateOf(tenant);
    const follower = frame.forms.frameFor(2);
    // A live source makes a keyframe only when asked (asking is frameFor's side effect): a frame
    // without the form asked for goes out without it, and a later frame carries it.
    if (!follower) {
      // Gateways see the gap in the numbering and let only a keyframe through next.
      state.keyWanted = true;
      state.n += 1;
      return;
    }
    const keyAsked = state.keyWanted || follower.kind === 0;
    const key = keyAsked ? frame.forms.frameFor(0) : null;
    const catchUp = state.catchUpNext && follower.order === 2 ? frame.forms.frameFor(1) : null;
    // A client that takes this keyframe holds one frame: the next frame must carry the order-1 form.
    state.catchUpNext = key !== null;
    state.keyWanted = keyAsked && key === null;
    const bytes = encodeWireFrame({
      run,
      n: state.n,
      frameIndex: frame.frameIndex,
      producedAtMs: frame.producedAtMs,
      crc: frame.crc,
      follower,
      key,
      catchUp,
    });
    state.n += 1;
    published.messages += 1;
    published.bytes += bytes.byteLength;
    if (key) published.keys += 1;
    metrics?.published(tenant, bytes.byteLength, key !== null);
    publishQuietly(nc, framesSubject(tenant), bytes);
  };

  return {
    wrap(source, tenant) {
      return {
        info: source.info,
        ...(source.readFrame ? { readFrame: (k: number) => source.readFrame!(k) } : {}),
        start(onFrame) {
          // A restarted stream starts its encoder afresh: its first frame is a keyframe anyway,
          // and gateways must not apply it to the history of the previous run.
          const state = stateOf(tenant);
          state.keyWanted = true;
          source.start((frame) => {
            publish(tenant, frame);
            onFrame(frame);
          });
        },
        stop() {
          source.stop();
          // The next start is a new history: bump the numbering out of sequence for the gateways.
          stateOf(tenant).n += 1;
        },
      };
    },
    setActive(next) {
      if (next === active) return;
      active = next;
      if (active) {
        run = (Math.random() * 0xffffffff) >>> 0;
        for (const state of tenants.values()) state.keyWanted = true;
      }
      log(`[cluster] frame publishing ${active ? `on (run ${run})` : 'off'}`);
    },
    get active() {
      return active;
    },
    published,
    close() {
      active = false;
      keyRequests.unsubscribe();
    },
  };
}
