// Counters of notification delivery, per channel, on a registry the caller chooses (the server's
// for /metrics; a private one in a CLI).
import { Counter, type Registry } from 'prom-client';
import { CHANNELS, type Channel } from './outbox';

export interface NotifyMetrics {
  sent(channel: Channel): void;
  /** Given up on: refused by the receiver, or out of attempts. */
  failed(channel: Channel): void;
  /** An attempt failed and another is scheduled. */
  retried(channel: Channel): void;
}

export function registerNotifyMetrics(registry: Registry): NotifyMetrics {
  const counter = (name: string, help: string) => {
    const c = new Counter({ name, help, labelNames: ['channel'], registers: [registry] });
    // Every channel from the start, so a rate() over a fresh process is 0 rather than absent.
    for (const channel of CHANNELS) c.inc({ channel }, 0);
    return c;
  };
  const sent = counter('notifications_sent_total', 'Notifications the receiver accepted (2xx)');
  const failed = counter(
    'notifications_failed_total',
    'Notifications given up on: refused (4xx other than 429) or out of attempts',
  );
  const retried = counter(
    'notifications_retried_total',
    'Delivery attempts that failed (429, 5xx, no answer) and were scheduled again',
  );
  return {
    sent: (channel) => sent.inc({ channel }),
    failed: (channel) => failed.inc({ channel }),
    retried: (channel) => retried.inc({ channel }),
  };
}
