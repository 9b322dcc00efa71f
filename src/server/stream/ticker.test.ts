// The ticker's guarantees that hold on any machine, however loaded: a precise ticker never runs
// a tick before its deadline (beyond its 50 us tolerance), no ticker drifts, and after a stall the
// missed ticks are skipped rather than run in a burst. How close to the deadline ticks land is a
// figure for benchmarks (bench:isolation), not something a unit test can promise.
import { describe, expect, it } from 'vitest';
import { startTicker } from './ticker';

const INTERVAL_US = 1e6 / 60;

function record(ticks: number, precise: boolean, onTick?: (tick: number) => void) {
  return new Promise<{ startMs: number; times: number[] }>((resolve) => {
    const times: number[] = [];
    const startMs = performance.now();
    const ticker = startTicker(
      INTERVAL_US,
      (tick) => {
        times.push(performance.now());
        onTick?.(tick);
        // Counted, not the tick number: after a stall the numbers skip.
        if (times.length === ticks) {
          ticker.stop();
          resolve({ startMs, times });
        }
      },
      { precise },
    );
  });
}

describe('ticker', () => {
  it('never runs a precise tick before its deadline', async () => {
    const { startMs, times } = await record(30, true);
    const intervalMs = INTERVAL_US / 1000;
    times.forEach((atMs, k) => {
      expect(atMs - (startMs + (k + 1) * intervalMs)).toBeGreaterThan(-0.06);
    });
  });

  it('keeps its schedule: n ticks take n intervals, not n intervals plus the lateness', async () => {
    for (const precise of [false, true]) {
      const { startMs, times } = await record(60, precise);
      const elapsedMs = times.at(-1)! - startMs;
      // Lateness does not add up: the 60th tick is late by one timer's lateness at most.
      expect(elapsedMs).toBeGreaterThan(60 * (INTERVAL_US / 1000) - 2);
      expect(elapsedMs).toBeLessThan(60 * (INTERVAL_US / 1000) + 50);
    }
  });

  it('skips the ticks a stall missed instead of running them in a burst', async () => {
    const { times } = await record(8, true, (tick) => {
      if (tick === 3) {
        const until = performance.now() + 100; // a 100 ms stall: six intervals missed
        while (performance.now() < until);
      }
    });
    const gaps = times.slice(4).map((t, i) => t - times[3 + i]!);
    // No two ticks back to back after the stall.
    for (const gapMs of gaps) expect(gapMs).toBeGreaterThan(5);
  });

  it('stops: no tick after stop()', async () => {
    let ticks = 0;
    const ticker = startTicker(INTERVAL_US, () => (ticks += 1), { precise: true });
    await new Promise((r) => setTimeout(r, 60));
    ticker.stop();
    const seen = ticks;
    await new Promise((r) => setTimeout(r, 60));
    expect(ticks).toBe(seen);
  });
});
