// The drafter that needs no model: the default, and the fallback when an endpoint fails. It
// writes each section of the template from the evidence itself: what stalled and since when, how
// many frames were skipped, what changed just before, which past ticket looks alike. Where the
// evidence holds nothing for a section it says what was looked at and found empty, so a reviewer
// knows what is known; it never writes filler.
import type { RcaEvidence, RcaLogLine } from '../../core/api/rca';
import { renderTemplate, type SectionTexts } from './template';

export interface DraftInput {
  tenant: string;
  evidence: RcaEvidence;
}

const RULE_TEXT: Record<string, string> = {
  'stream-stalled': 'the stream produced no frame',
  'order-parameter-low': 'the order parameter R of the lattice fell below its threshold',
  'latency-above-slo': 'frame latency p95 rose above the tenant’s SLO',
};

/** Changes this close before the open time are named as a likely trigger. */
const JUST_BEFORE_MS = 15 * 60_000;
const MAX_QUOTED_LINES = 12;

/** Text from the evidence on one line: a newline in it cannot start a heading of its own. */
const oneLine = (text: string): string => text.replace(/\s+/g, ' ').trim();
const time = (iso: string): string => iso.replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
const count = (n: number | null, what: string): string =>
  n === null ? `${what}: not recorded` : `${n.toLocaleString('en-US')} ${what}`;

interface Cause {
  cause: string;
  remedy: string;
}

