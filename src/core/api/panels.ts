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

/** What the window of a bandwidth report holds: the bytes between its first and last point. */
export interface BandwidthWindow {
  /** The range the figures cover, ms since the epoch (at most windowS long; less after a start). */
  fromMs: number;
  toMs: number;
  bytesSent: number;
  bytesSaved: number;
  rawBytes: number;
  framesSent: number;
  /** bytesSaved / rawBytes over the window; 0 without frames. */
  savingsRatio: number;
  /** Seconds of the window in which frames went out (someone watched); gaps do not count. */
  activeS: number;
  /** bytesSaved / activeS: the rate while streaming, what a projection extrapolates; null at 0 s. */
  savedBytesPerActiveS: number | null;
}

export interface BandwidthReport {
  tenant: string;
  windowS: number;
  /** Seconds between two points of the series (1 up to 5 min, 10 up to 1 h, ...). */
  stepS: number;
  /** What bytes saved are measured against: every frame sent as raw 16-bit phases (2 bytes a spin). */
  baseline: 'raw-u16';
  /** Since the server started counting this tenant's stream (ms since the epoch). */
  totals: BandwidthTotals;
  totalsSinceMs: number;
  /** bytesSaved / rawBytes of the totals; 0 before any frame. */
  savingsRatio: number;
  window: BandwidthWindow;
  /** One point per step of the window, oldest first. */
  series: { atMs: number; sentBytesPerS: number; savedBytesPerS: number; rawBytesPerS: number }[];
}

export interface LatencySecond {
  /** End of the point's interval (a second, or stepS), ms since the epoch. */
  atMs: number;
  /** p95 of the samples of that interval. */
  p95Ms: number;
  /** Latency samples in that interval. */
  count: number;
  /** p95 over the windowS before atMs: the figure the verdict follows; null without samples. */
  windowP95Ms: number | null;
}

/**
 * The panel's verdict on the window's p95 against the SLO, with hysteresis: it turns `over` when
 * the p95 rises above the SLO and back `within` only when it falls below `withinBelowMs`, so a
 * p95 hovering at the SLO does not flap. `insufficient`: fewer than minSamples in the window.
 */
export type LatencyVerdict = 'within' | 'over' | 'insufficient';

export interface LatencyReport {
  tenant: string;
  windowS: number;
  stepS: number;
  /** The tenant's p95 objective. */
  sloMs: number;
  /** Latency samples in the window. */
  samples: number;
  /** p95 of every sample in the window (within 2 %, from log-scale buckets); null without samples. */
  p95Ms: number | null;
  /** The worst point's p95; null without samples. */
  p95MsWorst: number | null;
  /** The count-weighted mean of the points' p95s; null without samples. */
  p95MsMean: number | null;
  verdict: LatencyVerdict;
  /** When the verdict last changed, as far back as the server keeps (ms since the epoch); null without points. */
  verdictSinceMs: number | null;
  /** A verdict needs at least this many samples in the window. */
  minSamples: number;
  /** `over` above sloMs; back `within` below this. */
  withinBelowMs: number;
  series: LatencySecond[];
}
