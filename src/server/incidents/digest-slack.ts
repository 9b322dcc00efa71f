// The digest as a Slack incoming-webhook message: a header, the counts and MTTR as fields, the
// worst offenders and the still-open tickets as lists, and a footer with the window and the
// digest's dedup key (so a duplicate post, possible after a crash, is recognisable). Ticket text
// comes from alerts and people, so all of it is escaped.
import type { ResolutionStats } from '../../core/api/tickets';
import {
  clipEscaped,
  mrkdwn,
  slackEscape,
  SLACK_LIMITS,
  type SlackBlock,
  type SlackMessage,
} from '../notify/slack';
import { digestDedupKey, formatDuration, type Digest } from './digest';

export interface DigestSlackOptions {
  /** The console's public address: ticket ids become links to them. */
  consoleUrl?: string;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function mttrText(stats: ResolutionStats): string {
  if (stats.count === 0 || stats.meanSeconds === null) return 'none resolved';
  return `${formatDuration(stats.meanSeconds)} over ${plural(stats.count, 'ticket')}`;
}

function utc(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')}`;
}

export function digestSlackMessage(digest: Digest, options: DigestSlackOptions = {}): SlackMessage {
  const scope = digest.tenant === null ? 'all tenants' : `tenant ${digest.tenant}`;
  const base = options.consoleUrl?.replace(/\/+$/, '');
  const ticketRef = (id: number): string =>
    base === undefined ? `#${id}` : `<${slackEscape(`${base}/?view=tickets&ticket=${id}`)}|#${id}>`;

  const blocks: SlackBlock[] = [
    {
      type: 'header',
      text: {
        type: 'plain_text',
        text: `Kaizen digest: ${scope}, last ${digest.window}`.slice(0, SLACK_LIMITS.headerChars),
      },
    },
    {
      type: 'section',
      fields: [
        mrkdwn(`*Opened*\n${digest.opened}`),
        mrkdwn(`*Resolved*\n${digest.resolved}`),
        mrkdwn(`*Still open*\n${digest.stillOpen}`),
        mrkdwn(`*MTTR*\n${mttrText(digest.mttr.all)}`),
      ],
    },
  ];

  if (digest.mttr.severities.length > 0) {
    const lines = digest.mttr.severities.map(
      ({ severity, stats }) =>
        `• ${severity}: ${formatDuration(stats.meanSeconds!)} mean, ` +
        `${formatDuration(stats.medianSeconds!)} median, ${plural(stats.count, 'ticket')}`,
    );
    blocks.push({ type: 'section', text: mrkdwn(`*MTTR by severity*\n${lines.join('\n')}`) });
  }

  if (digest.offenders.length > 0) {
    const lines = digest.offenders.map((o, i) => {
      const reopened = o.reopens > 0 ? `, reopened ${plural(o.reopens, 'time')}` : '';
      return (
        `${i + 1}. ${slackEscape(o.title)} (${slackEscape(o.tenantId)}, ${o.severity}): ` +
        `${plural(o.tickets, 'ticket')}${reopened}, open ${formatDuration(o.openMs / 1000)}, ` +
        `latest ${ticketRef(o.latestTicketId)}`
      );
    });
    blocks.push({ type: 'section', text: mrkdwn(`*Worst offenders*\n${lines.join('\n')}`) });
  }

  if (digest.open.length > 0) {
    const lines = digest.open.map(
      (t) =>
        `• ${ticketRef(t.id)} ${t.severity} · ${slackEscape(t.tenantId)} · ${slackEscape(t.title)} · ` +
        `open ${formatDuration((digest.toMs - t.openedAtMs) / 1000)}` +
        (t.status === 'acknowledged' ? ' · acknowledged' : ''),
    );
    const more = digest.stillOpen - digest.open.length;
    if (more > 0) lines.push(`…and ${more} more`);
    blocks.push({ type: 'section', text: mrkdwn(`*Still open*\n${lines.join('\n')}`) });
  }

  blocks.push({
    type: 'context',
    elements: [
      mrkdwn(
        `${utc(digest.fromMs)} to ${utc(digest.toMs)} UTC · digest ${slackEscape(digestDedupKey(digest))}`,
      ),
    ],
  });

  const worst = digest.offenders[0];
  const text =
    `Kaizen digest (${scope}, last ${digest.window}): ${digest.opened} opened, ` +
    `${digest.resolved} resolved, ${digest.stillOpen} still open; MTTR ${mttrText(digest.mttr.all)}` +
    (worst ? `. Worst: ${slackEscape(worst.title)} (${plural(worst.tickets, 'ticket')})` : '');
  return { text: clipEscaped(text, SLACK_LIMITS.textChars), blocks };
}
