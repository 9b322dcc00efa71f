// The daily digest of Kaizen tickets: what opened and resolved in a trailing window, what is still
// open whenever it opened, MTTR with the count behind it, and the incidents that fired most.
// Plain data here; digest-slack.ts turns it into a Slack message.
import type { ResolutionStats } from '../../core/api/tickets';
import { resolutionSeconds, resolutionStats } from './mttr';
import type { ResolvedSample, TicketFilter, TicketStore } from './store';
import { SEVERITIES, type Severity, type TicketRecord } from './types';

export interface Offender {
  tenantId: string;
  fingerprint: string;
  /** Of its latest ticket. */
  title: string;
  /** The highest among its tickets. */
  severity: Severity;
  tickets: number;
  reopens: number;
  /** Time its tickets were open inside the window, added up. */
  openMs: number;
  latestTicketId: number;
}

export interface Digest {
  /** null = every tenant. */
  tenant: string | null;
  /** As given: `24h`. */
  window: string;
  fromMs: number;
  toMs: number;
  opened: number;
  resolved: number;
  stillOpen: number;
  /** Tickets the digest is about: opened or resolved in the window, or still open. */
  tickets: number;
  /** Those tickets per severity (for the noise filter, digest-filter.ts). */
  bySeverity: Record<Severity, number>;
  mttr: { all: ResolutionStats; severities: { severity: Severity; stats: ResolutionStats }[] };
  offenders: Offender[];
  /** Still-open tickets, oldest first, at most `listOpen`. */
  open: TicketRecord[];
}

export interface DigestOptions {
  tenant?: string;
  window: string;
  windowMs: number;
  nowMs: number;
  /** Offenders listed (default 5). */
  offenders?: number;
  /** Still-open tickets listed (default 10; the count covers them all). */
  listOpen?: number;
}

/** Tickets read per list; a digest of more than this many tickets summarises the first ones. */
const MAX_TICKETS = 5000;

function allTickets(
  store: TicketStore,
  filter: TicketFilter,
): { tickets: TicketRecord[]; total: number } {
  const tickets: TicketRecord[] = [];
  let cursor: string | undefined;
  let total: number;
  do {
    const page = store.list(filter, { limit: 200, cursor });
    total = page.total;
    tickets.push(...page.tickets);
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined && tickets.length < MAX_TICKETS);
  return { tickets, total };
}

const rank = (s: Severity): number => SEVERITIES.indexOf(s);

function offenders(tickets: readonly TicketRecord[], fromMs: number, toMs: number): Offender[] {
  const groups = new Map<string, Offender>();
  // Newest first (the store's order), so the first ticket of a group names it.
  for (const t of tickets) {
    const key = JSON.stringify([t.tenantId, t.fingerprint]);
    const openMs = Math.max(
      0,
      Math.min(t.resolvedAtMs ?? toMs, toMs) - Math.max(t.openedAtMs, fromMs),
    );
    const g = groups.get(key);
    if (!g) {
      groups.set(key, {
        tenantId: t.tenantId,
        fingerprint: t.fingerprint,
        title: t.title,
        severity: t.severity,
        tickets: 1,
        reopens: t.reopenCount,
        openMs,
        latestTicketId: t.id,
      });
      continue;
    }
    g.tickets += 1;
    g.reopens += t.reopenCount;
    g.openMs += openMs;
    if (rank(t.severity) < rank(g.severity)) g.severity = t.severity;
  }
  return [...groups.values()].sort(
    (a, b) =>
      b.tickets + b.reopens - (a.tickets + a.reopens) ||
      b.openMs - a.openMs ||
      b.latestTicketId - a.latestTicketId,
  );
}

export function buildDigest(store: TicketStore, options: DigestOptions): Digest {
  const toMs = options.nowMs;
  const fromMs = toMs - options.windowMs;
  const scope: Pick<TicketFilter, 'tenant'> =
    options.tenant === undefined ? {} : { tenant: options.tenant };
  const opened = allTickets(store, { ...scope, openedSinceMs: fromMs });
  const resolved = allTickets(store, { ...scope, resolvedSinceMs: fromMs });
  const open = allTickets(store, { ...scope, statuses: ['open', 'acknowledged'] });

  const byId = new Map<number, TicketRecord>();
  for (const t of [...opened.tickets, ...resolved.tickets, ...open.tickets]) byId.set(t.id, t);
  const tickets = [...byId.values()].sort((a, b) => b.openedAtMs - a.openedAtMs || b.id - a.id);

  const samples = store.resolvedBetween(scope, fromMs, toMs);
  const statsOf = (list: readonly ResolvedSample[]) => resolutionStats(list.map(resolutionSeconds));
  return {
    tenant: options.tenant ?? null,
    window: options.window,
    fromMs,
    toMs,
    opened: opened.total,
    resolved: resolved.total,
    stillOpen: open.total,
    tickets: byId.size,
    bySeverity: Object.fromEntries(
      SEVERITIES.map((s) => [s, tickets.filter((t) => t.severity === s).length]),
    ) as Record<Severity, number>,
    mttr: {
      all: statsOf(samples),
      severities: SEVERITIES.map((severity) => ({
        severity,
        stats: statsOf(samples.filter((s) => s.severity === severity)),
      })).filter((s) => s.stats.count > 0),
    },
    offenders: offenders(tickets, fromMs, toMs).slice(0, options.offenders ?? 5),
    open: [...open.tickets]
      .sort((a, b) => a.openedAtMs - b.openedAtMs || a.id - b.id)
      .slice(0, options.listOpen ?? 10),
  };
}

/** One digest per scope and window per UTC day: a second run that day is a duplicate. */
export function digestDedupKey(digest: Pick<Digest, 'tenant' | 'window' | 'toMs'>): string {
  const day = new Date(digest.toMs).toISOString().slice(0, 10);
  return `kaizen-digest/${digest.tenant ?? 'all'}/${digest.window}/${day}`;
}

/** `45s`, `4m 10s`, `2h`, `3d 4h`: two units at most, as people read durations. */
export function formatDuration(seconds: number): string {
  if (seconds < 10) return `${Math.max(0, seconds).toFixed(1)}s`;
  const s = Math.round(seconds);
  const two = (big: number, bigUnit: string, small: number, smallUnit: string) =>
    small === 0 ? `${big}${bigUnit}` : `${big}${bigUnit} ${small}${smallUnit}`;
  if (s < 60) return `${s}s`;
  if (s < 3600) return two(Math.floor(s / 60), 'm', s % 60, 's');
  if (s < 86_400) return two(Math.floor(s / 3600), 'h', Math.floor((s % 3600) / 60), 'm');
  return two(Math.floor(s / 86_400), 'd', Math.floor((s % 86_400) / 3600), 'h');
}
