// An event loop on virtual time for code that schedules with timers and immediates (the stream
// ticker): timers fire at their due time plus a lateness the test chooses (Node's fire up to
// about 1.7 ms early and, on a busy machine, arbitrarily late), an immediate runs one loop turn
// later, and a callback can spend time to stand for a stall. What a test then asserts about the
// schedule is exact, and the same on an idle laptop and a loaded CI runner.
import type { TickerClock } from '../server/stream/ticker';

export interface VirtualEventLoopOptions {
  /** Added to the due time of the k-th timer set (k from 0); may be negative. Default 0. */
  timerLatenessMs?: (k: number) => number;
  /** Virtual time one turn of the loop takes: when an immediate runs. Default 0.01 ms. */
  turnMs?: number;
}

export interface VirtualEventLoop extends TickerClock {
  /** Runs what is due, in time order, until `untilMs` or until nothing is scheduled. */
  runUntil(untilMs: number): void;
  /** Called inside a callback: it took this long (a stall, a slow frame). */
  spend(ms: number): void;
}

interface Task {
  atMs: number;
  order: number;
  run: () => void;
  cancelled: boolean;
}

export function virtualEventLoop(options: VirtualEventLoopOptions = {}): VirtualEventLoop {
  const lateness = options.timerLatenessMs ?? (() => 0);
  const turnMs = options.turnMs ?? 0.01;
  let nowMs = 0;
  let order = 0;
  let timersSet = 0;
  const tasks: Task[] = [];
  const add = (atMs: number, run: () => void): Task => {
    const task = { atMs, order: order++, run, cancelled: false };
    tasks.push(task);
    return task;
  };
  const cancel = (handle: unknown): void => {
    (handle as Task).cancelled = true;
  };
  return {
    now: () => nowMs,
    setTimeout: (run, delayMs) => add(nowMs + Math.max(0, delayMs + lateness(timersSet++)), run),
    clearTimeout: cancel,
    setImmediate: (run) => add(nowMs + turnMs, run),
    clearImmediate: cancel,
    spend(ms) {
      nowMs += ms;
    },
    runUntil(untilMs) {
      for (;;) {
        let next = -1;
        for (let k = 0; k < tasks.length; k++) {
          const t = tasks[k]!;
          if (t.cancelled) continue;
          const best = tasks[next];
          if (!best || t.atMs < best.atMs || (t.atMs === best.atMs && t.order < best.order)) {
            next = k;
          }
        }
        if (next < 0 || tasks[next]!.atMs > untilMs) break;
        const [task] = tasks.splice(next, 1);
        // A task due while an earlier one was still running starts when that one ends.
        nowMs = Math.max(nowMs, task!.atMs);
        task!.run();
      }
      nowMs = Math.max(nowMs, untilMs);
      for (let k = tasks.length - 1; k >= 0; k--) if (tasks[k]!.cancelled) tasks.splice(k, 1);
    },
  };
}
