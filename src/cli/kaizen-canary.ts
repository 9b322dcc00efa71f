// `npm run kaizen -- simulate-canary`: the go-live check of the paging path. A canary stream
// degrades (stops sending frames) on a virtual clock that ends now, through the production
// detector, ticket store and pager: the stall opens a ticket, the ticket still open at the
// --page-after mark pages PagerDuty through the outbox, the canary recovers, the ticket resolves
// and so does the page. Hours pass in a second or two; the PagerDuty events then go out in real
// time. It prints the timeline in simulated time and checks every step; exit 1 if one is missing.
import { runCanary } from '../server/incidents/canary';
import { formatDuration } from '../server/incidents/digest';
import { createKaizen, kaizenConfigFromEnv } from '../server/incidents/kaizen';
import { createPager, type PageEvent } from '../server/incidents/pager';
import { isTenantId } from '../core/tenant-id';
import type { TicketRecord } from '../server/incidents/types';
import { consoleUrlFromEnv, targetsFromConfig } from '../server/notify/config';
import { createOutbox, type OutboxEntry } from '../server/notify/outbox';
import { observerEnabled } from '../server/notify/observer';
import { createDeliveryWorker, type DeliveryOutcome } from '../server/notify/worker';
import { openDatabase, type Db } from '../server/storage/database';
import {
  CommandError,
  DELIVERY_TIMEOUT_MS,
  describeOutcome,
  notifyConfigFor,
  parseDuration,
  registryVisibility,
  UsageError,
  type CommandContext,
} from './kaizen-common';

export interface CanaryArgs {
  duration?: string;
  pageAfter?: string;
  tenant?: string;
  dryRun: boolean;
}

const MIN = 60_000;
/** Simulated at most; a day runs in a few seconds. */
const MAX_DURATION_MS = 24 * 3_600_000;

interface TimelineEntry {
  atMs: number;
  /** At the same time, a ticket's change comes before what followed from it. */
  rank: number;
  text: string;
}

interface Check {
  ok: boolean;
  text: string;
}

/** `T+2:00:02.000`: hours, minutes, seconds and ms since the start of the simulation. */
function sinceStart(ms: number): string {
  const total = Math.round(ms);
  const h = Math.floor(total / 3_600_000);
  const m = Math.floor((total % 3_600_000) / 60_000);
  const s = Math.floor((total % 60_000) / 1000);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `T+${h}:${pad(m)}:${pad(s)}.${pad(total % 1000, 3)}`;
}

function parse(args: CanaryArgs) {
  const tenantId = args.tenant ?? 'canary';
  if (!isTenantId(tenantId)) {
    throw new UsageError(`--tenant "${tenantId.slice(0, 70)}" is not a tenant id (a-z 0-9 _ -)`);
  }
  const durationMs = parseDuration('duration', args.duration ?? '3h');
  const pageAfterMs = parseDuration('page-after', args.pageAfter ?? '2h');
  if (durationMs > MAX_DURATION_MS) throw new UsageError('--duration is at most 24h');
  if (pageAfterMs + MIN > durationMs) {
    throw new UsageError(
      `--page-after (${args.pageAfter ?? '2h'}) must be at least 1m shorter than --duration ` +
        `(${args.duration ?? '3h'}), to leave time for the page and the recovery`,
    );
  }
  return { tenantId, durationMs, pageAfterMs };
}

