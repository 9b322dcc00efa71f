// A sender for the outbox's crash test (`node --import tsx outbox-crash-sender.ts DIR URL COUNT
// MODE`): enqueues COUNT PagerDuty triggers in DIR's outbox, prints "enqueued", then either holds
// (MODE hold: to be killed before delivering anything) or delivers one at a time (MODE deliver: to
// be killed while a request is in flight).
import { createOutbox } from '../server/notify/outbox';
import { withRoutingKey } from '../server/notify/pagerduty';
import { createDeliveryWorker } from '../server/notify/worker';
import { openDatabase } from '../server/storage/database';

// Short, so that the restarted process may reclaim the killed one's claim within seconds, but
// several times the receiver's 300 ms answer, so that no request of the sender times out and goes
// again before the kill on a loaded machine.
export const CRASH_TEST_LEASE_MS = 4000;
export const CRASH_TEST_TIMEOUT_MS = 3000;

export function crashTestEvent(i: number) {
  return {
    event_action: 'trigger',
    dedup_key: `crash-test/incident-${i}`,
    payload: { summary: `incident ${i}`, source: 'crash-test', severity: 'critical' },
  };
}

async function main(): Promise<void> {
  const [dataDir, url, countText, mode] = process.argv.slice(2);
  const outbox = createOutbox({ db: openDatabase(dataDir!) });
  for (let i = 0; i < Number(countText); i++) {
    const event = crashTestEvent(i);
    outbox.enqueue({
      channel: 'pagerduty',
      dedupKey: `${event.dedup_key}/trigger`,
      groupKey: event.dedup_key,
      body: event,
    });
  }
  process.stdout.write('enqueued\n');
  if (mode === 'hold') {
    setInterval(() => {}, 60_000);
    return;
  }
  const worker = createDeliveryWorker({
    outbox,
    targets: { pagerduty: { url: url!, prepare: (body) => withRoutingKey(body, 'crash-test') } },
    concurrency: 1,
    leaseMs: CRASH_TEST_LEASE_MS,
    policy: { requestTimeoutMs: CRASH_TEST_TIMEOUT_MS },
  });
  await worker.drain();
  process.stdout.write('drained\n');
}

if (process.argv[1]?.endsWith('outbox-crash-sender.ts')) void main();
