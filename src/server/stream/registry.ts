// One stream per tenant, run only while watched: the first lease starts a fresh bus and source
// (whose encoder starts afresh, so delta state never mixes tenants or runs); the bus stops
// `idleStopMs` after the last lease ends, so an unwatched live simulator costs nothing. A pinned
// stream runs from its definition on (the default replay tenant: /healthz reports it, late joiners
// get a frame at once).
import type { StreamInfo } from '../../core/wire/envelope';
import { createStreamBus, type StreamBus } from './bus';
import type { FrameSource, SourceInfo } from './source';
import type { LogFn } from '../logging/log-line';

export interface StreamSpec {
  /** Known without starting anything: what /api/tenants and hello report. */
  readonly info: SourceInfo;
  createSource(): FrameSource;
}

export type StreamEndReason = 'removed' | 'replaced';

export interface StreamLease {
  readonly bus: StreamBus;
  /** Idempotent. */
  release(): void;
}

export interface StreamStatus {
  tenant: string;
  pinned: boolean;
  running: boolean;
  framesProduced: number;
  /** Wall clock when its last frame was produced, ms since the epoch; null before the first. */
  lastFrameAtMs: number | null;
  subscribers: number;
}

export interface StreamRegistry {
  /** Adds or replaces a tenant's stream; leases on a replaced stream end with 'replaced'. */
  define(tenant: string, spec: StreamSpec, options?: { pinned?: boolean }): void;
  /** Stops the stream; its leases end with 'removed'. */
  remove(tenant: string): void;
  has(tenant: string): boolean;
  info(tenant: string): StreamInfo | undefined;
  /** The tenant's bus while its stream runs. */
  runningBus(tenant: string): StreamBus | undefined;
  /** Starts the stream if needed. `onEnd` runs if the stream goes away while leased. */
  acquire(tenant: string, onEnd: (reason: StreamEndReason) => void): StreamLease | undefined;
  status(): StreamStatus[];
  stopAll(): void;
}

export interface RegistryOptions {
  /** How long an unwatched stream keeps running, in ms (a reload or tenant switch-back is free). */
  idleStopMs?: number;
  log: LogFn;
  /** Each stream's fan-out time per frame (see StreamBusOptions.onFanOut). */
  onFanOut?: (tenant: string, fanOutMs: number) => void;
}

export const DEFAULT_IDLE_STOP_MS = 5000;

interface Entry {
  tenant: string;
  spec: StreamSpec;
  pinned: boolean;
  bus: StreamBus | undefined;
  leases: Set<(reason: StreamEndReason) => void>;
  idleTimer: NodeJS.Timeout | undefined;
}

export function createStreamRegistry(options: RegistryOptions): StreamRegistry {
  const idleStopMs = options.idleStopMs ?? DEFAULT_IDLE_STOP_MS;
  const entries = new Map<string, Entry>();

  const start = (entry: Entry): StreamBus => {
    if (entry.bus) return entry.bus;
    const source = entry.spec.createSource();
    const { onFanOut } = options;
    const bus = createStreamBus(
      entry.tenant,
      source,
      onFanOut ? { onFanOut: (fanOutMs) => onFanOut(entry.tenant, fanOutMs) } : {},
    );
    bus.start();
    entry.bus = bus;
    options.log(`[stream] ${entry.tenant}: started (${source.info.source})`, {
      tenant: entry.tenant,
    });
    return bus;
  };

  const stop = (entry: Entry, why: string): void => {
    if (entry.idleTimer) clearTimeout(entry.idleTimer);
    entry.idleTimer = undefined;
    if (!entry.bus) return;
    entry.bus.stop();
    entry.bus = undefined;
    options.log(`[stream] ${entry.tenant}: stopped (${why})`, { tenant: entry.tenant });
  };

  const end = (entry: Entry, reason: StreamEndReason): void => {
    stop(entry, reason);
    const leases = [...entry.leases];
    entry.leases.clear();
    for (const onEnd of leases) onEnd(reason);
  };

  return {
    define(tenant, spec, defineOptions = {}) {
      const previous = entries.get(tenant);
      if (previous) {
        entries.delete(tenant);
        end(previous, 'replaced');
      }
      const entry: Entry = {
        tenant,
        spec,
        pinned: defineOptions.pinned ?? false,
        bus: undefined,
        leases: new Set(),
        idleTimer: undefined,
      };
      entries.set(tenant, entry);
      if (entry.pinned) start(entry);
    },
    remove(tenant) {
      const entry = entries.get(tenant);
      if (!entry) return;
      entries.delete(tenant);
      end(entry, 'removed');
    },
    has: (tenant) => entries.has(tenant),
    info(tenant) {
      const entry = entries.get(tenant);
      return entry ? { tenant, ...entry.spec.info } : undefined;
    },
    runningBus: (tenant) => entries.get(tenant)?.bus,
    acquire(tenant, onEnd) {
      const entry = entries.get(tenant);
      if (!entry) return undefined;
      if (entry.idleTimer) clearTimeout(entry.idleTimer);
      entry.idleTimer = undefined;
      const bus = start(entry);
      // A fresh function per lease, so the same callback leased twice counts twice.
      const lease = (reason: StreamEndReason): void => onEnd(reason);
      entry.leases.add(lease);
      let released = false;
      return {
        bus,
        release() {
          if (released) return;
          released = true;
          // An entry that was removed or replaced has already stopped; nothing to do.
          if (!entry.leases.delete(lease) || entries.get(tenant) !== entry) return;
          if (entry.leases.size === 0 && !entry.pinned) {
            entry.idleTimer = setTimeout(
              () => stop(entry, `no subscriber for ${idleStopMs} ms`),
              idleStopMs,
            );
            entry.idleTimer.unref();
          }
        },
      };
    },
    status() {
      return [...entries.values()].map((e) => ({
        tenant: e.tenant,
        pinned: e.pinned,
        running: e.bus !== undefined,
        framesProduced: e.bus?.framesProduced ?? 0,
        lastFrameAtMs: e.bus?.latest?.producedAtMs ?? null,
        subscribers: e.bus?.subscriberCount ?? 0,
      }));
    },
    stopAll() {
      for (const entry of entries.values()) stop(entry, 'server stopping');
    },
  };
}
