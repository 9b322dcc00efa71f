// A cap on how fast tickets may be opened for one tenant, by Alertmanager or by hand: a token
// bucket per tenant. A misconfigured rule, a looping Alertmanager or a leaked credential then adds
// at most `capacity` tickets at once and `refillPerMinute` a minute after that, instead of
// thousands. Deduplicated and reopened incidents cost nothing (they add no ticket), and neither do
// the detector's tickets (one per rule and tenant at most).
import { MAX_ALERTS_PER_REQUEST } from './schemas';
import type { FilingResult, TicketFiling, TicketState } from '../state/tickets';
import type { TicketStore } from './store';

export interface TicketBurstLimits {
  /** New tickets a tenant may open at once. */
  capacity: number;
  /** Tickets the allowance grows by a minute, back up to `capacity`. */
  refillPerMinute: number;
}

/**
 * As many at once as one Alertmanager request may carry (MAX_ALERTS_PER_REQUEST), so that a
 * request, all or nothing, always fits an allowance that has filled up; then 100 a minute.
 */
export const DEFAULT_TICKET_BURST: TicketBurstLimits = {
  capacity: MAX_ALERTS_PER_REQUEST,
  refillPerMinute: 100,
};

/** Over a tenant's allowance: the request stored nothing, and may try again after `retryAfterS`. */
export class TicketBurstError extends Error {
  constructor(
    readonly tenantId: string,
    readonly retryAfterS: number,
  ) {
    super(
      `tenant "${tenantId}" is opening tickets faster than the console accepts; nothing of this ` +
        `request was stored: try again in ${retryAfterS} s`,
    );
    this.name = 'TicketBurstError';
  }
}

export interface TicketBurst {
  /**
   * Runs `work` in one store transaction; `opened(tenant)` counts a ticket it opened. Past a
   * tenant's allowance the whole of `work` rolls back and TicketBurstError is thrown; otherwise
   * the tickets opened are taken from the allowances once it has committed.
   */
  run<T>(store: TicketStore, work: (opened: (tenantId: string) => void) => T): T;
  /** The same for a batch of filings on either backend (TicketState.file). */
  file(state: TicketState, filings: readonly TicketFiling[]): Promise<FilingResult[]>;
}

export function createTicketBurst(limits: TicketBurstLimits, now: () => number): TicketBurst {
  const perMs = limits.refillPerMinute / 60_000;
  const buckets = new Map<string, { tokens: number; atMs: number }>();

  const refilled = (tenantId: string): { tokens: number; atMs: number } => {
    const nowMs = now();
    const bucket = buckets.get(tenantId) ?? { tokens: limits.capacity, atMs: nowMs };
    bucket.tokens = Math.min(limits.capacity, bucket.tokens + (nowMs - bucket.atMs) * perMs);
    bucket.atMs = nowMs;
    buckets.set(tenantId, bucket);
    return bucket;
  };

  /** Counts the tickets one request opens, refusing the one past its tenant's allowance. */
  const allowance = () => {
    const counts = new Map<string, number>();
    return {
      opened(tenantId: string): void {
        const count = (counts.get(tenantId) ?? 0) + 1;
        const bucket = refilled(tenantId);
        if (count > Math.floor(bucket.tokens)) {
          const waitMs = perMs > 0 ? (count - bucket.tokens) / perMs : 60_000;
          throw new TicketBurstError(tenantId, Math.max(1, Math.ceil(waitMs / 1000)));
        }
        counts.set(tenantId, count);
      },
      /** Once committed: the tickets opened are taken from the allowances. */
      spend(): void {
        for (const [tenantId, count] of counts) refilled(tenantId).tokens -= count;
      },
    };
  };

  return {
    run(store, work) {
      const request = allowance();
      const result = store.transaction(() => work((tenantId) => request.opened(tenantId)));
      request.spend();
      return result;
    },
    async file(state, filings) {
      const request = allowance();
      const results = await state.file(filings, (tenantId) => request.opened(tenantId));
      request.spend();
      return results;
    },
  };
}
