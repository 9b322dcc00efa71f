// bench:e2e's command line.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CHROMIUM_PATH } from '../../../scripts/chromium-options';
import { numberOption } from '../../support/cli';
import { latticeOf, type LatticeSize } from './lattice-size';

export const E2E_USAGE =
  'npm run bench:e2e -- [--spins N[,N...]] [--source live|replay|both] [--seconds S] ' +
  '[--warmup S] [--trace-frames F] [--data DIR] [--browser-arg ARG]... [--chromium PATH]';

export type StreamSourceKind = 'live' | 'replay';

export interface E2eOptions {
  sizes: LatticeSize[];
  sources: StreamSourceKind[];
  seconds: number;
  warmupSeconds: number;
  /** Frames of each generated replay trace (it loops). */
  traceFrames: number;
  /** Where the generated traces are kept between runs, and each run's server state. */
  dataDir: string;
  browserArgs: string[];
  chromium: string;
  /** Only the codec section: encode and decode in Node, no server, no browser. */
  codecOnly: boolean;
}

export function parseE2eOptions(): E2eOptions {
  const { values } = parseArgs({
    options: {
      spins: { type: 'string', default: '1048576' },
      source: { type: 'string', default: 'both' },
      seconds: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '3' },
      'trace-frames': { type: 'string', default: '180' },
      data: { type: 'string', default: '.data-bench-e2e' },
      'browser-arg': { type: 'string', multiple: true, default: [] },
      chromium: { type: 'string', default: CHROMIUM_PATH },
      'codec-only': { type: 'boolean', default: false },
    },
    strict: true,
  });
  const sizes = values.spins.split(',').map((part) => latticeOf(part.trim()));
  const sources: StreamSourceKind[] =
    values.source === 'both' ? ['live', 'replay'] : [values.source as StreamSourceKind];
  if (!['live', 'replay', 'both'].includes(values.source)) {
    throw new Error(`--source must be live, replay or both, got "${values.source}"`);
  }
  const codecOnly = values['codec-only'];
  if (!codecOnly && !existsSync(values.chromium)) {
    throw new Error(
      `no Chromium at ${values.chromium}; install Debian's "chromium" or pass --chromium PATH`,
    );
  }
  if (!codecOnly && !existsSync('dist/index.html')) {
    throw new Error('the app is not built (no dist/index.html): run "npx vite build" first');
  }
  return {
    sizes,
    sources,
    seconds: numberOption('seconds', values.seconds, { min: 2, max: 600 }),
    warmupSeconds: numberOption('warmup', values.warmup, { min: 0, max: 120 }),
    traceFrames: numberOption('trace-frames', values['trace-frames'], { min: 3, max: 100_000 }),
    dataDir: path.resolve(values.data),
    browserArgs: values['browser-arg'],
    chromium: values.chromium,
    codecOnly,
  };
}
