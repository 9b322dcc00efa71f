// The server's live rates in console.db: written every few seconds, read by the admin CLI, which
// runs the same promotion gate in its own process and has no metrics of its own.
import type { Db } from '../storage/database';
import { NO_RATES, type TenantRates } from './figures';

/** Rates older than this are not live: the server is stopped, and nothing is measured. */
export const SHARED_RATES_MAX_AGE_MS = 60_000;
export const SHARED_RATES_INTERVAL_MS = 5_000;

export function writeSharedRates(db: Db, rates: ReadonlyMap<string, TenantRates>, atMs: number) {
  const upsert = db.prepare(
    `INSERT INTO policy_rates (tenant_id, at_ms, latency_p95_ms, egress_bytes_per_s, encode_cpu_ms_per_s, window_s)
     VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (tenant_id) DO UPDATE SET at_ms = excluded.at_ms,
       latency_p95_ms = excluded.latency_p95_ms, egress_bytes_per_s = excluded.egress_bytes_per_s,
       encode_cpu_ms_per_s = excluded.encode_cpu_ms_per_s, window_s = excluded.window_s`,
  );
  db.transaction(() => {
    for (const [tenant, r] of rates) {
      upsert.run(tenant, atMs, r.latencyP95Ms, r.egressBytesPerS, r.encodeCpuMsPerS, r.windowS);
    }
  })();
}

/** The tenant's rates as the server last wrote them, or none when they are not live. */
export function readSharedRates(db: Db, tenant: string, nowMs: number): TenantRates {
  const row = db
    .prepare(
      `SELECT latency_p95_ms, egress_bytes_per_s, encode_cpu_ms_per_s, window_s FROM policy_rates
       WHERE tenant_id = ? AND at_ms >= ?`,
    )
    .get(tenant, nowMs - SHARED_RATES_MAX_AGE_MS) as
    | {
        latency_p95_ms: number | null;
        egress_bytes_per_s: number;
        encode_cpu_ms_per_s: number;
        window_s: number;
      }
    | undefined;
  if (!row) return NO_RATES;
  return {
    latencyP95Ms: row.latency_p95_ms,
    egressBytesPerS: row.egress_bytes_per_s,
    encodeCpuMsPerS: row.encode_cpu_ms_per_s,
    windowS: row.window_s,
  };
}
