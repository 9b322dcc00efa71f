import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  consoleUrlFromEnv,
  loadNotifyConfig,
  NotifyConfigError,
  targetsFromConfig,
} from './config';
import { PAGERDUTY_EVENTS_URL } from './pagerduty';
import { DEFAULT_RETRY_POLICY } from './retry';

function dataDir(json?: unknown): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'phase-notify-config-'));
  if (json !== undefined) {
    writeFileSync(
      path.join(dir, 'notify.json'),
      typeof json === 'string' ? json : JSON.stringify(json),
    );
  }
  return dir;
}

describe('notification settings', () => {
  it('has no channel and the default retry policy when nothing is set', () => {
    expect(loadNotifyConfig({}, dataDir())).toEqual({
      slack: null,
      pagerduty: null,
      retry: DEFAULT_RETRY_POLICY,
      file: null,
    });
  });

  it('reads notify.json in the data directory', () => {
    const dir = dataDir({
      slack: { webhookUrl: 'https://hooks.slack.com/services/T/B/x' },
      pagerduty: { routingKey: 'file-key' },
      retry: { maxAttempts: 3 },
    });
    const config = loadNotifyConfig({}, dir);
    expect(config.slack).toEqual({ webhookUrl: 'https://hooks.slack.com/services/T/B/x' });
    expect(config.pagerduty).toEqual({ routingKey: 'file-key', eventsUrl: PAGERDUTY_EVENTS_URL });
    expect(config.retry.maxAttempts).toBe(3);
    expect(config.file).toBe(path.join(dir, 'notify.json'));
  });

  it('lets the environment override the file, field by field', () => {
    const dir = dataDir({
      slack: { webhookUrl: 'https://hooks.slack.com/services/T/B/file' },
      pagerduty: { routingKey: 'file-key', eventsUrl: 'http://127.0.0.1:1/file' },
    });
    const config = loadNotifyConfig(
      {
        SLACK_WEBHOOK_URL: 'http://127.0.0.1:9/env',
        PAGERDUTY_ROUTING_KEY: 'env-key',
        NOTIFY_BACKOFF_MS: '5',
        NOTIFY_TIMEOUT_MS: '',
      },
      dir,
    );
    expect(config.slack!.webhookUrl).toBe('http://127.0.0.1:9/env');
    expect(config.pagerduty).toEqual({
      routingKey: 'env-key',
      eventsUrl: 'http://127.0.0.1:1/file',
    });
    expect(config.retry.baseDelayMs).toBe(5);
    expect(config.retry.requestTimeoutMs).toBe(DEFAULT_RETRY_POLICY.requestTimeoutMs);
  });

  it.each([
    {
      env: { SLACK_WEBHOOK_URL: 'hooks.slack.com/x' },
      file: undefined,
      message: 'SLACK_WEBHOOK_URL must be an http(s) URL',
    },
    { env: { SLACK_WEBHOOK_URL: 'ftp://x/y' }, file: undefined, message: 'got a ftp: URL' },
    {
      env: { PAGERDUTY_ROUTING_KEY: 'has space' },
      file: undefined,
      message: 'PAGERDUTY_ROUTING_KEY must be a non-empty string',
    },
    {
      env: { NOTIFY_MAX_ATTEMPTS: 'three' },
      file: undefined,
      message: 'NOTIFY_MAX_ATTEMPTS must be a whole number in [1, 100], got "three"',
    },
    { env: {}, file: '{ "slack": ', message: 'notify.json is not JSON' },
    {
      env: {},
      file: { slak: {} },
      message: 'notify.json.slak is not a setting (known: slack, pagerduty, retry)',
    },
    {
      env: {},
      file: { slack: { url: 'x' } },
      message: 'slack.url is not a setting (known: webhookUrl)',
    },
    {
      env: {},
      file: { retry: { maxAttempts: 0 } },
      message: 'retry.maxAttempts must be a whole number in [1, 100], got 0',
    },
  ])('refuses $message', ({ env, file, message }) => {
    const dir = dataDir(file);
    expect(() => loadNotifyConfig(env, dir)).toThrow(NotifyConfigError);
    expect(() => loadNotifyConfig(env, dir)).toThrow(message);
  });

  it('gives targets only for configured channels', () => {
    const targets = targetsFromConfig(loadNotifyConfig({ PAGERDUTY_ROUTING_KEY: 'k' }, null));
    expect(Object.keys(targets)).toEqual(['pagerduty']);
    expect(targets.pagerduty!.url).toBe(PAGERDUTY_EVENTS_URL);
    expect(targets.pagerduty!.prepare({ event_action: 'resolve' })).toEqual({
      routing_key: 'k',
      event_action: 'resolve',
    });
  });

  it('reads CONSOLE_URL without its trailing slash, and refuses one that is not a URL', () => {
    expect(consoleUrlFromEnv({})).toBeUndefined();
    expect(consoleUrlFromEnv({ CONSOLE_URL: 'https://console.example/' })).toBe(
      'https://console.example',
    );
    expect(() => consoleUrlFromEnv({ CONSOLE_URL: 'console.example' })).toThrow(NotifyConfigError);
  });
});