/** Causes the log lines name, in the order they are most telling. */
function causesFromLogs(lines: readonly RcaLogLine[]): Cause[] {
  const causes: Cause[] = [];
  const find = (pattern: RegExp): RcaLogLine | undefined =>
    lines.find((l) => pattern.test(l.message));
  const crc = find(/CRC mismatch|fails its CRC|corrupt/i);
  if (crc) {
    causes.push({
      cause: `Frames of the replayed trace failed their CRC check and were skipped (first logged ${time(crc.at)}: \`${crc.message.slice(0, 200)}\`). A corrupt or truncated trace file stops the stream's frames while the server keeps running.`,
      remedy:
        'Check the trace file named in the log line (size, last write, storage errors); replace it from its source or regenerate it with `npm run trace:generate`, then confirm `/healthz` reports `ok`.',
    });
  }
  const worker = find(/simulator failed|worker error|worker exited/i);
  if (worker) {
    causes.push({
      cause: `The live simulator's worker thread failed (${time(worker.at)}: \`${worker.message.slice(0, 200)}\`), so the live source stopped producing frames.`,
      remedy:
        'Read the worker error in the server log; the stream restarts with the next watcher, or restart the server if the worker keeps failing.',
    });
  }
  const stopped = find(/: stopped \(/);
  if (stopped) {
    causes.push({
      cause: `The tenant's stream was stopped by the server (${time(stopped.at)}: \`${stopped.message.slice(0, 200)}\`).`,
      remedy:
        'Check why the stream stopped (tenant removed or replaced, last watcher gone) and whether the tenant table changed at that time (`npm run admin -- tenant list`).',
    });
  }
  const flood = find(/too_many_messages|sending too fast|protocol error/i);
  if (flood) {
    causes.push({
      cause: `Clients were closed for protocol errors or for sending too fast (${time(flood.at)}: \`${flood.message.slice(0, 200)}\`).`,
      remedy: 'Identify the client from the connection log and fix or throttle it.',
    });
  }
  return causes;
}

function quoteLines(lines: readonly RcaLogLine[]): string {
  if (lines.length === 0) return '';
  // Warnings and errors first, then the newest lines, up to MAX_QUOTED_LINES, shown in time order.
  const ranked = [...lines]
    .map((line, index) => ({ line, index, weight: line.level === 'info' ? 0 : 1 }))
    .sort((a, b) => b.weight - a.weight || b.index - a.index)
    .slice(0, MAX_QUOTED_LINES)
    .sort((a, b) => a.index - b.index);
  // Indented as code: a line's own Markdown (or a fence in it) renders as text.
  return ranked
    .map(
      ({ line }) =>
        `    ${line.at} ${line.level} [${line.subsystem}] ${line.message.replace(/\s+/g, ' ')}`,
    )
    .join('\n');
}

export function builtinDraft(input: DraftInput, note?: string): string {
  const { tenant, evidence } = input;
  const { alert, logs, metrics, changes, similar } = evidence;
  const openedMs = Date.parse(alert.openedAt);
  const what =
    (alert.rule && RULE_TEXT[alert.rule]) ??
    `${alert.source} alert "${oneLine(alert.title)}" fired`;
  const signal = oneLine(alert.signal || alert.summary);
  const recentChanges = changes.filter((c) => openedMs - Date.parse(c.at) <= JUST_BEFORE_MS);
  const logCauses = causesFromLogs(logs.lines);
  const approvedLike = similar.filter((s) => s.approvedCause !== null);
  const sameIncident = similar.filter((s) => s.match === 'same-incident');

  const since =
    alert.rule === 'stream-stalled' && metrics.lastFrameAt
      ? ` The last frame before it was produced at ${time(metrics.lastFrameAt)}.`
      : '';
  const summary = [
    `${alert.severity[0]!.toUpperCase()}${alert.severity.slice(1)} ticket on tenant \`${tenant}\` ${alert.reopened ? 'reopened' : 'opened'} ${time(alert.openedAt)}: ${what}.${since}`,
    signal ? `Reading at detection: ${signal}` : '',
    logCauses[0] ? `Most likely: ${logCauses[0].cause.split('. ')[0]}.` : '',
  ]
    .filter(Boolean)
    .join(' ');

  const sloText =
    metrics.latencyP95MsWorst === null
      ? 'no client reported latency in the window'
      : `worst per-second latency p95 ${metrics.latencyP95MsWorst} ms (mean ${metrics.latencyP95MsMean ?? '–'} ms)${metrics.sloMs !== null ? ` against an SLO of ${metrics.sloMs} ms` : ''}`;
  const impact = [
    `- Window ${time(metrics.from)} to ${time(metrics.to)}: ${count(metrics.framesSent, 'frames sent')}, ${count(metrics.framesSkipped, 'frames skipped for slow clients')}, ${count(metrics.resyncs, 'resyncs')}.`,
    `- Latency: ${sloText}.`,
    metrics.clients === null
      ? '- Clients watching: not recorded for this window (the draft was written after it).'
      : `- Clients watching when drafted: ${metrics.clients}.`,
    metrics.bytesSaved === null
      ? ''
      : `- Bytes saved by the delta protocol in the window: ${metrics.bytesSaved.toLocaleString('en-US')}.`,
    metrics.orderParameterR === null
      ? ''
      : `- Order parameter R when drafted: ${metrics.orderParameterR}.`,
  ]
    .filter(Boolean)
    .join('\n');

  const events: { at: string; text: string }[] = [
    ...changes.map((c) => ({ at: c.at, text: `${c.kind}: ${c.detail}` })),
    ...logs.lines
      .filter((l) => l.level !== 'info' || /stopped|started|CRC|failed|closing/i.test(l.message))
      .slice(-8)
      .map((l) => ({ at: l.at, text: `log [${l.subsystem}] ${l.message.slice(0, 200)}` })),
    ...(metrics.lastFrameAt ? [{ at: metrics.lastFrameAt, text: 'last frame produced' }] : []),
    {
      at: alert.openedAt,
      text: `ticket ${alert.reopened ? 'reopened' : 'opened'} (${alert.source})`,
    },
  ].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const timeline = events.map((e) => `- ${time(e.at)}: ${e.text.replace(/\s+/g, ' ')}`).join('\n');

  const logSummary =
    logs.capture === 'failed'
      ? `The log lines of tenant \`${tenant}\` could not be read.`
      : logs.lines.length === 0
        ? `Tenant \`${tenant}\` logged nothing between ${time(logs.from)} and ${time(logs.to)}.`
        : `${logs.lines.length} log lines of tenant \`${tenant}\` between ${time(logs.from)} and ${time(logs.to)}${logs.capture === 'partial' ? ' (the oldest of the window were no longer held)' : ''}; the most telling:\n\n${quoteLines(logs.lines)}`;
  const evidenceText = [
    `- Alert: ${oneLine(alert.title)} (${alert.severity}, ${alert.source}, fingerprint \`${alert.fingerprint}\`).`,
    `- ${logSummary}`,
    changes.length === 0
      ? '- No restart, tenant setting change or token revocation in the 24 h before.'
      : `- ${changes.length} changes in the 24 h before (see the timeline).`,
    similar.length === 0
      ? `- No earlier ticket of tenant \`${tenant}\` with the same incident key or rule.`
      : `- Alike: ${similar.map((s) => `ticket ${s.id} (${s.match}, opened ${time(s.openedAt)})`).join(', ')}.`,
  ].join('\n');

  const causes: string[] = logCauses.map((c) => c.cause);
  if (recentChanges.length > 0) {
    causes.push(
      `A change shortly before the ticket opened: ${recentChanges.map((c) => `${c.kind} at ${time(c.at)} (${oneLine(c.detail)})`).join('; ')}.`,
    );
  }
  for (const s of approvedLike.slice(0, 2)) {
    causes.push(
      `Ticket ${s.id} (${s.match}) had this approved cause: ${s.approvedCause!.replace(/\s+/g, ' ')}`,
    );
  }
  if (causes.length === 0) {
    causes.push(
      `The evidence names no cause: no fault in the tenant's log lines, no change before it, no alike ticket with an approved RCA. The detector's reading (${signal || 'none'}) is the only fact; ${alert.rule === 'stream-stalled' ? 'a stall without a logged fault points outside the trace and simulator (the host, its disk or CPU)' : 'look at the stream figures above and the host around that time'}.`,
    );
  }

  const factors = [
    metrics.framesSkipped
      ? `- ${metrics.framesSkipped} frames were skipped for clients over their send budget or behind.`
      : '',
    metrics.resyncs ? `- ${metrics.resyncs} resyncs (keyframes after a gap).` : '',
    metrics.latencyP95MsWorst !== null &&
    metrics.sloMs !== null &&
    metrics.latencyP95MsWorst > metrics.sloMs
      ? `- Latency p95 reached ${metrics.latencyP95MsWorst} ms, over the ${metrics.sloMs} ms SLO.`
      : '',
    ...changes
      .filter((c) => !recentChanges.includes(c))
      .map((c) => `- Earlier ${c.kind} at ${time(c.at)}: ${oneLine(c.detail)}.`),
    sameIncident.length > 0
      ? `- The same incident happened ${sameIncident.length} time(s) before (tickets ${sameIncident.map((s) => s.id).join(', ')}).`
      : '',
  ].filter(Boolean);

  const remedies = logCauses.map((c) => `- ${c.remedy}`);
  if (recentChanges.length > 0)
    remedies.push('- Check the change just before it and roll it back if it is the trigger.');
  if (remedies.length === 0) {
    remedies.push(
      `- ${alert.rule === 'stream-stalled' ? 'Confirm frames flow again (`/healthz`, the heatmap) and check the host (disk, CPU, memory) at the open time.' : 'Confirm the signal is back within its bounds and check the stream figures at the open time.'}`,
    );
  }

  const followUps = [
    logs.capture === 'partial'
      ? '- Part of the log window was no longer held: consider fewer log lines per tenant or a quicker draft.'
      : '',
    sameIncident.length > 0
      ? `- Recurring incident: find why it repeats (tickets ${sameIncident.map((s) => s.id).join(', ')}).`
      : '',
    approvedLike.length === 0 && similar.length > 0
      ? '- Alike tickets have no approved RCA yet: approving this one lets later drafts use it.'
      : '',
  ].filter(Boolean);
  if (followUps.length === 0) {
    followUps.push('- None from the evidence: no recurrence, no gap in the captured logs.');
  }

  const sections: SectionTexts = {
    Summary: summary,
    Impact: impact,
    Timeline: timeline,
    Evidence: evidenceText,
    'Probable cause': causes.map((c) => `- ${c}`).join('\n'),
    'Contributing factors':
      factors.length > 0
        ? factors.join('\n')
        : '- None found in the stream figures, changes or earlier tickets.',
    Remediation: remedies.join('\n'),
    'Follow-ups': followUps.join('\n'),
  };
  return renderTemplate(alert.title, sections, note);
}
