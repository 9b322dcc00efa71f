// What the streams did, minute by minute, kept in the console database: bytes sent, saved and raw,
// and a histogram of the per-second latency figures per tenant (each second's p95, the median over
// its clients, as the panels and the detector read it: one client cannot move it). Baselines and "now" snapshots read it,
// so their figures cover days, survive restarts, and accumulate in observer mode as at any time.
import { migrate, type Db, type Migration } from '../storage/database';
import type { ServerMetrics } from '../metrics';

export const HISTORY_COMPONENT = 'stream-history';
/** Upper bounds of the latency buckets, ms (the last one open): those of the latency histogram. */
export const LATENCY_BUCKETS_MS = [0.5, 1, 2, 3, 5, 7, 10, 15, 25, 50, 100, 250, 500, 1000];
export const HISTORY_RETENTION_MS = 35 * 86_400_000;

const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'per-minute stream figures per tenant',
    up: (db) =>
      db.exec(`
        CREATE TABLE stream_minutes (
          tenant_id TEXT NOT NULL,
          minute INTEGER NOT NULL,
          bytes_sent INTEGER NOT NULL,
          bytes_saved INTEGER NOT NULL,
          raw_bytes INTEGER NOT NULL,
          -- JSON array: seconds (their latency p95) per bucket of LATENCY_BUCKETS_MS, and one above the last.
          latency_buckets TEXT NOT NULL,
          PRIMARY KEY (tenant_id, minute)
        ) WITHOUT ROWID;
        CREATE INDEX stream_minutes_minute ON stream_minutes (minute);
      `),
  },
];

export function openStreamHistory(db: Db): Db {
  migrate(db, HISTORY_COMPONENT, MIGRATIONS);
  return db;
}

export interface HistoryRecorder {
  /** Writes what happened since the last flush, as the minute that holds `nowMs`. */
  flush(nowMs?: number): void;
  start(): void;
  stop(): void;
}

export function bucketOf(ms: number): number {
  const i = LATENCY_BUCKETS_MS.findIndex((upper) => ms <= upper);
  return i === -1 ? LATENCY_BUCKETS_MS.length : i;
}

export function createHistoryRecorder(
  db: Db,
  metrics: ServerMetrics,
  tenants: () => readonly string[],
  log: (line: string) => void = () => {},
): HistoryRecorder {
  openStreamHistory(db);
  const last = new Map<string, { sent: number; saved: number; raw: number }>();
  const pending = new Map<string, number[]>();
  metrics.onLatencySecond((tenant, second) => {
    let buckets = pending.get(tenant);
    if (!buckets)
      pending.set(tenant, (buckets = new Array<number>(LATENCY_BUCKETS_MS.length + 1).fill(0)));
    buckets[bucketOf(Math.max(0, second.p95Ms))]! += 1;
  });
  const upsert = db.prepare(
    `INSERT INTO stream_minutes (tenant_id, minute, bytes_sent, bytes_saved, raw_bytes, latency_buckets)
     VALUES (@tenant, @minute, @sent, @saved, @raw, @buckets)
     ON CONFLICT (tenant_id, minute) DO UPDATE SET
       bytes_sent = bytes_sent + excluded.bytes_sent,
       bytes_saved = bytes_saved + excluded.bytes_saved,
       raw_bytes = raw_bytes + excluded.raw_bytes,
       latency_buckets = (SELECT json_group_array(a.value + b.value) FROM json_each(latency_buckets) a
         JOIN json_each(excluded.latency_buckets) b ON a.key = b.key)`,
  );
  const prune = db.prepare('DELETE FROM stream_minutes WHERE minute < ?');
  let timer: NodeJS.Timeout | undefined;

  const flush = (nowMs = Date.now()): void => {
    const minute = Math.floor(nowMs / 60_000) * 60_000;
    db.transaction(() => {
      for (const tenant of tenants()) {
        const { totals } = metrics.forTenant(tenant);
        const before = last.get(tenant) ?? { sent: 0, saved: 0, raw: 0 };
        const buckets = pending.get(tenant);
        const sent = totals.bytesSent - before.sent;
        const saved = totals.bytesSaved - before.saved;
        const raw = totals.rawBytes - before.raw;
        last.set(tenant, {
          sent: totals.bytesSent,
          saved: totals.bytesSaved,
          raw: totals.rawBytes,
        });
        pending.delete(tenant);
        if (sent === 0 && raw === 0 && !buckets) continue;
        upsert.run({
          tenant,
          minute,
          sent,
          saved,
          raw,
          buckets: JSON.stringify(
            buckets ?? new Array<number>(LATENCY_BUCKETS_MS.length + 1).fill(0),
          ),
        });
      }
      prune.run(nowMs - HISTORY_RETENTION_MS);
    })();
  };

  return {
    flush,
    start() {
      if (timer) return;
      timer = setInterval(() => {
        try {
          flush();
        } catch (error) {
          log(`[history] recording the last minute failed: ${(error as Error).message}`);
        }
      }, 60_000);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      flush();
    },
  };
}
