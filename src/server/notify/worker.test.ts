import { afterEach, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { openDatabase } from '../storage/database';
import { targetsFromConfig, type Targets } from './config';
import { registerNotifyMetrics } from './metrics';
import { createOutbox, type Outbox } from './outbox';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry';
import {
  closedPortUrl,
  PAGERDUTY_ACCEPTED,
  SLACK_OK,
  startReceiver,
  type Receiver,
  type ScriptedResponse,
} from '../../testing/webhook-receiver';
import { createDeliveryWorker, type WorkerOptions } from './worker';

// Short back-off so retries take milliseconds; deterministic jitter.
const FAST: Partial<RetryPolicy> = {
  maxAttempts: 4,
  baseDelayMs: 10,
  maxDelayMs: 40,
  requestTimeoutMs: 2000,
};

const receivers: Receiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

async function receiver(script: ScriptedResponse[]): Promise<Receiver> {
  const r = await startReceiver(script);
  receivers.push(r);
  return r;
}

function setup(targets: Targets, options: Partial<WorkerOptions> = {}) {
  const outbox: Outbox = createOutbox({ db: openDatabase(':memory:') });
  const registry = new Registry();
  const metrics = registerNotifyMetrics(registry);
  const lines: string[] = [];
  const worker = createDeliveryWorker({
    outbox,
    targets,
    policy: FAST,
    metrics,
    random: () => 0.5,
    log: (line) => lines.push(line),
    ...options,
  });
  const counter = async (name: string, channel: string) => {
    const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name)!;
    return metric.values.find((v) => v.labels.channel === channel)?.value;
  };
  return { outbox, worker, registry, counter, lines };
}

const slackTo = (url: string) =>
  targetsFromConfig({
    slack: { webhookUrl: url },
    pagerduty: null,
    retry: DEFAULT_RETRY_POLICY,
    file: null,
  });

