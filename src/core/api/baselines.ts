// Baselines (docs/API.md, "Baselines"): immutable, content-hashed snapshots of what the launch is
// judged against (`npm run kaizen -- baseline create --name v1.1`), and the same figures now, for
// the "now vs baseline" view. Times are ISO 8601 UTC strings.
import type { ResolutionStats } from './tickets';
import type { Severity } from './vocabulary';

/** The figures of a window: what a baseline holds, and what GET .../comparison computes now. */
export interface Snapshot {
  window: { from: string; to: string; label: string };
  /** Time to resolve, over tickets resolved in the window. */
  mttr: { all: ResolutionStats; severities: { severity: Severity; stats: ResolutionStats }[] };
  /** Tickets opened or reopened in the window: per UTC day, and per rule per day. */
  alarms: {
    total: number;
    perDay: { day: string; count: number }[];
    perRule: { rule: string; total: number; perDay: { day: string; count: number }[] }[];
  };
  /** Bytes the delta protocol saved against raw u16 frames, recorded minute by minute. */
  bytesSaved: {
    ratio: number | null;
    bytesSent: number;
    bytesSaved: number;
    rawBytes: number;
    tenants: { tenant: string; ratio: number | null; bytesSent: number; bytesSaved: number }[];
  };
  /** p95 frame latency per tenant over the window, from the recorded histograms. */
  latency: { tenant: string; p95Ms: number | null; samples: number; sloMs: number | null }[];
  /** The Grafana dashboard as shipped with the console that made the snapshot. */
  dashboard: { file: string; sha256: string; json: unknown } | null;
}

export interface BaselineSummary {
  name: string;
  createdAt: string;
  createdBy: string;
  window: Snapshot['window'];
  /** SHA-256 of the canonical JSON of `snapshot`: what makes the artifact tamper-evident. */
  sha256: string;
  /** False when the file no longer matches its hash (edited or damaged). */
  intact: boolean;
}

/** GET /api/baselines. */
export interface BaselineList {
  baselines: BaselineSummary[];
}

/** GET /api/baselines/{name}: the artifact, per-tenant figures limited to the caller's tenants. */
export interface Baseline extends BaselineSummary {
  snapshot: Snapshot;
}

/** GET /api/baselines/{name}/comparison: the baseline and the same figures over as long now. */
export interface BaselineComparison {
  baseline: Baseline;
  now: Snapshot;
}
