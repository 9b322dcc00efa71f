// The NATS subjects of a cluster. Tenant ids (`^[a-z0-9][a-z0-9_-]{0,62}$`) are valid subject
// tokens as they are, so each tenant has subjects of its own and a gateway hears only the
// tenants its clients watch.

/** One frame message per produced frame of the tenant's stream (frame-wire.ts). */
export const framesSubject = (tenant: string): string => `phase.frames.${tenant}`;
/** A gateway watches the tenant: sent once a second while it has clients for it. */
export const watchSubject = (tenant: string): string => `phase.watch.${tenant}`;
/** A gateway needs the tenant's next frame to carry its keyframe (a joining or resyncing client). */
export const keySubject = (tenant: string): string => `phase.key.${tenant}`;
export const WATCH_ALL = 'phase.watch.*';
export const KEY_ALL = 'phase.key.*';
/** Tokens or tenants changed in the shared state: every process rereads its directory at once. */
export const DIRECTORY_SUBJECT = 'phase.directory.changed';

/** The tenant a per-tenant subject names (its last token). */
export function tenantOfSubject(subject: string): string {
  return subject.slice(subject.lastIndexOf('.') + 1);
}

/**
 * Publishes unless the connection is closed (a process shutting down, or cut off for good):
 * core NATS is at most once anyway, and a lost frame or heartbeat is noticed by its receiver.
 */
export function publishQuietly(
  nc: { isClosed(): boolean; publish(subject: string, data?: Uint8Array): void },
  subject: string,
  data?: Uint8Array,
): void {
  if (nc.isClosed()) return;
  try {
    nc.publish(subject, data);
  } catch {
    // Closed between the check and the publish, or draining: the same as lost.
  }
}

/**
 * The source shard a tenant belongs to, of `count`: FNV-1a of its id, so every node computes the
 * same without asking anyone.
 */
export function shardOf(tenant: string, count: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < tenant.length; i++) {
    hash ^= tenant.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % count;
}
