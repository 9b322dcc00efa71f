// A drift-free periodic clock: each deadline is start + n * interval, so timer lateness never
// accumulates, and a stall (a paused process, a long GC) skips ticks instead of bursting them.

export interface Ticker {
  stop(): void;
}

export function startTicker(intervalUs: number, onTick: (tick: number) => void): Ticker {
  const intervalMs = intervalUs / 1000;
  const startMs = performance.now();
  let tick = 0;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const schedule = (): void => {
    if (stopped) return;
    const nowMs = performance.now();
    let nextMs = startMs + (tick + 1) * intervalMs;
    if (nowMs - nextMs > intervalMs) {
      // More than one interval late: drop the missed ticks rather than replay them in a burst.
      tick = Math.floor((nowMs - startMs) / intervalMs);
      nextMs = startMs + (tick + 1) * intervalMs;
    }
    timer = setTimeout(run, Math.max(0, nextMs - nowMs));
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
      if (timer) clearTimeout(timer);
    },
  };
}
