// Virtual time for tests: code under test reads `now()`, and the test moves it on by hand.

export const T0 = Date.parse('2026-03-01T12:00:00Z');

export interface VirtualClock {
  now: () => number;
  advance(ms: number): number;
  set(ms: number): void;
}

export function virtualClock(startMs = T0): VirtualClock {
  let nowMs = startMs;
  return {
    now: () => nowMs,
    advance(ms) {
      nowMs += ms;
      return nowMs;
    },
    set(ms) {
      nowMs = ms;
    },
  };
}
