// The server's log lines with their structure. Every subsystem logs through a `log(line)` callback
// and operators read the text as it always was (`[subsystem] message`); a line about one tenant
// also says so in `fields`, so the RCA evidence can take that tenant's lines and no one else's.

export const LOG_LEVELS = ['info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface LogFields {
  /** The tenant the line is about; lines without one are server-wide. */
  tenant?: string;
  /** Defaults to the line's `[prefix]`. */
  subsystem?: string;
  level?: LogLevel;
}

/** What the server logs through; a plain `(line) => void` is one (it ignores the structure). */
export type LogFn = (line: string, fields?: LogFields) => void;

export interface LogEntry {
  atMs: number;
  level: LogLevel;
  subsystem: string;
  tenant: string | null;
  /** The text as printed. */
  line: string;
}

const PREFIX = /^\[([a-z][a-z0-9-]{0,30})\] /;

/** The line with its structure: the fields given, else what the text says. */
export function logEntry(line: string, fields: LogFields | undefined, atMs: number): LogEntry {
  const prefix = PREFIX.exec(line)?.[1];
  return {
    atMs,
    level: fields?.level ?? (/\bWARNING\b/.test(line) ? 'warn' : 'info'),
    subsystem: fields?.subsystem ?? prefix ?? 'server',
    tenant: fields?.tenant ?? null,
    line,
  };
}

/** A `log(line)` for code that knows nothing of tenants (a trace's fault log) but runs for one. */
export function tenantLog(
  log: LogFn,
  tenant: string,
  fields: Omit<LogFields, 'tenant'> = {},
): (line: string) => void {
  return (line) => log(line, { ...fields, tenant });
}
