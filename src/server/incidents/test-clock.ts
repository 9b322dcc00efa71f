// Virtual time for Kaizen tests: the store, the detector and the MTTR figures read this clock.
import { openDatabase } from '../storage/database';
import { createKaizen, type Kaizen, type KaizenOptions } from './kaizen';
import type { OpenTicketInput } from './store';

export const T0 = Date.parse('2026-03-01T12:00:00Z');

/** The detector's stall ticket for the demo tenant, the tests' usual ticket. */
export function stallTicket(overrides: Partial<OpenTicketInput> = {}): OpenTicketInput {
  return {
    tenantId: 'demo',
    visibility: 'public',
    title: 'Stream demo stalled',
    severity: 'critical',
    source: 'detector',
    fingerprint: 'detector:stream-stalled:demo',
    actor: 'detector',
    ...overrides,
  };
}

export interface VirtualClock {
  now: () => number;
  advance(ms: number): number;
  set(ms: number): void;
}

export function virtualClock(startMs = T0): VirtualClock {
  let nowMs = startMs;
  return {
    now: () => nowMs,
    advance(ms) {
      nowMs += ms;
      return nowMs;
    },
    set(ms) {
      nowMs = ms;
    },
  };
}

/** A Kaizen over a private in-memory database on a virtual clock. */
export function testKaizen(
  options: Omit<KaizenOptions, 'db' | 'now'> = {},
): Kaizen & { clock: VirtualClock } {
  const clock = virtualClock();
  const kaizen = createKaizen({ db: openDatabase(':memory:'), now: clock.now, ...options });
  return Object.assign(kaizen, { clock });
}
