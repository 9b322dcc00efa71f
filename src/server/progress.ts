// Progress for long jobs run from a terminal or a service (the server generating its missing traces
// at start, `npm run trace:generate`): a live bar on a terminal, and on anything else (CI logs,
// systemd journal) a plain line every 10 %, since a redrawn bar would fill a log with escapes.
// It lives in the server because the server needs it and the CLI may import the server, not the
// reverse.

import { Presets, SingleBar } from 'cli-progress';

export interface Progress {
  /** Sets the number of units done so far. */
  update(done: number): void;
  /** Ends the bar, or prints the last count if it was not printed yet. */
  stop(): void;
}

export interface ProgressOptions {
  /** Where to draw; standard error by default, so that standard output stays parseable. */
  stream?: NodeJS.WritableStream & { isTTY?: boolean };
}

export function createProgress(
  label: string,
  total: number,
  options: ProgressOptions = {},
): Progress {
  const stream = options.stream ?? process.stderr;
  if (stream.isTTY === true) {
    const bar = new SingleBar(
      {
        format: `${label} [{bar}] {percentage}% | {value}/{total} | ETA {eta}s`,
        stream,
        hideCursor: true,
        clearOnComplete: false,
      },
      Presets.shades_classic,
    );
    bar.start(total, 0);
    return {
      update: (done) => bar.update(done),
      stop: () => bar.stop(),
    };
  }

  let lastTenth = -1;
  let lastDone = 0;
  let lastPrinted = -1;
  const print = (done: number): void => {
    const percent = total > 0 ? Math.floor((done / total) * 100) : 100;
    stream.write(`${label}: ${percent}% (${done}/${total})\n`);
    lastPrinted = done;
  };
  return {
    update(done) {
      lastDone = done;
      const tenth = total > 0 ? Math.floor((done / total) * 10) : 10;
      if (tenth > lastTenth) {
        lastTenth = tenth;
        print(done);
      }
    },
    stop() {
      // The log should end on where the job stopped, finished or not.
      if (lastDone !== lastPrinted) print(lastDone);
    },
  };
}
