// PagerDuty Events API v2: trigger and resolve events. The dedup_key names the incident on
// PagerDuty's side: a trigger with a key already open is merged into it, and the resolve with the
// same key closes it, so repeating either has no further effect. The routing key is a secret and
// is not stored with the event: the delivery worker adds it when it sends.

export const PAGERDUTY_EVENTS_URL = 'https://events.pagerduty.com/v2/enqueue';

export type PagerDutySeverity = 'critical' | 'error' | 'warning' | 'info';

export interface PagerDutyTrigger {
  event_action: 'trigger';
  dedup_key: string;
  payload: {
    summary: string;
    source: string;
    severity: PagerDutySeverity;
    timestamp: string;
    component?: string;
    group?: string;
    class?: string;
    custom_details?: Record<string, unknown>;
  };
  client?: string;
  client_url?: string;
}

export interface PagerDutyResolve {
  event_action: 'resolve';
  dedup_key: string;
}

export type PagerDutyEvent = PagerDutyTrigger | PagerDutyResolve;

/** PagerDuty's limits: summary 1024 characters, dedup_key 255. */
export const PAGERDUTY_LIMITS = { summaryChars: 1024, dedupKeyChars: 255 } as const;

export function clipSummary(text: string): string {
  const max = PAGERDUTY_LIMITS.summaryChars;
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** The event as sent: routing_key first, then the stored event. */
export function withRoutingKey(
  event: unknown,
  routingKey: string,
): { routing_key: string } & Record<string, unknown> {
  return { routing_key: routingKey, ...(event as Record<string, unknown>) };
}
