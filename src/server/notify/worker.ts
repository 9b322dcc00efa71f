// The delivery worker: claims due rows of the outbox, a few at a time (the in-memory queue is
// bounded by `concurrency`; everything else waits in SQLite), sends each, and records the outcome.
// A CLI drains the outbox to completion; the server starts it and it polls until stopped. Several
// workers, in one process or several, can share an outbox: a claim is a lease, and a row whose
// worker died is taken over once its lease runs out (it may then reach the receiver twice: at
// least once, never lost; see docs/OPERATIONS.md).
import type { NotifyMetrics } from './metrics';
import type { Channel, Claim, DeliveryQueue, OutboxEntry } from './outbox';
import { DEFAULT_RETRY_POLICY, retryDelayMs, type RetryPolicy } from './retry';
import { postJson, type FetchLike } from './send';
import type { Targets } from './config';

export interface DeliveryOutcome {
  /** The row as claimed: `attempts` counts this attempt. */
  entry: OutboxEntry;
  /** `lost`: the lease ran out during the attempt and another worker owns the row now. */
  result: 'sent' | 'retry' | 'failed' | 'lost';
  httpStatus: number | null;
  error: string | null;
  /** When the next attempt is due, and how long from the end of this one, for `retry`. */
  nextAttemptAtMs: number | null;
  retryInMs: number | null;
  elapsedMs: number;
}

export interface DrainReport {
  outcomes: DeliveryOutcome[];
  /** Still pending when the drain ended (only when it ran out of time). */
  pending: number;
}

export interface WorkerOptions {
  outbox: DeliveryQueue;
  /** Channels without a target are left alone (their rows stay pending). */
  targets: Targets;
  policy?: Partial<RetryPolicy>;
  /** Deliveries in flight at once, and so rows held in memory. */
  concurrency?: number;
  /** How long a claim holds a row; longer than a request may take. */
  leaseMs?: number;
  /** A started worker looks for rows written by other processes this often. */
  pollMs?: number;
  metrics?: NotifyMetrics;
  now?: () => number;
  random?: () => number;
  fetch?: FetchLike;
  log?: (line: string) => void;
  onOutcome?: (outcome: DeliveryOutcome) => void;
}

export interface DeliveryWorker {
  readonly channels: readonly Channel[];
  readonly policy: RetryPolicy;
  /** One round: claims what is due, up to `concurrency`, and delivers it; returns how many. */
  deliverDue(): Promise<number>;
  /**
   * Delivers until nothing of its channels is pending, or until `timeoutMs` has passed (rows
   * another worker holds count as pending until it settles them or its lease runs out).
   */
  drain(options?: { timeoutMs?: number }): Promise<DrainReport>;
  /** Runs until stop(): delivers what is due, sleeps until the next row is due or a poll. */
  start(): void;
  /** Makes a started worker look now (after an enqueue) instead of at its next poll. */
  wake(): void;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createDeliveryWorker(options: WorkerOptions): DeliveryWorker {
  const { outbox, targets, metrics } = options;
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.policy };
  const concurrency = options.concurrency ?? 4;
  const leaseMs = options.leaseMs ?? policy.requestTimeoutMs + 5000;
  const pollMs = options.pollMs ?? 1000;
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const log = options.log ?? (() => {});
  const channels = (Object.keys(targets) as Channel[]).filter((c) => targets[c] !== undefined);
  if (leaseMs <= policy.requestTimeoutMs) {
    throw new RangeError(
      `[notify] the lease (${leaseMs} ms) must outlast a request (${policy.requestTimeoutMs} ms)`,
    );
  }

  let running: Promise<void> | null = null;
  let stopping = false;
  let wakeUp: (() => void) | null = null;

