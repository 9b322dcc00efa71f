// One holder in the whole cluster, with failover: a key in a NATS KV bucket that the holder
// rewrites every `renewMs` with a compare-and-set on the revision it last wrote. A standby reads
// the key as often; when the revision has not moved for `expireMs` on the standby's own clock (no
// clocks compared across machines), it takes the key with a compare-and-set on the revision it
// saw, so of several standbys exactly one wins. A holder whose rewrite fails lost the key and
// steps down at once. A clean stop deletes the key, so a standby takes over at its next look.
import type { KV } from '@nats-io/kv';

export interface LeaseOptions {
  kv: KV;
  key: string;
  /** Who holds it, as logged and stored (host and process id). */
  holder: string;
  renewMs?: number;
  expireMs?: number;
  log: (line: string) => void;
  /** The lease was won (true) or lost (false). */
  onChange: (held: boolean) => void;
}

export interface Lease {
  readonly held: boolean;
  /** Stops renewing; a held lease is handed back (deleted) so a standby takes over at once. */
  close(): Promise<void>;
}

export const LEASE_RENEW_MS = 1000;
export const LEASE_EXPIRE_MS = 3000;

export function startLease(options: LeaseOptions): Lease {
  const { kv, key, holder, log } = options;
  const renewMs = options.renewMs ?? LEASE_RENEW_MS;
  const expireMs = options.expireMs ?? LEASE_EXPIRE_MS;
  const value = new TextEncoder().encode(holder);
  let held = false;
  let revision = 0;
  // What a standby last saw, and when it saw it change (performance.now()).
  let seenRevision = -1;
  let seenAtMs = performance.now();
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  const win = (next: number, from: string): void => {
    revision = next;
    held = true;
    log(`[cluster] ${key}: held by ${holder} (${from})`);
    options.onChange(true);
  };
  const lose = (why: string): void => {
    held = false;
    log(`[cluster] ${key}: lost by ${holder}: ${why}`);
    options.onChange(false);
  };

  const step = async (): Promise<void> => {
    if (held) {
      try {
        revision = await kv.update(key, value, revision);
      } catch (error) {
        lose((error as Error).message);
      }
      return;
    }
    const entry = await kv.get(key);
    const now = performance.now();
    if (!entry || entry.operation !== 'PUT') {
      // Nobody holds it (never taken, or handed back): the first create wins.
      try {
        win(await kv.create(key, value), 'free');
      } catch {
        // Another standby created it first.
      }
      return;
    }
    if (entry.revision !== seenRevision) {
      seenRevision = entry.revision;
      seenAtMs = now;
      return;
    }
    if (now - seenAtMs < expireMs) return;
    try {
      win(
        await kv.update(key, value, entry.revision),
        `${entry.string()} silent for ${expireMs} ms`,
      );
    } catch {
      // Another standby took it first, or the holder came back.
      seenAtMs = now;
    }
  };

  const loop = (): void => {
    running = step()
      .catch((error: unknown) => log(`[cluster] ${key}: ${(error as Error).message}`))
      .finally(() => {
        if (!closed) timer = setTimeout(loop, renewMs);
      });
  };
  loop();

  return {
    get held() {
      return held;
    },
    async close() {
      closed = true;
      clearTimeout(timer);
      await running;
      if (!held) return;
      held = false;
      await kv.delete(key, { previousSeq: revision }).catch(() => {});
    },
  };
}
