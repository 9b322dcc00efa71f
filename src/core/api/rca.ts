// The root-cause analysis of a ticket (docs/RCA.md, docs/API.md "RCA"): a Markdown draft made
// from the ticket's evidence, edited and reviewed by a person. Written by the server, read by the
// app, the CLI and the tests; times are ISO 8601 UTC strings.

/** `drafting` while an engine writes; `draft` waiting for review; then approved or rejected. */
export const RCA_STATUSES = ['drafting', 'draft', 'approved', 'rejected'] as const;
export type RcaStatus = (typeof RCA_STATUSES)[number];

/** Who wrote a draft: the built-in drafter or an OpenAI-compatible chat-completions endpoint. */
export const RCA_ENGINES = ['builtin', 'chat'] as const;
export type RcaEngine = (typeof RCA_ENGINES)[number];

export const RCA_REVIEW_OUTCOMES = ['approved', 'rejected'] as const;
export type RcaReviewOutcome = (typeof RCA_REVIEW_OUTCOMES)[number];

/** The fixed template: every draft has these `##` sections, in this order. */
export const RCA_SECTIONS = [
  'Summary',
  'Impact',
  'Timeline',
  'Evidence',
  'Probable cause',
  'Contributing factors',
  'Remediation',
  'Follow-ups',
] as const;
export type RcaSection = (typeof RCA_SECTIONS)[number];

/** Whether a log line was captured for the evidence, as rca_log_capture_total{result} counts it. */
export const LOG_CAPTURE_RESULTS = ['captured', 'empty', 'partial', 'failed'] as const;
export type LogCaptureResult = (typeof LOG_CAPTURE_RESULTS)[number];

export interface RcaLogLine {
  at: string;
  level: 'info' | 'warn' | 'error';
  subsystem: string;
  /** Secrets redacted (tokens, bearer values, webhook secrets, credentials in URLs). */
  message: string;
}

export interface RcaChange {
  at: string;
  /** `restart`, `tenant-settings`, `token-revoked`. */
  kind: string;
  detail: string;
}

export interface RcaSimilarTicket {
  id: number;
  title: string;
  openedAt: string;
  resolvedAt: string | null;
  /** Why it counts as alike: the same incident key or the same rule. */
  match: 'same-incident' | 'same-rule';
  /** The probable cause of its approved RCA, when it has one. */
  approvedCause: string | null;
}

/** Figures of the tenant's stream around the ticket's open time, null where none were recorded. */
export interface RcaMetrics {
  /** The window they cover. */
  from: string;
  to: string;
  latencyP95MsWorst: number | null;
  latencyP95MsMean: number | null;
  sloMs: number | null;
  bytesSaved: number | null;
  framesSkipped: number | null;
  resyncs: number | null;
  framesSent: number | null;
  clients: number | null;
  orderParameterR: number | null;
  /** When the stream last produced a frame, as the detector saw it. */
  lastFrameAt: string | null;
}

export interface RcaEvidence {
  collectedAt: string;
  alert: {
    title: string;
    severity: string;
    source: string;
    fingerprint: string;
    summary: string;
    /** When it (last) opened: the evidence is of the 60 s before. */
    openedAt: string;
    /** Whether that was a reopening of the ticket within its reopen window. */
    reopened: boolean;
    /** The rule (detector tickets) or alertname (Alertmanager), when there is one. */
    rule: string | null;
    /** What opened it: the timeline's `opened` detail (the detector's reading, the alert's labels). */
    signal: string;
  };
  logs: { from: string; to: string; capture: LogCaptureResult; lines: RcaLogLine[] };
  metrics: RcaMetrics;
  changes: RcaChange[];
  similar: RcaSimilarTicket[];
}

export interface RcaVersion {
  /** 1, 2, ... over the RCA's whole life. */
  version: number;
  /** A revision is one review: approval or rejection ends it; the next write starts another. */
  revision: number;
  kind: 'draft' | 'edit';
  /** For drafts, the engine that wrote it; null for a person's edit. */
  engine: RcaEngine | null;
  /** The engine, or the person who edited. */
  author: string;
  at: string;
  markdown: string;
}

export interface RcaReview {
  revision: number;
  version: number;
  outcome: RcaReviewOutcome;
  by: string;
  at: string;
  reason: string;
  /** Word-level edit distance from the revision's draft to the reviewed text, over the longer. */
  editDistanceRatio: number | null;
  /** Editor time: first open of the draft by someone who may edit it, to the review. */
  reviewSeconds: number | null;
}

export interface Rca {
  ticketId: number;
  tenant: string;
  status: RcaStatus;
  revision: number;
  /** The current text: the latest version (empty while the first draft is written). */
  markdown: string;
  /** The latest version's number; PUT sends it back as baseVersion. */
  version: number;
  /** Engine of the revision's draft; null when a person wrote the RCA without one. */
  engine: RcaEngine | null;
  /** Why the built-in drafter wrote it when an endpoint is set (the endpoint failed), else null. */
  engineNote: string | null;
  evidence: RcaEvidence | null;
  /** Template sections the current text fills. */
  sectionsFilled: RcaSection[];
  /** The last approved text, kept unchanged whatever comes after. */
  approved: { revision: number; version: number; markdown: string; at: string; by: string } | null;
  versions: RcaVersion[];
  reviews: RcaReview[];
  updatedAt: string;
}

export interface RcaEditBody {
  markdown: string;
  /** The version the edit started from: a newer one answers 409 instead of losing it. */
  baseVersion?: number;
  by?: string;
}

export interface RcaReviewBody {
  /** Required to reject, optional to approve. */
  reason?: string;
  /** The version reviewed: a newer one answers 409. */
  version?: number;
  by?: string;
}

export interface RcaGroupStats {
  tickets: number;
  /** Tickets with an approved RCA. */
  approved: number;
  rejected: number;
  /** Opened to the first approval, over the approved ones; null without any. */
  medianSecondsToApproved: number | null;
  meanSecondsToApproved: number | null;
  /** Share of the template's sections the approved RCAs fill, 0 to 1; null without any. */
  sectionsFilledShare: number | null;
  /** Per section: share of approved RCAs that fill it. */
  sections: { section: RcaSection; filledShare: number }[];
  /** Mean word-level edit distance ratio of approvals; null without drafts approved. */
  meanEditDistanceRatio: number | null;
}

export interface RcaEffectiveness {
  tenant: string | null;
  window: string;
  from: string;
  to: string;
  /** Tickets whose RCA began as an engine's draft. */
  withDraft: RcaGroupStats;
  /** Tickets without one: drafting off, written by hand, or from before the feature. */
  withoutDraft: RcaGroupStats;
}
