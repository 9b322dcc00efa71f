// Per-client token buckets for the one anonymous write, POST /api/client-reports: a client may
// send `burst` reports at once and `perMinute` a minute after that. Clients are told apart by
// address; the table of addresses is bounded, the stalest forgotten first.

export interface RateLimiter {
  /** Takes `n` reports from the client's bucket: 0 when allowed, else ms until they would be. */
  take(client: string, n: number, nowMs: number): number;
}

export function createRateLimiter(options: {
  perMinute: number;
  burst: number;
  maxClients?: number;
}): RateLimiter {
  const { perMinute, burst } = options;
  const maxClients = options.maxClients ?? 10_000;
  const perMs = perMinute / 60_000;
  const buckets = new Map<string, { tokens: number; atMs: number }>();
  return {
    take(client, n, nowMs) {
      let bucket = buckets.get(client);
      if (bucket) {
        buckets.delete(client); // re-inserted below: the map stays in order of last use
        bucket.tokens = Math.min(burst, bucket.tokens + (nowMs - bucket.atMs) * perMs);
        bucket.atMs = nowMs;
      } else {
        bucket = { tokens: burst, atMs: nowMs };
        if (buckets.size >= maxClients) buckets.delete(buckets.keys().next().value!);
      }
      buckets.set(client, bucket);
      if (bucket.tokens >= n) {
        bucket.tokens -= n;
        return 0;
      }
      return Math.ceil((n - bucket.tokens) / perMs);
    },
  };
}
