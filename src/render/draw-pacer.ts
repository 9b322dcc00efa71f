// Adaptive pacing for a renderer whose draws may be slow (the 3-D view on software WebGL): it
// keeps a smoothed cost per draw and allows the next draw only after cost / maxDuty has passed
// since the last one started, so drawing takes at most maxDuty of the main thread and the page
// keeps responding. On a fast GPU the interval is below one animation frame: every frame draws.

export interface DrawPacerOptions {
  /** Share of wall time that drawing may take, in (0, 1]. */
  maxDuty: number;
  /** Longest wait between draws, in ms, however slow a draw is. */
  maxIntervalMs: number;
  /** Weight of the newest cost sample in the smoothed cost, in (0, 1]. */
  smoothing: number;
  /**
   * A smoothed cost up to this (ms) never holds a draw back. A renderer whose draws are cheap
   * sets it: its cost is then mostly other work that made frames late (a busy machine), and
   * pacing would only lower its frame rate without freeing the page.
   */
  paceAboveMs: number;
}

export const DEFAULT_PACER_OPTIONS: DrawPacerOptions = {
  maxDuty: 0.5,
  maxIntervalMs: 1000,
  smoothing: 0.3,
  paceAboveMs: 0,
};

export class DrawPacer {
  private costMs = 0;
  private lastDrawStartMs = Number.NEGATIVE_INFINITY;
  private readonly options: DrawPacerOptions;

  constructor(options: Partial<DrawPacerOptions> = {}) {
    this.options = { ...DEFAULT_PACER_OPTIONS, ...options };
  }

  /** Smoothed cost of one draw, in ms. */
  get drawCostMs(): number {
    return this.costMs;
  }

  /** The shortest time between the starts of two draws, in ms. */
  get minIntervalMs(): number {
    if (this.costMs <= this.options.paceAboveMs) return 0;
    return Math.min(this.options.maxIntervalMs, this.costMs / this.options.maxDuty);
  }

  /** Whether a draw may start at nowMs. */
  ready(nowMs: number): boolean {
    return nowMs - this.lastDrawStartMs >= this.minIntervalMs;
  }

  /** A draw starts now: the next one waits minIntervalMs from here. */
  started(startMs: number): void {
    this.lastDrawStartMs = startMs;
  }

  /** What the last draw cost: main-thread time, or the frame time it delayed, in ms. */
  finished(costMs: number): void {
    const sample = Number.isFinite(costMs) ? Math.max(0, costMs) : 0;
    const a = this.options.smoothing;
    this.costMs = this.costMs === 0 ? sample : this.costMs + a * (sample - this.costMs);
  }
}
