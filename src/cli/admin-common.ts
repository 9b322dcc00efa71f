// What the `npm run admin` command groups share: their errors (exit codes 2 and 1), output, and
// the shape of a command, so each group lives in a file of its own.
import { userInfo } from 'node:os';
import type { Db } from '../server/storage/database';

/** Bad command line: exit code 2, nothing done. */
export class UsageError extends Error {}
/** The command ran and failed: exit code 1. */
export class CommandError extends Error {}

export interface AdminIo {
  out(text: string): void;
  err(text: string): void;
}

export type AdminValues = Readonly<Record<string, string | boolean | undefined>>;

export interface AdminCommand {
  /** Options it takes besides --data. */
  options: readonly string[];
  /** Positional arguments after the command's words it takes at most. */
  maxArgs: number;
  run(
    db: Db,
    args: readonly string[],
    values: AdminValues,
    io: AdminIo,
    env: Readonly<Record<string, string | undefined>>,
  ): void;
}

export function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export function stringOption(values: AdminValues, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

/** The operating-system user running a command: who acts when no --by says otherwise. */
export function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'admin';
  }
}

/** Who acts: --by, else the operating-system user running the command. */
export function actorOf(values: AdminValues, fallback: string): string {
  const by = stringOption(values, 'by');
  if (by === undefined) return fallback;
  if (by.trim().length === 0 || by.length > 100) {
    throw new UsageError('--by must be 1 to 100 characters');
  }
  return by.trim();
}
