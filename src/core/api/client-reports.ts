// Browser reports (docs/API.md, "Browser reports"): what the app sends about itself to
// POST /api/client-reports (uncaught exceptions, unhandled rejections, WebGL context loss and
// restore, renderer fallbacks, console errors and warnings), and what operators read back.

export const CLIENT_REPORT_KINDS = [
  'exception',
  'unhandled_rejection',
  'webgl_context_lost',
  'webgl_context_restored',
  'renderer_fallback',
  'console_error',
  'console_warning',
] as const;
export type ClientReportKind = (typeof CLIENT_REPORT_KINDS)[number];

/** Bounds the server enforces; the app's reporter keeps within them. */
export const CLIENT_REPORT_LIMITS = {
  /** Reports per request. */
  maxBatch: 20,
  maxMessageChars: 2000,
  maxStackChars: 8000,
  /** Of every other text field (reason, page, browser, webglRenderer). */
  maxFieldChars: 500,
  /** Of `count`: how many like it one report may stand for. */
  maxCount: 10_000,
  /** Of a whole request body. */
  maxBodyBytes: 64 * 1024,
} as const;

/** One report as the app sends it. The server removes tokens and URLs' secrets again anyway. */
export interface ClientReportInput {
  kind: ClientReportKind;
  message: string;
  stack?: string;
  /** For renderer_fallback: why (no WebGL, below the GPU threshold, context lost). */
  reason?: string;
  /** The tenant the page showed. */
  tenant?: string;
  /** The page's path and query, secrets removed. */
  page?: string;
  /** navigator.userAgent. */
  browser?: string;
  /** UNMASKED_RENDERER_WEBGL where the browser allows it, else the plain RENDERER. */
  webglRenderer?: string;
  maxTextureSize?: number;
  /** How many like it the page folded into this one (sampling), 1 when alone. */
  count?: number;
  /** When it happened, in the page's clock: ISO 8601. */
  at?: string;
}

/** POST /api/client-reports. */
export interface ClientReportBatch {
  reports: ClientReportInput[];
}

/** The answer: 202 with what was kept. */
export interface ClientReportReceipt {
  accepted: number;
}

export interface ClientReport extends Required<Pick<ClientReportInput, 'kind' | 'message'>> {
  id: number;
  /** When the server received it. */
  receivedAt: string;
  at: string | null;
  stack: string | null;
  reason: string | null;
  tenant: string | null;
  page: string | null;
  browser: string | null;
  webglRenderer: string | null;
  maxTextureSize: number | null;
  count: number;
}

/** GET /api/client-reports (operators). */
export interface ClientReportList {
  reports: ClientReport[];
  /** Matching reports, of which the newest `limit` are listed. */
  total: number;
  /** Per kind, over the same filter. */
  byKind: { kind: ClientReportKind; count: number }[];
}
