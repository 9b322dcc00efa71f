import { afterEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDatabase } from '../storage/database';
import { createOutbox } from './outbox';
import { withRoutingKey } from './pagerduty';
import {
  pagerDutyIncidents,
  startReceiver,
  PAGERDUTY_ACCEPTED,
  type Receiver,
} from '../../testing/webhook-receiver';
import { createDeliveryWorker } from './worker';

const COUNT = 8;
const SENDER = path.join('src', 'testing', 'outbox-crash-sender.ts');

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0)) await fn();
});

/** Starts the sender and resolves once it has committed its notifications. */
function startSender(dir: string, url: string, mode: 'hold' | 'deliver'): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', SENDER, dir, url, String(COUNT), mode],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  cleanup.push(() => child.kill('SIGKILL'));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('enqueued')) resolve(child);
    });
    child.on('exit', (code) => reject(new Error(`sender exited with ${code} before enqueuing`)));
  });
}

async function kill(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

/**
 * What a restarted process does: deliver whatever the outbox still holds. With the production
 * request timeout, not the killed sender's short one: a request answered late on a loaded machine
 * must not be sent again, or the count below would measure the machine, not the outbox.
 */
async function deliverAgain(dir: string, receiver: Receiver) {
  const outbox = createOutbox({ db: openDatabase(dir) });
  cleanup.push(() => outbox.db.close());
  const worker = createDeliveryWorker({
    outbox,
    targets: { pagerduty: { url: receiver.url, prepare: (b) => withRoutingKey(b, 'crash-test') } },
  });
  // Long enough for the killed sender's lease to run out however loaded the machine is.
  await worker.drain({ timeoutMs: 30_000 });
  return outbox;
}

const keysSeen = (receiver: Receiver) =>
  receiver.requests.map((r) => (r.json as { dedup_key: string }).dedup_key);

describe('a sender killed with SIGKILL', () => {
  it('between enqueue and delivery: the next run delivers each notification exactly once', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'phase-notify-crash-'));
    const receiver = await startReceiver([PAGERDUTY_ACCEPTED]);
    cleanup.push(() => receiver.close());
    await kill(await startSender(dir, receiver.url, 'hold'));
    expect(receiver.requests).toHaveLength(0);

    const outbox = await deliverAgain(dir, receiver);
    const keys = keysSeen(receiver);
    expect(keys).toHaveLength(COUNT);
    expect(new Set(keys).size).toBe(COUNT);
    expect(outbox.list({ status: 'sent' })).toHaveLength(COUNT);
  });

  it('while a request is in flight: nothing is lost, only that one may arrive twice, and PagerDuty opens each incident once', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'phase-notify-crash-'));
    const receiver = await startReceiver([{ ...PAGERDUTY_ACCEPTED, delayMs: 300 }]);
    cleanup.push(() => receiver.close());
    const child = await startSender(dir, receiver.url, 'deliver');
    // Two answered, the third arrived and is held unanswered: kill the sender now.
    await receiver.waitFor(3);
    await kill(child);
    const beforeRestart = receiver.requests.length;

    const outbox = await deliverAgain(dir, receiver);
    const keys = keysSeen(receiver);
    const expected = Array.from({ length: COUNT }, (_, i) => `crash-test/incident-${i}`);
    // At least once: every notification reached the receiver...
    expect([...new Set(keys)].sort()).toEqual([...expected].sort());
    // ...and the one in flight at the kill (the worker sent one at a time) arrived twice: the
    // receiver had it, the sender died before recording the answer.
    expect(beforeRestart).toBe(3);
    const twice = expected.filter((k) => keys.filter((s) => s === k).length > 1);
    expect(twice).toEqual(['crash-test/incident-2']);
    expect(keys).toHaveLength(COUNT + 1);
    expect(outbox.get('pagerduty', 'crash-test/incident-2/trigger')!.attempts).toBe(2);
    // The receiver keys on dedup_key as PagerDuty does: one incident per notification.
    const pd = pagerDutyIncidents(receiver.requests);
    expect(pd.incidents.size).toBe(COUNT);
    expect(outbox.list({ status: 'sent' })).toHaveLength(COUNT);
    expect(outbox.list({ status: 'pending' })).toHaveLength(0);
  });
});
