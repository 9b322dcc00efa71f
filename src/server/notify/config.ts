// Where notifications go and how hard to try: the environment first, then `notify.json` in the
// data directory, field by field, every value checked so a typo stops the command instead of
// silencing a channel. The Slack webhook URL and the PagerDuty routing key are secrets: they stay
// in configuration and are never written to the outbox or printed.
import { readRegularFile } from '../regular-file';
import path from 'node:path';
import { NotifyError, type Channel } from './outbox';
import { PAGERDUTY_EVENTS_URL, withRoutingKey } from './pagerduty';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry';

export const NOTIFY_CONFIG_FILE = 'notify.json';

export interface NotifyConfig {
  slack: { webhookUrl: string } | null;
  pagerduty: { routingKey: string; eventsUrl: string } | null;
  retry: RetryPolicy;
  /** Where the settings came from, for messages: the file, if it exists. */
  file: string | null;
}

export class NotifyConfigError extends NotifyError {
  constructor(message: string) {
    super(message);
    this.name = 'NotifyConfigError';
  }
}

/** What a worker needs to send one channel's notifications. */
export interface Target {
  url: string;
  /** The stored body as sent (PagerDuty: with the routing key). */
  prepare(body: unknown): unknown;
}

export type Targets = Partial<Record<Channel, Target>>;

type Env = Readonly<Record<string, string | undefined>>;

const RETRY_FIELDS: Record<
  Exclude<keyof RetryPolicy, 'maxRetryAfterMs'>,
  { env: string; min: number; max: number }
> = {
  maxAttempts: { env: 'NOTIFY_MAX_ATTEMPTS', min: 1, max: 100 },
  baseDelayMs: { env: 'NOTIFY_BACKOFF_MS', min: 1, max: 3_600_000 },
  maxDelayMs: { env: 'NOTIFY_MAX_BACKOFF_MS', min: 1, max: 86_400_000 },
  requestTimeoutMs: { env: 'NOTIFY_TIMEOUT_MS', min: 100, max: 600_000 },
};