describe('the delivery worker', () => {
  it('posts the stored Slack message as it is and marks it sent', async () => {
    const slack = await receiver([SLACK_OK]);
    const { outbox, worker, counter } = setup(slackTo(slack.url));
    const message = { text: 'a &amp; b', blocks: [{ type: 'divider' }] };
    outbox.enqueue({ channel: 'slack', dedupKey: 'digest-1', body: message });
    const report = await worker.drain();
    expect(slack.requests).toHaveLength(1);
    expect(slack.requests[0]!.method).toBe('POST');
    expect(slack.requests[0]!.headers['content-type']).toBe('application/json');
    expect(slack.requests[0]!.json).toEqual(message);
    expect(report.outcomes.map((o) => [o.result, o.httpStatus])).toEqual([['sent', 200]]);
    expect(report.pending).toBe(0);
    expect(outbox.get('slack', 'digest-1')).toMatchObject({ status: 'sent', attempts: 1 });
    expect(await counter('notifications_sent_total', 'slack')).toBe(1);
    expect(await counter('notifications_sent_total', 'pagerduty')).toBe(0);
  });

  it('adds the PagerDuty routing key at delivery; the outbox never holds it', async () => {
    const pd = await receiver([PAGERDUTY_ACCEPTED]);
    const { outbox, worker } = setup(
      targetsFromConfig({
        slack: null,
        pagerduty: { routingKey: 'R0UT1NGKEY', eventsUrl: pd.url },
        retry: DEFAULT_RETRY_POLICY,
        file: null,
      }),
    );
    const event = { event_action: 'resolve', dedup_key: 'inc-1' };
    outbox.enqueue({ channel: 'pagerduty', dedupKey: 'inc-1/resolve', body: event });
    await worker.drain();
    expect(pd.requests[0]!.text).toBe(
      '{"routing_key":"R0UT1NGKEY","event_action":"resolve","dedup_key":"inc-1"}',
    );
    const stored = outbox.db.prepare('SELECT body FROM notify_outbox').pluck().get() as string;
    expect(stored).not.toContain('R0UT1NGKEY');
  });

  it('retries 5xx with growing back-off until the receiver accepts', async () => {
    const slack = await receiver([
      { status: 500, body: 'rollup_error' },
      { status: 503, body: 'unavailable' },
      SLACK_OK,
    ]);
    const { outbox, worker, counter } = setup(slackTo(slack.url));
    outbox.enqueue({ channel: 'slack', dedupKey: 'k', body: { text: 'x' } });
    const report = await worker.drain();
    expect(report.outcomes.map((o) => o.result)).toEqual(['retry', 'retry', 'sent']);
    expect(report.outcomes[0]!.error).toBe('HTTP 500: rollup_error');
    const [a, b, c] = slack.requests.map((r) => r.atMs);
    // Equal jitter at 0.5: 7.5 ms after the first failure, 15 ms after the second.
    expect(b! - a!).toBeGreaterThanOrEqual(7);
    expect(c! - b!).toBeGreaterThanOrEqual(14);
    expect(outbox.get('slack', 'k')).toMatchObject({ status: 'sent', attempts: 3 });
    expect(await counter('notifications_retried_total', 'slack')).toBe(2);
    expect(await counter('notifications_sent_total', 'slack')).toBe(1);
    expect(await counter('notifications_failed_total', 'slack')).toBe(0);
  });

  it('honours Retry-After on 429', async () => {
    const slack = await receiver([
      { status: 429, body: 'rate_limited', headers: { 'retry-after': '1' } },
      SLACK_OK,
    ]);
    const { outbox, worker } = setup(slackTo(slack.url));
    outbox.enqueue({ channel: 'slack', dedupKey: 'k', body: {} });
    const report = await worker.drain();
    expect(report.outcomes.map((o) => [o.result, o.httpStatus])).toEqual([
      ['retry', 429],
      ['sent', 200],
    ]);
    const [a, b] = slack.requests.map((r) => r.atMs);
    expect(b! - a!).toBeGreaterThanOrEqual(990);
  });

  it('does not retry a 400: fails at once with the response body in the message', async () => {
    const slack = await receiver([{ status: 400, body: 'invalid_payload' }]);
    const { outbox, worker, counter, lines } = setup(slackTo(slack.url));
    outbox.enqueue({ channel: 'slack', dedupKey: 'k', body: {} });
    const report = await worker.drain();
    expect(slack.requests).toHaveLength(1);
    expect(report.outcomes[0]).toMatchObject({
      result: 'failed',
      httpStatus: 400,
      error: 'refused, not retried: HTTP 400: invalid_payload',
    });
    expect(outbox.get('slack', 'k')).toMatchObject({ status: 'failed', lastHttpStatus: 400 });
    expect(lines).toEqual(['[notify] slack k: refused, not retried: HTTP 400: invalid_payload']);
    expect(await counter('notifications_failed_total', 'slack')).toBe(1);
    expect(await counter('notifications_retried_total', 'slack')).toBe(0);
  });

  it('retries a receiver that does not answer, then gives up after maxAttempts', async () => {
    const { outbox, worker, counter } = setup(slackTo(await closedPortUrl()));
    outbox.enqueue({ channel: 'slack', dedupKey: 'k', body: {} });
    const report = await worker.drain();
    expect(report.outcomes.map((o) => o.result)).toEqual(['retry', 'retry', 'retry', 'failed']);
    expect(report.outcomes[3]!.error).toMatch(/^gave up after 4 attempts: connect ECONNREFUSED/);
    expect(outbox.get('slack', 'k')!.status).toBe('failed');
    expect(await counter('notifications_retried_total', 'slack')).toBe(3);
    expect(await counter('notifications_failed_total', 'slack')).toBe(1);
  });

  it('counts a receiver slower than the request timeout as a failed attempt', async () => {
    const slack = await receiver([{ ...SLACK_OK, delayMs: 1000 }, SLACK_OK]);
    const { outbox, worker } = setup(slackTo(slack.url), {
      policy: { ...FAST, requestTimeoutMs: 150 },
    });
    outbox.enqueue({ channel: 'slack', dedupKey: 'k', body: {} });
    const report = await worker.drain();
    expect(report.outcomes.map((o) => [o.result, o.error])).toEqual([
      ['retry', 'no answer within 150 ms'],
      ['sent', null],
    ]);
  });

  it('delivers a PagerDuty resolve only after its trigger, even when the trigger is retried', async () => {
    const pd = await receiver([{ status: 500 }, PAGERDUTY_ACCEPTED]);
    const { outbox, worker } = setup(
      targetsFromConfig({
        slack: null,
        pagerduty: { routingKey: 'rk', eventsUrl: pd.url },
        retry: DEFAULT_RETRY_POLICY,
        file: null,
      }),
    );
    const trigger = { event_action: 'trigger', dedup_key: 'i' };
    const resolve = { event_action: 'resolve', dedup_key: 'i' };
    outbox.enqueue({ channel: 'pagerduty', dedupKey: 'i/trigger', groupKey: 'i', body: trigger });
    outbox.enqueue({ channel: 'pagerduty', dedupKey: 'i/resolve', groupKey: 'i', body: resolve });
    await worker.drain();
    expect(pd.requests.map((r) => (r.json as { event_action: string }).event_action)).toEqual([
      'trigger',
      'trigger',
      'resolve',
    ]);
  });

  it('holds at most `concurrency` deliveries in flight', async () => {
    const slack = await receiver([{ ...SLACK_OK, delayMs: 80 }]);
    const { outbox, worker } = setup(slackTo(slack.url), { concurrency: 2 });
    for (let i = 0; i < 6; i++)
      outbox.enqueue({ channel: 'slack', dedupKey: `k${i}`, body: { i } });
    const report = await worker.drain();
    expect(report.outcomes.filter((o) => o.result === 'sent')).toHaveLength(6);
    expect(slack.maxInFlight()).toBe(2);
  });

  it('leaves channels it has no target for pending', async () => {
    const slack = await receiver([SLACK_OK]);
    const { outbox, worker } = setup(slackTo(slack.url));
    outbox.enqueue({ channel: 'pagerduty', dedupKey: 'p', body: {} });
    outbox.enqueue({ channel: 'slack', dedupKey: 's', body: {} });
    const report = await worker.drain();
    expect(report.outcomes.map((o) => o.entry.dedupKey)).toEqual(['s']);
    expect(outbox.get('pagerduty', 'p')!.status).toBe('pending');
  });

  it('stops draining at the timeout and reports what is still pending', async () => {
    const slack = await receiver([{ status: 429, headers: { 'retry-after': '60' } }]);
    const { outbox, worker } = setup(slackTo(slack.url));
    outbox.enqueue({ channel: 'slack', dedupKey: 'k', body: {} });
    const started = Date.now();
    const report = await worker.drain({ timeoutMs: 200 });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(report.pending).toBe(1);
    expect(outbox.get('slack', 'k')!.nextAttemptAtMs).toBeGreaterThanOrEqual(started + 59_000);
  });

  it('started, delivers what is enqueued later, when woken, until stopped', async () => {
    const slack = await receiver([SLACK_OK]);
    const { outbox, worker } = setup(slackTo(slack.url), { pollMs: 60_000 });
    worker.start();
    outbox.enqueue({ channel: 'slack', dedupKey: 'late', body: { n: 1 } });
    worker.wake();
    await slack.waitFor(1, 5000);
    await worker.stop();
    await expect.poll(() => outbox.get('slack', 'late')!.status).toBe('sent');
  });

  it('registers its counters on the given registry in Prometheus text', async () => {
    const registry = new Registry();
    registerNotifyMetrics(registry).sent('slack');
    const text = await registry.metrics();
    expect(text).toContain('# TYPE notifications_sent_total counter');
    expect(text).toContain('notifications_sent_total{channel="slack"} 1');
    expect(text).toContain('notifications_failed_total{channel="pagerduty"} 0');
    expect(text).toContain('notifications_retried_total{channel="slack"} 0');
  });
});
