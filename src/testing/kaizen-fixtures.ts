// Kaizen for tests: a private in-memory database on virtual time (the store, the detector and the
// MTTR figures read its clock), and the ticket most tests open.
import { createKaizen, type Kaizen, type KaizenOptions } from '../server/incidents/kaizen';
import type { OpenTicketInput } from '../server/incidents/store';
import { openDatabase } from '../server/storage/database';
import { virtualClock, type VirtualClock } from './virtual-clock';

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

/** A Kaizen over a private in-memory database on a virtual clock. */
export function testKaizen(
  options: Omit<KaizenOptions, 'db' | 'now'> = {},
): Kaizen & { clock: VirtualClock } {
  const clock = virtualClock();
  const kaizen = createKaizen({ db: openDatabase(':memory:'), now: clock.now, ...options });
  return Object.assign(kaizen, { clock });
}
