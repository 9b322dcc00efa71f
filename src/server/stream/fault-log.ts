// Repeated faults logged at a bounded rate: the first of a run at once, then at most one line per
// interval saying how many more there were, and one when the run ends. A trace whose every frame
// fails its CRC then costs a line every ten seconds, not 36,000 a second.

export const FAULT_LOG_INTERVAL_MS = 10_000;

export interface FaultLog {
  /** A fault happened: logged now if it starts a run or the interval has passed, else counted. */
  fault(message: string): void;
  /** Things work again: says how many faults went unlogged, if any. */
  recovered(message: string): void;
}

export function createFaultLog(
  log: (line: string) => void,
  options: { intervalMs?: number; nowMs?: () => number } = {},
): FaultLog {
  const intervalMs = options.intervalMs ?? FAULT_LOG_INTERVAL_MS;
  const nowMs = options.nowMs ?? (() => performance.now());
  let inRun = false;
  let lastLineAtMs = 0;
  let unlogged = 0;
  let lastMessage = '';

  const summary = (): string =>
    `${unlogged} more like it in the last ${Math.round((nowMs() - lastLineAtMs) / 1000)} s` +
    ` (the last: ${lastMessage})`;

  return {
    fault(message) {
      lastMessage = message;
      if (!inRun) {
        inRun = true;
        unlogged = 0;
        lastLineAtMs = nowMs();
        log(message);
        return;
      }
      unlogged += 1;
      if (nowMs() - lastLineAtMs < intervalMs) return;
      log(summary());
      unlogged = 0;
      lastLineAtMs = nowMs();
    },
    recovered(message) {
      if (!inRun) return;
      inRun = false;
      log(unlogged > 0 ? `${message}; ${summary()}` : message);
      unlogged = 0;
    },
  };
}