  const deliverOne = async (claim: Claim): Promise<DeliveryOutcome> => {
    const { entry } = claim;
    const target = targets[entry.channel]!;
    const startedMs = now();
    const attempt = await postJson(target.url, target.prepare(entry.body), {
      timeoutMs: policy.requestTimeoutMs,
      nowMs: now,
      fetch: options.fetch,
    });
    const doneMs = now();
    const what = `${entry.channel} ${entry.dedupKey}`;
    const outcome = (
      result: DeliveryOutcome['result'],
      error: string | null,
      nextAttemptAtMs: number | null = null,
    ): DeliveryOutcome => ({
      entry,
      result,
      httpStatus: attempt.httpStatus,
      error,
      nextAttemptAtMs,
      retryInMs: nextAttemptAtMs === null ? null : nextAttemptAtMs - doneMs,
      elapsedMs: doneMs - startedMs,
    });
    const lost = (): DeliveryOutcome => {
      log(`[notify] ${what}: the claim ran out during the attempt; another worker has the row`);
      return outcome('lost', attempt.kind === 'sent' ? null : attempt.error);
    };

    if (attempt.kind === 'sent') {
      if (!(await outbox.markSent(claim, doneMs, attempt.httpStatus))) return lost();
      metrics?.sent(entry.channel);
      return outcome('sent', null);
    }
    if (attempt.kind === 'refused') {
      const error = `refused, not retried: ${attempt.error}`;
      if (!(await outbox.markFailed(claim, doneMs, error, attempt.httpStatus))) return lost();
      metrics?.failed(entry.channel);
      log(`[notify] ${what}: ${error}`);
      return outcome('failed', error);
    }
    if (entry.attempts >= policy.maxAttempts) {
      const error = `gave up after ${entry.attempts} attempts: ${attempt.error}`;
      if (!(await outbox.markFailed(claim, doneMs, error, attempt.httpStatus))) return lost();
      metrics?.failed(entry.channel);
      log(`[notify] ${what}: ${error}`);
      return outcome('failed', error);
    }
    const nextMs = doneMs + retryDelayMs(policy, entry.attempts, attempt.retryAfterMs, random);
    if (!(await outbox.markRetry(claim, nextMs, attempt.error, attempt.httpStatus))) return lost();
    metrics?.retried(entry.channel);
    log(
      `[notify] ${what}: attempt ${entry.attempts} of ${policy.maxAttempts} failed (${attempt.error}); ` +
        `next in ${nextMs - doneMs} ms`,
    );
    return outcome('retry', attempt.error, nextMs);
  };

  const deliverDue = async (collect?: DeliveryOutcome[]): Promise<number> => {
    const claims = await outbox.claim(channels, concurrency, now(), leaseMs);
    const outcomes = await Promise.all(claims.map(deliverOne));
    for (const o of outcomes) {
      collect?.push(o);
      options.onOutcome?.(o);
    }
    return claims.length;
  };

  /** Sleeps `ms`, or less when woken. */
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wakeUp = null;
        resolve();
      }
      wakeUp = done;
    });

  const loop = async (): Promise<void> => {
    while (!stopping) {
      let waitMs = pollMs;
      try {
        if ((await deliverDue()) > 0) continue;
        const next = await outbox.nextClaimableAtMs(channels);
        if (next !== null) waitMs = Math.min(pollMs, Math.max(0, next - now()));
      } catch (error) {
        // The database is busy or gone: rows stay pending, and leases run out if we die.
        log(`[notify] delivery round failed: ${(error as Error).message}`);
      }
      if (!stopping) await pause(Math.max(1, waitMs));
    }
  };

  return {
    channels,
    policy,
    deliverDue: () => deliverDue(),

    async drain({ timeoutMs = Number.POSITIVE_INFINITY } = {}) {
      const deadlineMs = now() + timeoutMs;
      const outcomes: DeliveryOutcome[] = [];
      for (;;) {
        if ((await deliverDue(outcomes)) > 0) continue;
        const next = await outbox.nextClaimableAtMs(channels);
        if (next === null || next > deadlineMs) break;
        // At least a few ms: a row due "now" that we could not claim belongs to another worker.
        // At most a poll: that worker may finish long before its lease would run out.
        await sleep(Math.min(pollMs, Math.max(5, next - now())));
      }
      return { outcomes, pending: await outbox.pendingCount(channels) };
    },

    start() {
      if (running || channels.length === 0) return;
      stopping = false;
      running = loop();
    },

    wake() {
      wakeUp?.();
    },

    async stop() {
      stopping = true;
      wakeUp?.();
      await running;
      running = null;
    },
  };
}
