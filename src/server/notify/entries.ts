// Outbox rows as the API and the admin CLI show them: without the body, which may quote private
// tickets, but with one line saying what the notification is.
import type { NotificationEntry } from '../../core/api/observer';
import type { OutboxEntry } from './outbox';

const MAX_SUMMARY_CHARS = 200;

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null
    ? (value as Record<string, unknown>)[key]
    : undefined;
}

/** The page's summary, a resolve's key, or a Slack message's fallback text. */
export function notificationSummary(
  entry: Pick<OutboxEntry, 'channel' | 'body' | 'dedupKey'>,
): string {
  let text: unknown;
  if (entry.channel === 'pagerduty') {
    const action = field(entry.body, 'event_action');
    text =
      action === 'trigger'
        ? `trigger: ${String(field(field(entry.body, 'payload'), 'summary') ?? '')}`
        : `${String(action ?? 'event')} ${String(field(entry.body, 'dedup_key') ?? '')}`;
  } else {
    text = field(entry.body, 'text') ?? entry.dedupKey;
  }
  const line = String(text).replace(/\s+/g, ' ').trim();
  return line.length <= MAX_SUMMARY_CHARS ? line : `${line.slice(0, MAX_SUMMARY_CHARS - 1)}…`;
}

export function notificationEntry(entry: OutboxEntry): NotificationEntry {
  return {
    id: entry.id,
    channel: entry.channel,
    dedupKey: entry.dedupKey,
    status: entry.status,
    attempts: entry.attempts,
    createdAt: new Date(entry.createdAtMs).toISOString(),
    summary: notificationSummary(entry),
    lastError: entry.lastError,
  };
}
