// What the `npm run kaizen` commands share: their errors and exit codes, durations on the command
// line, and how a delivery outcome is told to the operator.
import { parseWindow, WindowError } from '../server/incidents/windows';
import { loadNotifyConfig, type NotifyConfig } from '../server/notify/config';
import type { DeliveryOutcome } from '../server/notify/worker';
import type { Visibility } from '../core/api/vocabulary';
import { listTenants } from '../server/tenants/tenant-store';
import type { Db } from '../server/storage/database';

/** Bad command line or configuration: exit code 2, nothing done. */
export class UsageError extends Error {}
/** The command ran and failed: exit code 1. */
export class CommandError extends Error {}

export interface KaizenIo {
  out(text: string): void;
  err(text: string): void;
}

export interface CommandContext {
  dataDir: string;
  env: Readonly<Record<string, string | undefined>>;
  io: KaizenIo;
  /** Wall clock, ms since the epoch. */
  now: () => number;
}

/** How long a command waits for its notifications (retries included) before it gives up. */
export const DELIVERY_TIMEOUT_MS = 120_000;

/** `90s`, `15m`, `3h`, `2d`. */
export function parseDuration(option: string, text: string): number {
  const seconds = /^([1-9][0-9]{0,5})s$/.exec(text);
  if (seconds) return Number(seconds[1]) * 1000;
  try {
    return parseWindow(text);
  } catch (error) {
    if (error instanceof WindowError) {
      throw new UsageError(
        `--${option} must be a count and a unit s, m, h or d (like 90s, 15m, 3h), got "${text.slice(0, 20)}"`,
      );
    }
    throw error;
  }
}

/** Notification settings, or a usage error naming what to set when `need` is missing. */
export function notifyConfigFor(
  ctx: CommandContext,
  need: 'slack' | 'pagerduty' | null,
  dryRunHint: string,
): NotifyConfig {
  const config = loadNotifyConfig(ctx.env, ctx.dataDir);
  if (need === 'slack' && !config.slack) {
    throw new UsageError(
      `no Slack webhook URL: set SLACK_WEBHOOK_URL or slack.webhookUrl in ${ctx.dataDir}/notify.json (${dryRunHint})`,
    );
  }
  if (need === 'pagerduty' && !config.pagerduty) {
    throw new UsageError(
      `no PagerDuty routing key: set PAGERDUTY_ROUTING_KEY or pagerduty.routingKey in ${ctx.dataDir}/notify.json (${dryRunHint})`,
    );
  }
  return config;
}

/** One line per delivery attempt, for stderr. */
export function describeOutcome(o: DeliveryOutcome): string {
  const what = `[notify] ${o.entry.channel} ${o.entry.dedupKey}`;
  const attempt = `attempt ${o.entry.attempts}, ${o.elapsedMs} ms`;
  switch (o.result) {
    case 'sent':
      return `${what}: sent (HTTP ${o.httpStatus}, ${attempt})`;
    case 'retry':
      return `${what}: ${o.error}; trying again in ${o.retryInMs! < 1000 ? `${o.retryInMs} ms` : `${(o.retryInMs! / 1000).toFixed(1)} s`} (${attempt})`;
    case 'failed':
      return `${what}: ${o.error}`;
    case 'lost':
      return `${what}: another worker took it over (${attempt})`;
  }
}

/** The tenant's visibility from the registry in the same database, when it has one. */
export function registryVisibility(db: Db): (tenantId: string) => Visibility | undefined {
  let tenants: Map<string, Visibility>;
  try {
    tenants = new Map(listTenants(db).tenants.map((t) => [t.id, t.visibility]));
  } catch {
    tenants = new Map(); // no tenants table: a data directory the server never ran on
  }
  return (tenantId) => tenants.get(tenantId);
}
