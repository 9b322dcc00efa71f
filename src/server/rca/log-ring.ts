// The last log lines of each tenant, in memory, for the evidence of an RCA: a bounded ring per
// tenant (lines and characters), so a chatty tenant evicts only its own lines and memory stays
// bounded whatever is logged. Lines are redacted as they are recorded: no secret is ever held.
import type { LogEntry } from '../logging/log-line';
import { redactSecrets } from './redact';

export const RING_LINES_PER_TENANT = 2000;
export const MAX_LINE_CHARS = 1000;
/** Tenants with a ring; a line for a tenant beyond this is dropped (ids come from the registry). */
export const MAX_TENANT_RINGS = 1000;

export interface RingRead {
  entries: LogEntry[];
  /** The ring had already dropped lines of the window (it held fewer than the window had). */
  partial: boolean;
}

export interface TenantLogRing {
  record(entry: LogEntry): void;
  /** The tenant's lines with fromMs <= atMs <= toMs, oldest first. */
  read(tenant: string, fromMs: number, toMs: number): RingRead;
}

interface Ring {
  entries: (LogEntry | undefined)[];
  next: number;
  /** When the newest line evicted was logged; -Infinity before any eviction. */
  evictedUpToMs: number;
}

export function createTenantLogRing(
  options: { linesPerTenant?: number; secrets?: () => readonly string[] } = {},
): TenantLogRing {
  const capacity = options.linesPerTenant ?? RING_LINES_PER_TENANT;
  const rings = new Map<string, Ring>();
  const knownSecrets = (): readonly string[] => {
    try {
      return options.secrets?.() ?? [];
    } catch {
      // A secret file being rewritten: the patterns still catch what a secret looks like.
      return [];
    }
  };
  return {
    record(entry) {
      if (entry.tenant === null) return;
      let ring = rings.get(entry.tenant);
      if (!ring) {
        if (rings.size >= MAX_TENANT_RINGS) return;
        ring = { entries: new Array(capacity), next: 0, evictedUpToMs: -Infinity };
        rings.set(entry.tenant, ring);
      }
      const evicted = ring.entries[ring.next];
      if (evicted) ring.evictedUpToMs = Math.max(ring.evictedUpToMs, evicted.atMs);
      const text =
        entry.line.length > MAX_LINE_CHARS
          ? `${entry.line.slice(0, MAX_LINE_CHARS)}… (${entry.line.length} characters)`
          : entry.line;
      ring.entries[ring.next] = { ...entry, line: redactSecrets(text, knownSecrets()) };
      ring.next = (ring.next + 1) % capacity;
    },
    read(tenant, fromMs, toMs) {
      const ring = rings.get(tenant);
      if (!ring) return { entries: [], partial: false };
      const entries: LogEntry[] = [];
      for (let i = 0; i < capacity; i += 1) {
        const entry = ring.entries[(ring.next + i) % capacity];
        if (entry && entry.atMs >= fromMs && entry.atMs <= toMs) entries.push(entry);
      }
      // Oldest first by their time (a stable sort keeps lines of one millisecond in order).
      entries.sort((a, b) => a.atMs - b.atMs);
      return { entries, partial: ring.evictedUpToMs >= fromMs };
    },
  };
}
