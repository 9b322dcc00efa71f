// The source runs a tenant's stream while some gateway watches it: each gateway says so once a
// second per watched tenant (remote-source.ts), and the source holds a registry lease for the
// tenant until no gateway has said so for WATCH_EXPIRE_MS. The registry then stops the stream
// after its usual idle time, as it does for local clients.
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import type { StreamLease, StreamRegistry } from '../stream/registry';
import { WATCH_ALL, tenantOfSubject } from './subjects';

export const WATCH_EVERY_MS = 1000;
/** Three missed heartbeats: a gateway that died (or lost its last client) stops counting. */
export const WATCH_EXPIRE_MS = 3500;

export interface RemoteWatchers {
  /** Answer the gateways (the active source) or not (a standby: its leases are released). */
  setActive(active: boolean): void;
  /** Tenants some gateway watches now. */
  watched(): string[];
  close(): void;
}

export function followRemoteWatchers(
  nc: NatsConnection,
  registry: StreamRegistry,
  log: (line: string) => void,
  /** The tenants this source runs (its shard); the others' watches are another source's. */
  runsTenant: (tenant: string) => boolean = () => true,
): RemoteWatchers {
  const leases = new Map<string, { lease: StreamLease; seenAtMs: number }>();
  let active = false;

  const releaseAll = (): void => {
    for (const { lease } of leases.values()) lease.release();
    leases.clear();
  };

  const subscription: Subscription = nc.subscribe(WATCH_ALL, {
    callback: (error, msg) => {
      if (error || !active) return;
      const tenant = tenantOfSubject(msg.subject);
      const held = leases.get(tenant);
      if (held) {
        held.seenAtMs = performance.now();
        return;
      }
      if (!registry.has(tenant) || !runsTenant(tenant)) return;
      const lease = registry.acquire(tenant, () => leases.delete(tenant));
      if (!lease) return;
      leases.set(tenant, { lease, seenAtMs: performance.now() });
      log(`[cluster] ${tenant}: watched by a gateway`);
    },
  });

  const sweep = setInterval(() => {
    const now = performance.now();
    for (const [tenant, { lease, seenAtMs }] of leases) {
      if (now - seenAtMs <= WATCH_EXPIRE_MS) continue;
      leases.delete(tenant);
      lease.release();
      log(`[cluster] ${tenant}: no gateway watches it`);
    }
  }, WATCH_EVERY_MS);
  sweep.unref();

  return {
    setActive(next) {
      active = next;
      if (!active) releaseAll();
    },
    watched: () => [...leases.keys()],
    close() {
      clearInterval(sweep);
      subscription.unsubscribe();
      releaseAll();
    },
  };
}
