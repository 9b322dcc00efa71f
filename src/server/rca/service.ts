// The RCA of each ticket, end to end: a draft starts when a ticket opens (or when someone asks),
// the evidence is collected, an engine writes (the chat endpoint when configured, the built-in
// drafter otherwise and whenever the endpoint fails), and people edit, approve or reject. Drafts
// run in a small queue off the request path; one left half-done by a stopped process is written
// again at the next start.
import type { RcaEngine } from '../../core/api/rca';
import type { TicketChange } from '../incidents/store';
import type { TicketRecordWithEvents } from '../incidents/types';
import type { LogFn } from '../logging/log-line';
import type { Db } from '../storage/database';
import { builtinDraft, type DraftInput } from './builtin-drafter';
import { chatDraft, type ChatEngineConfig } from './chat-engine';
import { editDistanceRatio } from './edit-distance';
import { collectEvidence, type EvidenceSources } from './evidence';
import { rcaEffectiveness, type EffectivenessQuery } from './effectiveness';
import type { RcaMetrics } from './metrics';
import { createRcaStore, type RcaRecord, type RcaReviewRecord, type RcaStore } from './store';

export interface RcaConfig {
  /** The chat-completions engine, or null for the built-in drafter alone. */
  chat: ChatEngineConfig | null;
  /** Draft when a ticket opens; off, drafts start only when someone asks. */
  draftOnOpen: boolean;
}

/** Drafts written at once; more wait their turn (a model server is usually one GPU or CPU). */
export const DRAFT_CONCURRENCY = 2;
/**
 * Drafts waiting at most. A burst of tickets beyond it (an alert storm) gets no automatic draft:
 * each can still be drafted on request, and the storm does not queue hours of model calls.
 */
export const MAX_QUEUED_DRAFTS = 200;

export interface RcaService {
  readonly store: RcaStore;
  readonly config: RcaConfig;
  /** Starts (or restarts) the ticket's draft; the RCA as it is now (drafting). */
  request(ticketId: number, tenantId: string): RcaRecord;
  edit(
    ticketId: number,
    tenantId: string,
    input: { markdown: string; author: string; baseVersion?: number },
  ): RcaRecord;
  review(
    ticketId: number,
    input: { outcome: 'approved' | 'rejected'; by: string; reason: string; version?: number },
  ): RcaRecord;
  /** Someone who may edit it opened it: the editor time starts. */
  opened(ticketId: number): void;
  effectiveness(query: Omit<EffectivenessQuery, 'toMs'>): ReturnType<typeof rcaEffectiveness>;
  /** Resolves once no draft is queued or being written (tests, shutdown). */
  idle(): Promise<void>;
  close(): void;
}

/**
 * The tickets drafts are written from: the data directory's store (one process) or the cluster's
 * PostgreSQL (--database), whose answers come asynchronously.
 */
export interface RcaTickets {
  get(id: number): TicketRecordWithEvents | undefined | Promise<TicketRecordWithEvents | undefined>;
  onChange(listener: (change: TicketChange) => void): () => void;
}

export interface RcaServiceOptions {
  db: Db;
  tickets: RcaTickets;
  /**
   * With --database: gives the RCA tables their ticket row before a draft begins (the mirror of
   * ticket-mirror.ts) and refreshes it from the ticket the draft is written from.
   */
  mirror?: {
    ensure(ticketId: number, tenantId: string): void;
    put(ticket: TicketRecordWithEvents): void;
  };
  /** Whether this process drafts the tenant's tickets when they open; default: every tenant. */
  draftsOnOpen?: (tenantId: string) => boolean;
  sources: EvidenceSources;
  metrics: RcaMetrics;
  config: RcaConfig;
  log: LogFn;
  now?: () => number;
}