function checkUrl(value: unknown, where: string): string {
  let url: URL;
  try {
    if (typeof value !== 'string') throw new TypeError();
    url = new URL(value);
  } catch {
    throw new NotifyConfigError(`${where} must be an http(s) URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new NotifyConfigError(`${where} must be an http(s) URL, got a ${url.protocol} URL`);
  }
  return url.href;
}

function checkSecret(value: unknown, where: string): string {
  if (typeof value !== 'string' || value.trim().length === 0 || /\s/.test(value)) {
    throw new NotifyConfigError(`${where} must be a non-empty string without spaces`);
  }
  return value;
}

function objectAt(value: unknown, where: string, keys: readonly string[]): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new NotifyConfigError(`${where} must be an object`);
  }
  for (const key of Object.keys(value)) {
    if (!keys.includes(key)) {
      throw new NotifyConfigError(`${where}.${key} is not a setting (known: ${keys.join(', ')})`);
    }
  }
  return value as Record<string, unknown>;
}

/** Larger than any settings file: a file this big is not one. */
const MAX_SETTINGS_FILE_BYTES = 1024 * 1024;

function readFile(file: string): Record<string, unknown> | null {
  let text: string;
  try {
    // A regular file only: a FIFO here would hold the server's start forever.
    text = readRegularFile(file, MAX_SETTINGS_FILE_BYTES);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new NotifyConfigError(`cannot read ${file}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new NotifyConfigError(`${file} is not JSON: ${(error as Error).message}`);
  }
  return objectAt(json, file, ['slack', 'pagerduty', 'retry']);
}

const set = (value: string | undefined): string | undefined =>
  value === undefined || value === '' ? undefined : value;

/**
 * SLACK_WEBHOOK_URL, PAGERDUTY_ROUTING_KEY, PAGERDUTY_EVENTS_URL, NOTIFY_MAX_ATTEMPTS,
 * NOTIFY_BACKOFF_MS, NOTIFY_MAX_BACKOFF_MS, NOTIFY_TIMEOUT_MS; else DIR/notify.json.
 */
export function loadNotifyConfig(env: Env, dataDir: string | null): NotifyConfig {
  const file = dataDir === null ? null : path.join(dataDir, NOTIFY_CONFIG_FILE);
  const json = file === null ? null : readFile(file);
  const at = (key: string) => `${file}: ${key}`;

  const slackJson =
    json?.slack === undefined ? {} : objectAt(json.slack, at('slack'), ['webhookUrl']);
  const slackUrl = set(env.SLACK_WEBHOOK_URL);
  const slack =
    slackUrl !== undefined
      ? { webhookUrl: checkUrl(slackUrl, 'SLACK_WEBHOOK_URL') }
      : slackJson.webhookUrl !== undefined
        ? { webhookUrl: checkUrl(slackJson.webhookUrl, at('slack.webhookUrl')) }
        : null;

  const pdJson =
    json?.pagerduty === undefined
      ? {}
      : objectAt(json.pagerduty, at('pagerduty'), ['routingKey', 'eventsUrl']);
  const envKey = set(env.PAGERDUTY_ROUTING_KEY);
  const routingKey =
    envKey !== undefined
      ? checkSecret(envKey, 'PAGERDUTY_ROUTING_KEY')
      : pdJson.routingKey !== undefined
        ? checkSecret(pdJson.routingKey, at('pagerduty.routingKey'))
        : null;
  const envEvents = set(env.PAGERDUTY_EVENTS_URL);
  const eventsUrl =
    envEvents !== undefined
      ? checkUrl(envEvents, 'PAGERDUTY_EVENTS_URL')
      : pdJson.eventsUrl !== undefined
        ? checkUrl(pdJson.eventsUrl, at('pagerduty.eventsUrl'))
        : PAGERDUTY_EVENTS_URL;

  const retryJson =
    json?.retry === undefined ? {} : objectAt(json.retry, at('retry'), Object.keys(RETRY_FIELDS));
  const retry: RetryPolicy = { ...DEFAULT_RETRY_POLICY };
  for (const [field, spec] of Object.entries(RETRY_FIELDS)) {
    const fromEnv = set(env[spec.env]);
    const value = fromEnv !== undefined ? Number(fromEnv) : retryJson[field];
    if (value === undefined) continue;
    const where = fromEnv !== undefined ? spec.env : at(`retry.${field}`);
    if (
      typeof value !== 'number' ||
      !Number.isInteger(value) ||
      value < spec.min ||
      value > spec.max
    ) {
      throw new NotifyConfigError(
        `${where} must be a whole number in [${spec.min}, ${spec.max}], got ${JSON.stringify(fromEnv ?? value)}`,
      );
    }
    retry[field as keyof typeof RETRY_FIELDS] = value;
  }
  if (retry.maxDelayMs < retry.baseDelayMs) retry.maxDelayMs = retry.baseDelayMs;

  return {
    slack,
    pagerduty: routingKey === null ? null : { routingKey, eventsUrl },
    retry,
    file: json === null ? null : file,
  };
}

/** CONSOLE_URL, the console's address for links in notifications; undefined when unset. */
export function consoleUrlFromEnv(env: Env): string | undefined {
  const value = set(env.CONSOLE_URL);
  return value === undefined ? undefined : checkUrl(value, 'CONSOLE_URL').replace(/\/+$/, '');
}

export function targetsFromConfig(config: NotifyConfig): Targets {
  const targets: Targets = {};
  if (config.slack) targets.slack = { url: config.slack.webhookUrl, prepare: (body) => body };
  if (config.pagerduty) {
    const { routingKey, eventsUrl } = config.pagerduty;
    targets.pagerduty = { url: eventsUrl, prepare: (body) => withRoutingKey(body, routingKey) };
  }
  return targets;
}
