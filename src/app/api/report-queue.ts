// The page's browser reports on their way to POST /api/client-reports (docs/API.md, "Browser
// reports"), kept within what the server takes and what a page should send about itself:
//
// - sampled: a report like one sent in the last minute (same kind and message) is not sent again
//   until the minute is over; the ones in between are folded into its `count`;
// - rate-limited: a page sends at most a burst of REPORT_BURST reports, then REPORTS_PER_MINUTE,
//   well under the server's per-client bound; a 429 pauses sending for its Retry-After;
// - size-capped: every field cut to the server's limits, at most 20 reports and 64 KiB a request,
//   at most MAX_PENDING kinds of report waiting (the rest are counted as dropped);
// - scrubbed: tokens, bearer credentials and URLs' secrets removed before anything leaves.
//
// It never logs: a report about reporting would feed itself.
import {
  CLIENT_REPORT_LIMITS,
  type ClientReportInput,
  type ClientReportKind,
} from '../../core/api/client-reports';
import { scrub } from '../../core/secret-scrub';

export const REPORT_BURST = 20;
export const REPORTS_PER_MINUTE = 10;
/** A report like one sent this recently is folded into the next one's count. */
export const SAMPLE_INTERVAL_MS = 60_000;
export const MAX_PENDING = 50;
/** Reports wait this long for others to join them in one request. */
export const FLUSH_DELAY_MS = 2000;
/** Below the server's 64 KiB, for the JSON's own punctuation. */
const MAX_BATCH_BYTES = CLIENT_REPORT_LIMITS.maxBodyBytes - 1024;

/** What the page knows about itself, attached to every report. */
export interface ReportEnvironment {
  tenant(): string | null;
  /** The page's path and query. */
  page(): string;
  browser(): string;
  /** The WebGL renderer string (unmasked where allowed) and max texture size, when known. */
  gpu(): { webglRenderer: string | null; maxTextureSize: number | null };
}

export interface ReportTransport {
  /** Sends one batch; resolves with the Retry-After of a 429 in ms, else 0. Never rejects. */
  send(reports: ClientReportInput[]): Promise<number>;
}

export interface ReportTimers {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface NewReport {
  kind: ClientReportKind;
  message: string;
  stack?: string;
  reason?: string;
}

interface Pending {
  report: ClientReportInput;
  /** Occurrences folded in since the last one sent. */
  count: number;
}

const cut = (text: string, max: number): string =>
  text.length <= max ? text : `${text.slice(0, max - 1)}…`;

const clean = (text: string, max: number): string => cut(scrub(text), max);

export class ReportQueue {
  private readonly pending = new Map<string, Pending>();
  /** When each kind of report was last sent, for sampling. */
  private readonly sentAtMs = new Map<string, number>();
  private tokens = REPORT_BURST;
  private tokensAtMs: number;
  private pausedUntilMs = 0;
  private timer: { handle: unknown; dueMs: number } | null = null;
  private sending = false;
  /** Reports given up (too many kinds waiting, or over the rate), for the page's own figures. */
  dropped = 0;

  constructor(
    private readonly environment: ReportEnvironment,
    private readonly transport: ReportTransport,
    private readonly timers: ReportTimers,
  ) {
    this.tokensAtMs = timers.now();
  }

  /** Queues a report; it leaves with the next batch, folded with others like it. */
  add(input: NewReport): void {
    const message = clean(input.message || '(no message)', CLIENT_REPORT_LIMITS.maxMessageChars);
    const key = `${input.kind}\u0000${message}`;
    const waiting = this.pending.get(key);
    if (waiting) {
      waiting.count = Math.min(CLIENT_REPORT_LIMITS.maxCount, waiting.count + 1);
      return;
    }
    if (this.pending.size >= MAX_PENDING) {
      this.dropped += 1;
      return;
    }
    const gpu = this.environment.gpu();
    const tenant = this.environment.tenant();
    const field = (text: string | null | undefined): string | undefined =>
      text ? clean(text, CLIENT_REPORT_LIMITS.maxFieldChars) : undefined;
    const report: ClientReportInput = {
      kind: input.kind,
      message,
      stack: input.stack ? clean(input.stack, CLIENT_REPORT_LIMITS.maxStackChars) : undefined,
      reason: field(input.reason),
      tenant: tenant ?? undefined,
      page: field(this.environment.page()),
      browser: field(this.environment.browser()),
      webglRenderer: field(gpu.webglRenderer),
      maxTextureSize: gpu.maxTextureSize ?? undefined,
      at: new Date(this.timers.now()).toISOString(),
    };
    this.pending.set(key, { report, count: 1 });
    this.schedule(FLUSH_DELAY_MS);
  }

  /** Sends what may go now (the page is being hidden, or the flush delay passed). */
  flush(): void {
    if (this.sending) return;
    const nowMs = this.timers.now();
    if (nowMs < this.pausedUntilMs) {
      this.schedule(this.pausedUntilMs - nowMs);
      return;
    }
    this.refill(nowMs);
    const batch: ClientReportInput[] = [];
    let bytes = 2;
    let laterMs = Infinity;
    for (const [key, entry] of this.pending) {
      const sampledUntil = (this.sentAtMs.get(key) ?? -Infinity) + SAMPLE_INTERVAL_MS;
      if (sampledUntil > nowMs) {
        laterMs = Math.min(laterMs, sampledUntil - nowMs);
        continue;
      }
      if (batch.length >= CLIENT_REPORT_LIMITS.maxBatch || this.tokens < 1) {
        laterMs = Math.min(laterMs, this.tokens < 1 ? this.msPerToken() : FLUSH_DELAY_MS);
        break;
      }
      const report = { ...entry.report, count: entry.count };
      const size = new TextEncoder().encode(JSON.stringify(report)).length + 1;
      if (bytes + size > MAX_BATCH_BYTES) {
        laterMs = Math.min(laterMs, FLUSH_DELAY_MS);
        break;
      }
      bytes += size;
      batch.push(report);
      this.tokens -= 1;
      this.pending.delete(key);
      this.sentAtMs.set(key, nowMs);
    }
    if (laterMs !== Infinity) this.schedule(laterMs);
    if (batch.length === 0) return;
    this.sending = true;
    void this.transport.send(batch).then((retryAfterMs) => {
      this.sending = false;
      if (retryAfterMs > 0) {
        // Refused for rate: nothing of it was stored. Those reports are lost (counted), and the
        // page waits as long as the server asked before it sends again.
        this.dropped += batch.reduce((n, r) => n + (r.count ?? 1), 0);
        this.pausedUntilMs = this.timers.now() + retryAfterMs;
      }
      if (this.pending.size > 0) this.schedule(FLUSH_DELAY_MS);
    });
  }

  /** Reports waiting to be sent (kinds, not occurrences). */
  get waiting(): number {
    return this.pending.size;
  }

  private msPerToken(): number {
    return 60_000 / REPORTS_PER_MINUTE;
  }

  private refill(nowMs: number): void {
    const earned = (nowMs - this.tokensAtMs) / this.msPerToken();
    this.tokens = Math.min(REPORT_BURST, this.tokens + earned);
    this.tokensAtMs = nowMs;
  }

  /** A flush in `ms`, unless one is due sooner already. */
  private schedule(ms: number): void {
    const dueMs = this.timers.now() + ms;
    if (this.timer !== null) {
      if (this.timer.dueMs <= dueMs) return;
      this.timers.clearTimeout(this.timer.handle);
    }
    const handle = this.timers.setTimeout(() => {
      this.timer = null;
      this.flush();
    }, ms);
    this.timer = { handle, dueMs };
  }
}
