import { describe, expect, it } from 'vitest';
import { createFaultLog } from './fault-log';

describe('the fault log', () => {
  it('logs the first fault of a run, then a count per interval, then the recovery', () => {
    const lines: string[] = [];
    let nowMs = 0;
    const faults = createFaultLog((line) => lines.push(line), {
      intervalMs: 10_000,
      nowMs: () => nowMs,
    });
    for (; nowMs < 25_000; nowMs += 1) faults.fault(`frame ${nowMs % 600}: CRC mismatch`);
    expect(lines).toEqual([
      'frame 0: CRC mismatch',
      '10000 more like it in the last 10 s (the last: frame 400: CRC mismatch)',
      '10000 more like it in the last 10 s (the last: frame 200: CRC mismatch)',
    ]);
    faults.recovered('frames read again');
    expect(lines.at(-1)).toBe(
      'frames read again; 4999 more like it in the last 5 s (the last: frame 399: CRC mismatch)',
    );
    // A new run starts with its first fault logged at once.
    faults.fault('frame 7: CRC mismatch');
    expect(lines.at(-1)).toBe('frame 7: CRC mismatch');
  });
});