export async function canaryCommand(ctx: CommandContext, args: CanaryArgs): Promise<void> {
  const { tenantId, durationMs, pageAfterMs } = parse(args);
  const config = args.dryRun
    ? null
    : notifyConfigFor(ctx, 'pagerduty', '--dry-run runs without one and sends nothing');
  const consoleUrl = consoleUrlFromEnv(ctx.env);
  const realStartMs = ctx.now();

  let db: Db | undefined;
  try {
    // A dry run keeps nothing: its tickets and pages must not reach the real outbox.
    db = openDatabase(args.dryRun ? ':memory:' : ctx.dataDir);
    const startMs = realStartMs - durationMs;
    let nowMs = startMs;
    const kaizen = createKaizen({
      db,
      now: () => nowMs,
      // The server's rules (KAIZEN_RULES, KAIZEN_REOPEN_WINDOW): the path production takes.
      config: kaizenConfigFromEnv(ctx.env, { defaultTenant: tenantId }),
      visibilityOf: registryVisibility(db),
    });
    const { store } = kaizen;

    const outbox = createOutbox({ db });
    // Observer mode would hold the canary's page, and the canary exists to see one delivered.
    if (!args.dryRun && observerEnabled(db)) {
      throw new CommandError(
        'observer mode is on, so the page would be held, not sent: run with --dry-run, or ' +
          'switch it off first ("npm run admin -- observer off")',
      );
    }
    const pager = createPager({
      store,
      outbox,
      pageAfterMs,
      tenant: tenantId,
      consoleUrl,
    });

    const timeline: TimelineEntry[] = [];
    const note = (atMs: number, text: string, rank = 1) => timeline.push({ atMs, rank, text });
    const tickets = new Map<number, TicketRecord>();
    // Heard once the simulation has committed, so times come from the tickets, not the clock.
    store.onChange(({ kind, ticket }) => {
      if (ticket.tenantId !== tenantId) return;
      tickets.set(ticket.id, ticket);
      const rule = ticket.fingerprint.split(':')[1] ?? ticket.fingerprint;
      if (kind === 'opened') {
        note(
          ticket.openedAtMs,
          `alert ${rule} fired: ticket ${ticket.id} opened (${ticket.severity}): ${ticket.title}`,
          0,
        );
      } else if (kind === 'resolved') {
        const took = formatDuration((ticket.resolvedAtMs! - ticket.openedAtMs) / 1000);
        note(
          ticket.resolvedAtMs!,
          `ticket ${ticket.id} resolved (${ticket.resolvedBy}) after ${took}`,
          0,
        );
      }
    });
    const pages: PageEvent[] = [];

    // Degraded from the start, recovered halfway between the page and the end.
    const recoverAtMs = pageAfterMs + Math.floor((durationMs - pageAfterMs) / 2 / 1000) * 1000;
    let degradedAtMs: number | null = null;
    let recoveredAtMs: number | null = null;
    // One transaction: a server on the same data directory never sees the canary's ticket open
    // (its pager would page it too), and a canary killed halfway leaves nothing behind.
    store.transaction(() => {
      // Tickets of this tenant in the simulated window would be reopened, not opened.
      const since = startMs - kaizen.config.reopenWindowMs;
      const overlapping =
        store.list({ tenant: tenantId, openedSinceMs: since }, { limit: 1 }).total +
        store.list({ tenant: tenantId, resolvedSinceMs: since }, { limit: 1 }).total +
        store.list({ tenant: tenantId, statuses: ['open', 'acknowledged'] }, { limit: 1 }).total;
      if (overlapping > 0) {
        throw new CommandError(
          `tenant "${tenantId}" has tickets in the last ${formatDuration((realStartMs - since) / 1000)}, ` +
            `the window this canary simulates; use another --tenant (like ${tenantId}-2) or a fresh --data`,
        );
      }
      runCanary(kaizen, (ms) => (nowMs = ms), {
        tenantId,
        durationMs,
        stalledAt: (offsetMs) => {
          const stalled = offsetMs < recoverAtMs;
          if (stalled && degradedAtMs === null) {
            degradedAtMs = startMs + offsetMs;
            note(degradedAtMs, `canary degraded: stream ${tenantId} stops sending frames`);
          }
          if (!stalled && degradedAtMs !== null && recoveredAtMs === null) {
            recoveredAtMs = startMs + offsetMs;
            note(recoveredAtMs, 'canary recovered: frames resume');
          }
          return stalled;
        },
        onEvaluate: (atMs) => {
          for (const event of pager.evaluate(atMs)) {
            pages.push(event);
            note(
              atMs,
              event.action === 'trigger'
                ? `ticket ${event.ticketId} open ${formatDuration(event.openForMs! / 1000)} without acknowledgement: ` +
                    `PagerDuty trigger ${event.queued} (dedup_key ${event.dedupKey})`
                : `PagerDuty resolve ${event.queued} (dedup_key ${event.dedupKey})`,
            );
          }
        },
      });
    });
    note(startMs + durationMs, 'canary finished');

    const out = ctx.io.out;
    out(
      `simulate-canary: tenant ${tenantId}, ${formatDuration(durationMs / 1000)} of simulated time ` +
        `(${new Date(startMs).toISOString()} to ${new Date(startMs + durationMs).toISOString()}), ` +
        `paging after ${formatDuration(pageAfterMs / 1000)}`,
    );
    timeline.sort((a, b) => a.atMs - b.atMs || a.rank - b.rank);
    for (const e of timeline) {
      out(
        `  ${sinceStart(e.atMs - startMs).padEnd(14)} ${new Date(e.atMs).toISOString()}  ${e.text}`,
      );
    }

    const events = pages
      .map((p) => outbox.get('pagerduty', `${p.dedupKey}/${p.action}`))
      .filter((e): e is OutboxEntry => e !== undefined);
    const delivered = new Map<string, DeliveryOutcome>();
    if (config === null) {
      out('PagerDuty events (--dry-run: nothing sent; the routing key is added when sending):');
      for (const e of events) out(`  ${JSON.stringify(e.body)}`);
    } else {
      out('Delivery to PagerDuty (real time):');
      const worker = createDeliveryWorker({
        outbox,
        targets: { pagerduty: targetsFromConfig(config).pagerduty! },
        policy: config.retry,
        onOutcome: (o) => {
          ctx.io.err(describeOutcome(o));
          if (o.result === 'sent') delivered.set(o.entry.dedupKey, o);
        },
      });
      await worker.drain({ timeoutMs: DELIVERY_TIMEOUT_MS });
      for (const e of events) {
        const row = outbox.get('pagerduty', e.dedupKey)!;
        const sent = delivered.get(e.dedupKey);
        out(
          `  ${(e.body as { event_action: string }).event_action} ${(e.body as { dedup_key: string }).dedup_key}: ` +
            (sent
              ? `sent, HTTP ${sent.httpStatus}, attempt ${sent.entry.attempts}`
              : `${row.status}${row.lastError ? ` (${row.lastError})` : ''}`),
        );
      }
    }

    // Every step the go-live checklist expects, in order.
    const detectorTickets = [...tickets.values()].filter((t) => t.source === 'detector');
    const ticket = detectorTickets[0];
    const final = ticket ? store.get(ticket.id) : undefined;
    const trigger = pages.find((p) => p.action === 'trigger');
    const resolve = pages.find((p) => p.action === 'resolve');
    const evalMs = kaizen.detector.rules.evaluationIntervalMs;
    const at = (ms: number | null | undefined) =>
      ms === null || ms === undefined ? '' : ` at ${sinceStart(ms - startMs)}`;
    const checks: Check[] = [
      {
        ok: detectorTickets.length === 1 && ticket!.openedAtMs >= (degradedAtMs ?? Infinity),
        text: `ticket opened when the canary alert fired${ticket ? ` (ticket ${ticket.id}${at(ticket.openedAtMs)})` : ''}`,
      },
      {
        ok:
          ticket !== undefined &&
          trigger !== undefined &&
          trigger.ticketId === ticket.id &&
          trigger.atMs - ticket.openedAtMs >= pageAfterMs &&
          trigger.atMs - ticket.openedAtMs < pageAfterMs + evalMs,
        text: `PagerDuty paged ${formatDuration(pageAfterMs / 1000)} after the ticket opened${at(trigger?.atMs)}`,
      },
      {
        ok:
          recoveredAtMs !== null &&
          final?.status === 'resolved' &&
          final.resolvedBy === 'auto' &&
          final.resolvedAtMs! >= recoveredAtMs,
        text: `ticket resolved when the canary recovered${at(final?.resolvedAtMs)}`,
      },
      {
        ok: resolve !== undefined && trigger !== undefined && resolve.dedupKey === trigger.dedupKey,
        text: `page resolved with the ticket${at(resolve?.atMs)}`,
      },
    ];
    if (config !== null) {
      for (const action of ['trigger', 'resolve'] as const) {
        const p = pages.find((e) => e.action === action);
        const entry = p && outbox.get('pagerduty', `${p.dedupKey}/${action}`);
        checks.push({
          ok: entry?.status === 'sent',
          text: `${action} delivered to PagerDuty${entry?.lastHttpStatus ? ` (HTTP ${entry.lastHttpStatus})` : ''}`,
        });
      }
    }
    out('Checks:');
    for (const c of checks) out(`  ${c.ok ? 'ok  ' : 'FAIL'}  ${c.text}`);
    const failed = checks.filter((c) => !c.ok).length;
    const tookS = ((ctx.now() - realStartMs) / 1000).toFixed(1);
    if (failed > 0) {
      throw new CommandError(
        `simulate-canary: ${failed} of ${checks.length} checks failed (${tookS} s)`,
      );
    }
    out(`simulate-canary: all ${checks.length} checks passed in ${tookS} s`);
  } finally {
    db?.close();
  }
}
