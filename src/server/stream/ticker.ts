// A drift-free periodic clock: each deadline is start + n * interval, so timer lateness never
// accumulates, and a stall (a paused process, a long GC) skips ticks instead of bursting them.
//
// Node's timers have millisecond resolution and count from a cached loop time, so a timer for
// 16.67 ms fires anywhere from about 1.7 ms early to late. A precise ticker sets its timer to fire
// a little before the deadline and covers the rest by re-checking the clock with setImmediate,
// which lets I/O run between checks (the event loop is never blocked). That costs a few per cent
// of a core per running stream and puts ticks within tens of microseconds of their deadlines
// when the loop is free. (A helper thread sleeping in Atomics.wait costs less CPU, but its
// wake-up, relayed to the loop as a message, added about 0.3 ms to every frame's latency.)

export interface Ticker {
  stop(): void;
}

/** What a ticker reads the time from and schedules with: the event loop's, unless a test's. */
export interface TickerClock {
  /** Milliseconds on a monotonic clock. */
  now(): number;
  setTimeout(run: () => void, delayMs: number): unknown;
  clearTimeout(handle: unknown): void;
  setImmediate(run: () => void): unknown;
  clearImmediate(handle: unknown): void;
}

export const EVENT_LOOP_CLOCK: TickerClock = {
  now: () => performance.now(),
  setTimeout: (run, delayMs) => setTimeout(run, delayMs),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
  setImmediate: (run) => setImmediate(run),
  clearImmediate: (handle) => clearImmediate(handle as NodeJS.Immediate),
};

export interface TickerOptions {
  /** Tick within tens of microseconds of each deadline instead of Node's +-1 ms. */
  precise?: boolean;
  /** Tests drive a ticker on virtual time; its schedule is then exact and the same on any machine. */
  clock?: TickerClock;
}

/** A precise ticker's timer aims this far before the deadline; the clock is re-checked from there. */
const PRECISE_LEAD_MS = 1;
/** Close enough: a tick this near its deadline runs at once. */
const PRECISE_TOLERANCE_MS = 0.05;

export function startTicker(
  intervalUs: number,
  onTick: (tick: number) => void,
  options: TickerOptions = {},
): Ticker {
  const intervalMs = intervalUs / 1000;
  const clock = options.clock ?? EVENT_LOOP_CLOCK;
  const startMs = clock.now();
  const precise = options.precise ?? false;
  let tick = 0;
  let timer: unknown;
  let immediate: unknown;
  let stopped = false;

  const deadlineMs = (): number => startMs + (tick + 1) * intervalMs;

  const schedule = (): void => {
    if (stopped) return;
    const nowMs = clock.now();
    if (nowMs - deadlineMs() > intervalMs) {
      // More than one interval late: drop the missed ticks rather than replay them in a burst.
      tick = Math.floor((nowMs - startMs) / intervalMs);
    }
    const delayMs = deadlineMs() - nowMs - (precise ? PRECISE_LEAD_MS : 0);
    timer = clock.setTimeout(precise ? wake : run, Math.max(0, delayMs));
  };
  const wake = (): void => {
    timer = undefined;
    immediate = undefined;
    if (stopped) return;
    const earlyMs = deadlineMs() - clock.now();
    if (earlyMs > PRECISE_LEAD_MS) timer = clock.setTimeout(wake, earlyMs - PRECISE_LEAD_MS);
    else if (earlyMs > PRECISE_TOLERANCE_MS) immediate = clock.setImmediate(wake);
    else run();
  };
  const run = (): void => {
    tick += 1;
    onTick(tick);
    schedule();
  };
  schedule();
  return {
    stop() {
      stopped = true;
      if (timer !== undefined) clock.clearTimeout(timer);
      if (immediate !== undefined) clock.clearImmediate(immediate);
    },
  };
}
