// What the bandwidth and latency panels read over a time range: one tenant's byte counts and
// latency histograms, kept at four resolutions so that any range from five minutes to a week is a
// few hundred points (docs/API.md, GET /api/bandwidth and GET /api/latency). Each tier keeps twice
// the longest range it serves, so a figure over a window can be followed back one window more (the
// latency verdict's hysteresis needs where it came from).
import type { BandwidthTotals } from '../core/api/panels';
import { mergeInto, type LatencyHistogram } from './latency-histogram';

/** Cumulative counts of one tenant's sends, as server/metrics.ts keeps them. */
export type CountTotals = BandwidthTotals;

export interface HistoryPoint {
  /** End of the point's interval, ms since the epoch (the last second sampled into it). */
  atMs: number;
  /** The counts at atMs: cumulative, so two points give the bytes between them. */
  totals: CountTotals;
  /** Latency samples reported during the point's interval. */
  latency: LatencyHistogram;
  /** Seconds, up to atMs, in which the tenant sent at least one frame: cumulative like totals. */
  activeS: number;
}

export interface HistoryTier {
  stepS: number;
  points: number;
}

/** 1 s for 10 min, 10 s for 2 h, 5 min for 2 d, 30 min for 14 d. */
export const HISTORY_TIERS: readonly HistoryTier[] = [
  { stepS: 1, points: 600 },
  { stepS: 10, points: 720 },
  { stepS: 300, points: 576 },
  { stepS: 1800, points: 672 },
];

/** The longest window the panels serve: the coarsest tier's span, halved. */
export const MAX_HISTORY_WINDOW_S = 7 * 86_400;

interface Tier extends HistoryTier {
  done: HistoryPoint[];
  /** The point still filling (its interval has not ended). */
  open: HistoryPoint | null;
  /** Whether it has let its oldest point go: until then it holds everything since the start. */
  full: boolean;
}

export class PanelHistory {
  private readonly tiers: Tier[] = HISTORY_TIERS.map((t) => ({
    ...t,
    done: [],
    open: null,
    full: false,
  }));
  private activeS = 0;
  private lastFramesSent: number | null = null;

  /** One second's sample: the counts now and the latencies reported in that second. */
  add(atMs: number, totals: CountTotals, latency: LatencyHistogram): void {
    // A second counts as active when frames went out in it: viewers watched.
    if (this.lastFramesSent !== null && totals.framesSent > this.lastFramesSent) this.activeS += 1;
    this.lastFramesSent = totals.framesSent;
    const activeS = this.activeS;
    for (const tier of this.tiers) {
      const stepMs = tier.stepS * 1000;
      const open = tier.open;
      if (open && Math.floor(open.atMs / stepMs) === Math.floor(atMs / stepMs)) {
        open.atMs = atMs;
        open.totals = { ...totals };
        open.activeS = activeS;
        mergeInto(open.latency, latency);
        continue;
      }
      if (open) {
        tier.done.push(open);
        if (tier.done.length > tier.points) {
          tier.done.shift();
          tier.full = true;
        }
      }
      tier.open = { atMs, totals: { ...totals }, latency: new Map(latency), activeS };
    }
  }

  /**
   * Every point the finest tier that covers `windowS` keeps, oldest first (the newest may still be
   * filling), with that tier's step: the window and at least one more before it. A tier covers a
   * window when half its span does, or when it still holds everything since the start (the first
   * minutes of a server: a 1 h window then reads the 1 s points, not one 10 s point).
   */
  points(windowS: number): { stepS: number; points: HistoryPoint[] } {
    const tier =
      this.tiers.find((t) => (t.stepS * t.points) / 2 >= windowS || !t.full) ??
      this.tiers[this.tiers.length - 1]!;
    return { stepS: tier.stepS, points: tier.open ? [...tier.done, tier.open] : [...tier.done] };
  }
}