export function createRcaService(options: RcaServiceOptions): RcaService {
  const { db, tickets, sources, metrics, config, log } = options;
  const now = options.now ?? Date.now;
  const store = createRcaStore(db);
  const queue: { ticketId: number; tenantId: string }[] = [];
  let running = 0;
  let closed = false;
  let idleWaiters: (() => void)[] = [];

  const settle = (): void => {
    if (running > 0 || queue.length > 0) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const resolve of waiters) resolve();
  };

  const write = async (ticketId: number, tenantId: string): Promise<void> => {
    const fields = { tenant: tenantId, subsystem: 'rca' } as const;
    const ticket = await tickets.get(ticketId);
    if (!ticket) {
      store.abandonDraft(ticketId, now());
      return;
    }
    options.mirror?.put(ticket);
    const started = performance.now();
    const evidence = await collectEvidence(ticket, sources, now());
    metrics.logCapture(evidence.logs.capture);
    const input: DraftInput = { tenant: tenantId, evidence };
    let markdown: string | null = null;
    let engine: RcaEngine = 'builtin';
    let note: string | null = null;
    if (config.chat) {
      try {
        markdown = await chatDraft(config.chat, input);
        engine = 'chat';
      } catch (error) {
        note = `The model endpoint failed (${(error as Error).message}); the built-in drafter wrote this draft from the same evidence.`;
        log(`[rca] ticket ${ticketId}: ${note}`, { ...fields, level: 'warn' });
      }
    }
    markdown ??= builtinDraft(input, note ?? undefined);
    // A server shutting down keeps the row drafting: the next start writes it again.
    if (closed) return;
    const seconds = (performance.now() - started) / 1000;
    store.completeDraft(ticketId, { markdown, engine, engineNote: note, evidence }, now());
    metrics.drafted(engine, seconds);
    log(
      `[rca] ticket ${ticketId}: draft by ${engine} in ${seconds.toFixed(2)} s (logs ${evidence.logs.capture}, ${evidence.logs.lines.length} lines)`,
      fields,
    );
  };

  let pumpScheduled = false;
  /** Runs pump once after the event loop's other work, however often it is asked for meanwhile. */
  const schedulePump = (): void => {
    if (pumpScheduled) return;
    pumpScheduled = true;
    setImmediate(() => {
      pumpScheduled = false;
      pump();
      settle();
    });
  };

  const pump = (): void => {
    while (!closed && running < DRAFT_CONCURRENCY && queue.length > 0) {
      const job = queue.shift()!;
      running += 1;
      write(job.ticketId, job.tenantId)
        .catch((error: unknown) => {
          if (closed) return;
          log(`[rca] ticket ${job.ticketId}: drafting failed: ${(error as Error).message}`, {
            tenant: job.tenantId,
            subsystem: 'rca',
            level: 'error',
          });
          store.abandonDraft(job.ticketId, now());
        })
        .finally(() => {
          running -= 1;
          // The next draft after the event loop's other work: built-in drafts never wait on I/O,
          // and a burst of them run back to back would hold up the frames.
          schedulePump();
        });
    }
  };

  const enqueue = (ticketId: number, tenantId: string): void => {
    queue.push({ ticketId, tenantId });
    // After the current call stack: the detector logs the opening right after the store commits,
    // and that line belongs in the evidence.
    schedulePump();
  };

  const request = (ticketId: number, tenantId: string): RcaRecord => {
    options.mirror?.ensure(ticketId, tenantId);
    const begun = store.beginDraft(ticketId, tenantId, now());
    if (begun) enqueue(ticketId, tenantId);
    return begun ?? store.get(ticketId)!;
  };

  for (const left of store.drafting()) enqueue(left.ticketId, left.tenantId);
  let skipped = 0;
  const stopListening = tickets.onChange((change) => {
    if (closed || !config.draftOnOpen || change.kind !== 'opened') return;
    if (options.draftsOnOpen && !options.draftsOnOpen(change.ticket.tenantId)) return;
    if (queue.length >= MAX_QUEUED_DRAFTS) {
      // Said once per burst, when the first is skipped, and the count when the queue has room.
      if (skipped === 0) {
        log(
          `[rca] ${MAX_QUEUED_DRAFTS} drafts waiting: tickets opened now get no automatic draft (POST /api/tickets/ID/rca drafts one)`,
          { subsystem: 'rca', level: 'warn' },
        );
      }
      skipped += 1;
      return;
    }
    if (skipped > 0) {
      log(`[rca] drafting again on open; ${skipped} tickets got no automatic draft`, {
        subsystem: 'rca',
        level: 'warn',
      });
      skipped = 0;
    }
    try {
      request(change.ticket.id, change.ticket.tenantId);
    } catch (error) {
      log(`[rca] ticket ${change.ticket.id}: cannot start a draft: ${(error as Error).message}`, {
        tenant: change.ticket.tenantId,
        subsystem: 'rca',
        level: 'error',
      });
    }
  });

  return {
    store,
    config,
    request,
    edit: (ticketId, tenantId, input) => store.edit(ticketId, tenantId, { ...input, atMs: now() }),
    review(ticketId, input) {
      const { rca, review } = store.review(ticketId, {
        ...input,
        atMs: now(),
        figures: (draft, reviewed) => ({
          editDistanceRatio: draft === null ? null : editDistanceRatio(draft, reviewed),
        }),
      });
      const r: RcaReviewRecord = review;
      metrics.reviewed(r.outcome, r.reviewSeconds, r.editDistanceRatio);
      return rca;
    },
    opened: (ticketId) => store.markOpened(ticketId, now()),
    effectiveness: (query) => rcaEffectiveness(db, { ...query, toMs: now() }),
    idle: () =>
      new Promise<void>((resolve) => {
        idleWaiters.push(resolve);
        setImmediate(settle);
      }),
    close() {
      closed = true;
      stopListening();
      queue.length = 0;
      settle();
    },
  };
}
