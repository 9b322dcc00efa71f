// A canary on virtual time: a stream that stalls on a schedule, watched by the real detector and
// store, hours simulated in milliseconds. It checks a rule set end to end (does a stall open a
// ticket, does it resolve, what MTTR comes out) and seeds a data directory with real tickets.
import type { MttrReport } from '../../core/api/tickets';
import { isoTime } from '../../core/api/time';
import type { Kaizen } from './kaizen';
import { mttrFromStore } from './mttr';
import { windowCovering } from './windows';

export interface CanaryOptions {
  tenantId: string;
  durationMs: number;
  /** A stall starts every this often... */
  stallEveryMs?: number;
  /** ...and lasts this long. */
  stallForMs?: number;
  /** Instead of the periodic stalls: whether the stream is stalled this long after the start. */
  stalledAt?: (sinceStartMs: number) => boolean;
  /** Frames per second while the stream runs. */
  fps?: number;
  /** Called after each evaluation of the detector, at its virtual time (a pager, a timeline). */
  onEvaluate?: (atMs: number) => void;
}

export interface CanaryReport {
  tenant: string;
  from: string;
  to: string;
  stalls: number;
  ticketIds: number[];
  reopened: number;
  unresolved: number;
  /** What GET /api/mttr answers for the tenant at the end, over the shortest window covering the run. */
  mttr: MttrReport;
}

/** Runs on `kaizen`'s clock, which `setNow` moves; returns what the tickets say afterwards. */
export function runCanary(
  kaizen: Kaizen,
  setNow: (ms: number) => void,
  options: CanaryOptions,
): CanaryReport {
  const { detector, store } = kaizen;
  const frameMs = 1000 / (options.fps ?? 60);
  const evalMs = detector.rules.evaluationIntervalMs;
  const startMs = kaizen.now();
  const endMs = startMs + options.durationMs;
  const { stallEveryMs, stallForMs, stalledAt } = options;
  if (!stalledAt && (stallEveryMs === undefined || stallForMs === undefined)) {
    throw new RangeError('[kaizen] a canary needs stallEveryMs and stallForMs, or stalledAt');
  }
  const stalled = (t: number): boolean => {
    const sinceStart = t - startMs;
    if (stalledAt) return stalledAt(sinceStart);
    const phase = sinceStart % stallEveryMs!;
    return sinceStart >= stallEveryMs! && phase < stallForMs!;
  };
  detector.registerStream(options.tenantId, kaizen.visibilityOf(options.tenantId));
  let stalls = 0;
  let wasStalled = false;
  let nextFrameMs = startMs;
  let nextEvalMs = startMs + evalMs;
  for (;;) {
    const t = Math.min(nextFrameMs, nextEvalMs);
    if (t > endMs) break;
    setNow(t);
    if (t === nextFrameMs) {
      const isStalled = stalled(t);
      if (isStalled && !wasStalled) stalls += 1;
      wasStalled = isStalled;
      if (!isStalled) detector.observeFrame(options.tenantId, t);
      nextFrameMs += frameMs;
    } else {
      detector.evaluate(t);
      options.onEvaluate?.(t);
      nextEvalMs += evalMs;
    }
  }
  setNow(endMs);
  detector.evaluate(endMs);
  options.onEvaluate?.(endMs);
  const tickets = store.list(
    { tenant: options.tenantId, sources: ['detector'], openedSinceMs: startMs },
    { limit: 200 },
  ).tickets;
  return {
    tenant: options.tenantId,
    from: isoTime(startMs),
    to: isoTime(endMs),
    stalls,
    ticketIds: tickets.map((t) => t.id).reverse(),
    reopened: tickets.reduce((n, t) => n + t.reopenCount, 0),
    unresolved: tickets.filter((t) => t.status !== 'resolved').length,
    mttr: mttrFromStore(store, {
      tenant: options.tenantId,
      window: windowCovering(options.durationMs),
      toMs: endMs,
    }),
  };
}
