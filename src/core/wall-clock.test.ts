import { describe, expect, it } from 'vitest';
import { wallClockMs } from './wall-clock';

describe('wallClockMs', () => {
  it("reads within the system clock's millisecond, however the thread is scheduled", () => {
    // 0.1 ms of slack: a virtual machine's vCPUs may disagree on the clock by microseconds, and
    // the thread can move between them from one read to the next.
    for (let k = 0; k < 20_000; k++) {
      const before = Date.now();
      const reading = wallClockMs();
      const after = Date.now();
      expect(reading).toBeGreaterThanOrEqual(before - 0.1);
      expect(reading).toBeLessThan(after + 1.1);
    }
  });

  it('resolves time below a millisecond and never runs backwards within a burst of reads', () => {
    const readings = Array.from({ length: 5000 }, () => wallClockMs());
    const fractions = new Set(readings.map((r) => Math.round((r % 1) * 100)));
    expect(fractions.size).toBeGreaterThan(5);
    for (let k = 1; k < readings.length; k++) {
      // A correction may move the offset by at most the time between two reads within a turn.
      expect(readings[k]!).toBeGreaterThan(readings[k - 1]! - 1);
    }
  });
});
