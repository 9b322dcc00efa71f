// The panels' figures: GET /api/bandwidth and GET /api/latency (docs/API.md). Written by the
// server from the counts /metrics exports, read by the bandwidth and latency panels.

export interface BandwidthTotals {
  bytesSent: number;
  bytesSaved: number;
  /** What the frames sent would have cost as raw u16 phases: the baseline of bytes saved. */
  rawBytes: number;
  framesSent: number;
  framesSkipped: number;
  resyncs: number;
}

export interface BandwidthReport {
  tenant: string;
  windowS: number;
  /** Since the server started. */
  totals: BandwidthTotals;
  /** bytesSaved / rawBytes of the totals; 0 before any frame. */
  savingsRatio: number;
  /** One point per second of the window, oldest first. */
  series: { atMs: number; sentBytesPerS: number; savedBytesPerS: number; rawBytesPerS: number }[];
}

export interface LatencySecond {
  /** Start of the second, ms since the epoch. */
  atMs: number;
  p95Ms: number;
  /** Latency samples in that second. */
  count: number;
}

export interface LatencyReport {
  tenant: string;
  windowS: number;
  /** The tenant's p95 objective. */
  sloMs: number;
  /** Latency samples in the window. */
  samples: number;
  /** The worst second's p95; null without samples. */
  p95MsWorst: number | null;
  /** The count-weighted mean of the per-second p95s; null without samples. */
  p95MsMean: number | null;
  series: LatencySecond[];
}
