// The wall clock with sub-millisecond resolution, consistent between the processes and threads of
// one machine: what a frame's producedAtMs is stamped with, and what a client on the same machine
// subtracts it from.
//
// performance.timeOrigin + performance.now() is not that clock. The time origin is taken once as
// a process starts, and a process preempted while it is taken (a loaded machine) keeps an origin
// that is off for good: on the 2-core machine at a load average of 13, one process in 40 started
// 220 ms ahead of the system clock, and latencies measured between two processes came out negative.
// Date.now() is the system clock, shared by every process, but in whole milliseconds. So this clock
// is performance.now() plus an offset taken from Date.now() at the moment it turns to the next
// millisecond (the best of a few such moments: within microseconds of the system clock), and each
// reading keeps it within the system clock's current millisecond, which also follows the clock's
// slow corrections over a long run.

/** Millisecond turns the first reading waits for: a few ms once per thread, then never again. */
const CALIBRATION_TURNS = 3;

let offsetMs: number | null = null;

function calibrate(): number {
  let best = -Infinity;
  for (let turn = 0; turn < CALIBRATION_TURNS; turn++) {
    const from = Date.now();
    let system = from;
    while (system === from) system = Date.now();
    // Just after the turn the system clock reads `system` and a little more: a reading taken late
    // (the thread preempted in between) only underestimates, so the largest estimate is the best.
    best = Math.max(best, system - performance.now());
  }
  return best;
}

/** Milliseconds since the epoch, sub-millisecond, on the system clock of this machine. */
export function wallClockMs(): number {
  offsetMs ??= calibrate();
  const before = performance.now();
  const system = Date.now();
  const after = performance.now();
  // The system clock read `system` between `before` and `after`: at `after` it was at least that,
  // at `before` still under `system + 1`.
  if (offsetMs + after < system) offsetMs = system - after;
  else if (offsetMs + before >= system + 1) offsetMs = system + 1 - before;
  return offsetMs + after;
}
