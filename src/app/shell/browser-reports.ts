// The page reports its own faults to the console's operators (docs/API.md, "Browser reports"):
// uncaught exceptions, unhandled rejections, console errors and warnings, WebGL context loss and
// restore, and each time the heatmap falls back to the CPU canvas, with the reason. The queue
// (api/report-queue.ts) samples, rate-limits, caps and scrubs them before they leave.
import type { ClientReportInput } from '../../core/api/client-reports';
import { probeWebglInfo, type WebglInfo } from '../../render/webgl-info';
import { ReportQueue, type NewReport } from '../api/report-queue';
import { currentTenant, type UiStore } from '../state/ui-store';

/** Sends a batch; a 429's Retry-After in ms, else 0. A report that cannot go is let go. */
async function postReports(reports: ClientReportInput[]): Promise<number> {
  try {
    const response = await fetch('/api/client-reports', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ reports }),
      // Lets the last batch leave while the page is being closed.
      keepalive: true,
    });
    if (response.status !== 429) return 0;
    const retryAfterS = Number(response.headers.get('retry-after'));
    return (Number.isFinite(retryAfterS) && retryAfterS > 0 ? retryAfterS : 60) * 1000;
  } catch {
    return 0;
  }
}

/** A thrown value as a message and a stack, whatever was thrown. */
function describeThrown(value: unknown): { message: string; stack?: string } {
  if (value instanceof Error)
    return { message: `${value.name}: ${value.message}`, stack: value.stack };
  try {
    return {
      message: typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value)),
    };
  } catch {
    return { message: String(value) };
  }
}

function consoleText(args: unknown[]): string {
  return args.map((a) => (typeof a === 'string' ? a : describeThrown(a).message)).join(' ');
}

/** Watches the page and the UI store; returns what undoes it (tests, hot reload). */
export function startBrowserReports(ui: UiStore): () => void {
  let webgl: WebglInfo | null = null;
  const queue = new ReportQueue(
    {
      tenant: () => currentTenant(ui.getState()),
      page: () => window.location.pathname + window.location.search,
      browser: () => navigator.userAgent,
      gpu: () => {
        webgl ??= probeWebglInfo(document);
        return { webglRenderer: webgl.renderer, maxTextureSize: webgl.maxTextureSize };
      },
    },
    { send: postReports },
    {
      now: () => Date.now(),
      setTimeout: (callback, ms) => window.setTimeout(callback, ms),
      clearTimeout: (handle) => window.clearTimeout(handle as number),
    },
  );
  const report = (r: NewReport): void => queue.add(r);

  const onError = (event: ErrorEvent): void => {
    const thrown = event.error === undefined ? null : describeThrown(event.error);
    report({
      kind: 'exception',
      message: thrown?.message ?? event.message,
      stack:
        thrown?.stack ??
        (event.filename ? `${event.filename}:${event.lineno}:${event.colno}` : undefined),
    });
  };
  const onRejection = (event: PromiseRejectionEvent): void =>
    report({ kind: 'unhandled_rejection', ...describeThrown(event.reason) });
  const onHidden = (): void => {
    if (document.visibilityState === 'hidden') queue.flush();
  };
  window.addEventListener('error', onError);
  window.addEventListener('unhandledrejection', onRejection);
  document.addEventListener('visibilitychange', onHidden);

  // Console errors and warnings, passed on to the console as before.
  const original = { error: console.error, warn: console.warn };
  console.error = (...args: unknown[]) => {
    original.error.apply(console, args);
    report({ kind: 'console_error', message: consoleText(args) });
  };
  console.warn = (...args: unknown[]) => {
    original.warn.apply(console, args);
    report({ kind: 'console_warning', message: consoleText(args) });
  };

  // The heatmap's GPU context and renderer, as the UI store follows them.
  let lastFallback: string | null = null;
  const unsubscribe = ui.subscribe((state, previous) => {
    if (state.contextLost && !previous.contextLost)
      report({
        kind: 'webgl_context_lost',
        message: 'WebGL context lost: the heatmap draws on the CPU canvas until it is restored',
      });
    if (!state.contextLost && previous.contextLost)
      report({ kind: 'webgl_context_restored', message: 'WebGL context restored' });
    if (
      state.renderMode !== previous.renderMode ||
      state.renderReason !== previous.renderReason ||
      state.stream !== previous.stream
    )
      queueMicrotask(checkFallback);
  });
  // The mode and its reason are set by two effects of one render: judge once both are.
  function checkFallback(): void {
    const state = ui.getState();
    // Chosen by the console's default threshold while the tenant's own is being read: the choice
    // that counts comes a moment later.
    const provisional =
      state.gpuThreshold.source === 'default' &&
      state.webglAvailable &&
      !state.contextLost &&
      state.params.renderer === 'auto';
    if (provisional) return;
    const fallback = state.stream && state.renderMode === 'cpu' ? state.renderReason : null;
    if (fallback !== null && fallback !== lastFallback)
      report({
        kind: 'renderer_fallback',
        message: 'the heatmap draws on the CPU canvas',
        reason: fallback,
      });
    lastFallback = fallback;
  }

  return () => {
    unsubscribe();
    window.removeEventListener('error', onError);
    window.removeEventListener('unhandledrejection', onRejection);
    document.removeEventListener('visibilitychange', onHidden);
    console.error = original.error;
    console.warn = original.warn;
  };
}
