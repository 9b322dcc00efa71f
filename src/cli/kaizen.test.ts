import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTicketStore } from '../server/incidents/store';
import { createOutbox } from '../server/notify/outbox';
import { setObserver } from '../server/notify/observer';
import {
  closedPortUrl,
  PAGERDUTY_ACCEPTED,
  pagerDutyIncidents,
  SLACK_OK,
  startReceiver,
  type Receiver,
  type ScriptedResponse,
} from '../testing/webhook-receiver';
import { openDatabase } from '../server/storage/database';
import { runKaizen } from './kaizen';

const H = 3_600_000;
const FAST_RETRIES = { NOTIFY_MAX_ATTEMPTS: '2', NOTIFY_BACKOFF_MS: '5' };

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0)) await fn();
});

const dataDir = () => mkdtempSync(path.join(tmpdir(), 'phase-kaizen-cli-'));

async function receiver(script: ScriptedResponse[]): Promise<Receiver> {
  const r = await startReceiver(script);
  cleanup.push(() => r.close());
  return r;
}

/** The command in this process: stdout and stderr as lines. */
async function kaizen(args: string[], env: Record<string, string | undefined> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runKaizen(args, env, {
    out: (text) => out.push(text),
    err: (text) => err.push(text),
  });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

/** The command as an operator runs it: its own process. */
function spawnKaizen(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/kaizen.ts', ...args], {
    env: { PATH: process.env.PATH, ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr })),
  );
}

/** Tickets in the last day of DIR: one alert twice (resolved in 120 s and 60 s), one still open. */
function seedTickets(dir: string): void {
  const db = openDatabase(dir);
  let nowMs = Date.now() - 20 * H;
  const store = createTicketStore({ db, now: () => nowMs });
  const open = (title: string, fingerprint: string, severity: 'critical' | 'warning') =>
    store.openOrDedup({
      tenantId: 'demo',
      visibility: 'public',
      title,
      severity,
      source: 'alertmanager',
      fingerprint,
      actor: 'alertmanager',
    }).ticket;
  const first = open('Stream demo stalled <prod>', 'alertmanager:stall', 'critical');
  nowMs += 120_000;
  store.resolve(first.id, { by: 'ana' });
  nowMs += 2 * H;
  const second = open('Stream demo stalled <prod>', 'alertmanager:stall', 'critical');
  nowMs += 60_000;
  store.resolve(second.id, { by: 'ana' });
  nowMs += H;
  open('Order parameter low', 'alertmanager:r-low', 'warning');
  db.close();
}

describe('kaizen digest', () => {
  it('on an empty data directory prints exactly the suppression line and exits 0', async () => {
    const dir = dataDir();
    const result = await spawnKaizen(['digest', '--dry-run', '--data', dir]);
    expect(result).toEqual({ code: 0, stdout: '0 tickets – digest suppressed\n', stderr: '' });
  });

  it('--dry-run prints the Slack message naming the tickets and the MTTR, and sends nothing', async () => {
    const dir = dataDir();
    seedTickets(dir);
    const slack = await receiver([SLACK_OK]);
    const result = await kaizen(['digest', '--dry-run', '--data', dir], {
      SLACK_WEBHOOK_URL: slack.url,
    });
    expect(result.code).toBe(0);
    const message = JSON.parse(result.stdout) as { text: string; blocks: unknown[] };
    expect(message.text).toBe(
      'Kaizen digest (all tenants, last 24h): 3 opened, 2 resolved, 1 still open; ' +
        'MTTR 1m 30s over 2 tickets. Worst: Stream demo stalled &lt;prod&gt; (2 tickets)',
    );
    expect(result.stdout).toContain('Order parameter low');
    expect(result.stdout).toContain('• critical: 1m 30s mean, 1m 30s median, 2 tickets');
    expect(slack.requests).toHaveLength(0);
    const db = openDatabase(dir);
    expect(createOutbox({ db }).list()).toEqual([]);
    db.close();
  });

  it('sends the message to the webhook once; a rerun the same day sends nothing', async () => {
    const dir = dataDir();
    seedTickets(dir);
    const slack = await receiver([SLACK_OK]);
    const dry = await kaizen(['digest', '--dry-run', '--data', dir]);
    const sent = await kaizen(['digest', '--data', dir], { SLACK_WEBHOOK_URL: slack.url });
    expect(sent.code).toBe(0);
    expect(sent.stdout).toMatch(
      /^digest sent to Slack: 3 opened, 2 resolved, 1 still open; MTTR 1m 30s over 2 tickets \(dedup_key kaizen-digest\/all\/24h\/\d{4}-\d\d-\d\d\)$/,
    );
    expect(slack.requests).toHaveLength(1);
    expect(slack.requests[0]!.json).toEqual(JSON.parse(dry.stdout));

    const again = await kaizen(['digest', '--data', dir], { SLACK_WEBHOOK_URL: slack.url });
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/was already sent at .*; nothing sent$/);
    expect(slack.requests).toHaveLength(1);
  });

  it('the noise filter suppresses a quiet day of low severities, never a critical ticket', async () => {
    const dir = dataDir();
    const db = openDatabase(dir);
    const store = createTicketStore({ db, now: () => Date.now() - H });
    const open = (fingerprint: string, severity: 'critical' | 'warning' | 'info') =>
      store.openOrDedup({
        tenantId: 'demo',
        visibility: 'public',
        title: fingerprint,
        severity,
        source: 'manual',
        fingerprint,
        actor: 'ana',
      });
    open('manual:a', 'warning');
    open('manual:b', 'info');
    const slack = await receiver([SLACK_OK]);
    // Default thresholds: any ticket sends.
    expect((await kaizen(['digest', '--dry-run', '--data', dir])).stdout).toMatch(/^\{/);
    const filtered = await kaizen(
      ['digest', '--min-severity', 'warning', '--min-count', '2', '--data', dir],
      { SLACK_WEBHOOK_URL: slack.url },
    );
    expect(filtered).toEqual({
      code: 0,
      stdout:
        '2 tickets, 1 of them warning or worse (the noise filter needs 2) – digest suppressed',
      stderr: '',
    });
    // The same thresholds from the environment; --force still sends.
    const env = {
      SLACK_WEBHOOK_URL: slack.url,
      KAIZEN_DIGEST_MIN_SEVERITY: 'error',
      KAIZEN_DIGEST_MIN_COUNT: '1',
    };
    expect((await kaizen(['digest', '--dry-run', '--data', dir], env)).stdout).toMatch(
      /0 of them error or worse/,
    );
    expect(slack.requests).toHaveLength(0);
    const forced = await kaizen(['digest', '--force', '--data', dir], env);
    expect(forced.stdout).toMatch(/^digest sent to Slack: 2 opened/);
    expect(slack.requests).toHaveLength(1);
    // A critical ticket goes through whatever the thresholds say.
    open('manual:c', 'critical');
    const critical = await kaizen(
      ['digest', '--dry-run', '--min-count', '50', '--min-severity', 'critical', '--data', dir],
      env,
    );
    expect(JSON.parse(critical.stdout)).toMatchObject({
      text: expect.stringContaining('3 opened'),
    });
    db.close();
  });

  it('in observer mode a digest is held, not sent, and says how to release it', async () => {
    const dir = dataDir();
    seedTickets(dir);
    const db = openDatabase(dir);
    setObserver(db, { enabled: true, by: 'ana' });
    db.close();
    const slack = await receiver([SLACK_OK]);
    const held = await kaizen(['digest', '--data', dir], { SLACK_WEBHOOK_URL: slack.url });
    expect(held.code).toBe(0);
    expect(held.stdout).toMatch(
      /^digest kaizen-digest\/all\/24h\/[\d-]+ held: observer mode is on, nothing sent \("npm run admin -- notifications release \d+" sends it\)$/,
    );
    expect(slack.requests).toHaveLength(0);
  });

  it('--tenant and --since narrow the digest; --force sends an empty one', async () => {
    const dir = dataDir();
    seedTickets(dir);
    const empty = await kaizen(['digest', '--dry-run', '--tenant', 'live', '--data', dir]);
    expect(empty.stdout).toBe('0 tickets – digest suppressed');
    const lastHour = await kaizen(['digest', '--dry-run', '--since', '1h', '--data', dir]);
    // Only the still-open ticket: it opened 17 h ago.
    expect(JSON.parse(lastHour.stdout).text).toContain('0 opened, 0 resolved, 1 still open');
    const slack = await receiver([SLACK_OK]);
    const forced = await kaizen(['digest', '--force', '--tenant', 'live', '--data', dir], {
      SLACK_WEBHOOK_URL: slack.url,
    });
    expect(forced.code).toBe(0);
    expect((slack.requests[0]!.json as { text: string }).text).toBe(
      'Kaizen digest (tenant live, last 24h): 0 opened, 0 resolved, 0 still open; MTTR none resolved',
    );
  });

  it('fails with the receiver’s answer when Slack refuses it, and does not retry', async () => {
    const dir = dataDir();
    seedTickets(dir);
    const slack = await receiver([{ status: 400, body: 'invalid_blocks' }]);
    const result = await kaizen(['digest', '--data', dir], { SLACK_WEBHOOK_URL: slack.url });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /\[kaizen\] digest: digest kaizen-digest\/all\/24h\/[\d-]+ not sent: refused, not retried: HTTP 400: invalid_blocks$/,
    );
    expect(slack.requests).toHaveLength(1);
  });

  it('fails when the webhook cannot be reached, and a later run sends it once', async () => {
    const dir = dataDir();
    seedTickets(dir);
    const down = await kaizen(['digest', '--data', dir], {
      SLACK_WEBHOOK_URL: await closedPortUrl(),
      ...FAST_RETRIES,
    });
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/not sent: gave up after 2 attempts: connect ECONNREFUSED/);
    const slack = await receiver([SLACK_OK]);
    const up = await kaizen(['digest', '--data', dir], { SLACK_WEBHOOK_URL: slack.url });
    expect(up.code).toBe(0);
    expect(slack.requests).toHaveLength(1);
  });

  it.each([
    {
      args: ['digest', '--since', '2w'],
      env: {},
      message:
        '[kaizen] digest: --since must be a count and a unit m, h or d, from 1m to 366d (like 24h or 7d), got "2w" (see npm run kaizen -- --help)',
    },
    {
      args: ['digest', '--tenant', 'Not A Tenant', '--dry-run'],
      env: {},
      message: '--tenant "Not A Tenant" is not a tenant id',
    },
    {
      args: ['digest'],
      env: {},
      message: 'no Slack webhook URL: set SLACK_WEBHOOK_URL or slack.webhookUrl in',
    },
    {
      args: ['digest'],
      env: { SLACK_WEBHOOK_URL: 'not a url' },
      message: '[notify] SLACK_WEBHOOK_URL must be an http(s) URL',
    },
    {
      args: ['digest', '--dry-run'],
      env: { CONSOLE_URL: 'console.example' },
      message: '[notify] CONSOLE_URL must be an http(s) URL',
    },
    {
      args: ['digest', '--duration', '3h'],
      env: {},
      message: '--duration does not go with "digest"',
    },
    { args: [], env: {}, message: 'no command given' },
    { args: ['page'], env: {}, message: 'unknown command "page"' },
    { args: ['digest', '--bogus'], env: {}, message: "Unknown option '--bogus'" },
    {
      args: ['digest', '--dry-run', '--min-severity', 'loud'],
      env: {},
      message: '--min-severity must be one of critical, error, warning, info, got "loud"',
    },
    {
      args: ['digest', '--dry-run'],
      env: { KAIZEN_DIGEST_MIN_COUNT: '0' },
      message: 'KAIZEN_DIGEST_MIN_COUNT must be a whole number from 1 to 10000, got "0"',
    },
  ])('stops with exit code 2 and nothing written for $args', async ({ args, env, message }) => {
    const dir = dataDir();
    const result = await kaizen([...args, '--data', dir], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr.split('\n')).toHaveLength(1);
    expect(result.stdout).toBe('');
    expect(existsSync(path.join(dir, 'console.db'))).toBe(false);
  });
});

describe('kaizen simulate-canary', () => {
  it('pages PagerDuty at the 2 h mark and resolves it, in under 30 s', async () => {
    const dir = dataDir();
    const pd = await receiver([PAGERDUTY_ACCEPTED]);
    const started = Date.now();
    const result = await spawnKaizen(['simulate-canary', '--duration', '3h', '--data', dir], {
      PAGERDUTY_ROUTING_KEY: 'canary-routing-key',
      PAGERDUTY_EVENTS_URL: pd.url,
    });
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines.find((l) => l.includes('ticket 1 opened'))).toMatch(
      /^ {2}T\+0:00:02\.000 .* alert stream-stalled fired: ticket 1 opened \(critical\)/,
    );
    expect(lines.find((l) => l.includes('PagerDuty trigger'))).toMatch(
      /^ {2}T\+2:00:02\.000 .* ticket 1 open 2h without acknowledgement: PagerDuty trigger queued/,
    );
    expect(result.stdout).toContain('ok    PagerDuty paged 2h after the ticket opened');
    expect(result.stdout).toMatch(/simulate-canary: all 6 checks passed/);

    const pdView = pagerDutyIncidents(pd.requests);
    expect([pdView.triggers, pdView.resolves]).toEqual([1, 1]);
    const [trigger, resolve] = pd.requests.map((r) => r.json) as {
      routing_key: string;
      event_action: string;
      dedup_key: string;
      payload?: { severity: string; component: string };
    }[];
    expect(trigger).toMatchObject({
      routing_key: 'canary-routing-key',
      event_action: 'trigger',
      payload: { severity: 'critical', component: 'canary' },
    });
    expect(resolve).toEqual({
      routing_key: 'canary-routing-key',
      event_action: 'resolve',
      dedup_key: trigger!.dedup_key,
    });
    expect([...pdView.incidents.values()]).toEqual(['resolved']);

    // The ticket is a real one in the data directory, with the page on its timeline.
    const db = openDatabase(dir);
    const ticket = createTicketStore({ db }).get(1)!;
    db.close();
    expect(ticket).toMatchObject({ tenantId: 'canary', status: 'resolved', resolvedBy: 'auto' });
    expect(ticket.events.map((e) => [e.kind, e.actor])).toEqual([
      ['opened', 'detector'],
      ['noted', 'pager'],
      ['resolved', 'auto'],
      ['noted', 'pager'],
    ]);
  });

  it('--dry-run keeps nothing and sends nothing, and still checks every step', async () => {
    const dir = dataDir();
    const result = await kaizen([
      'simulate-canary',
      '--dry-run',
      '--duration',
      '90m',
      '--page-after',
      '1h',
      '--data',
      dir,
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/T\+1:00:02\.000 .* PagerDuty trigger queued/);
    expect(result.stdout).toContain('"event_action":"resolve"');
    expect(result.stdout).toMatch(/all 4 checks passed/);
    expect(existsSync(path.join(dir, 'console.db'))).toBe(false);
  });

  it('fails, naming the step, when PagerDuty cannot be reached', async () => {
    const result = await kaizen(
      ['simulate-canary', '--duration', '2h', '--page-after', '1h', '--data', dataDir()],
      {
        PAGERDUTY_ROUTING_KEY: 'k',
        PAGERDUTY_EVENTS_URL: await closedPortUrl(),
        ...FAST_RETRIES,
      },
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('FAIL  trigger delivered to PagerDuty');
    expect(result.stderr).toMatch(/gave up after 2 attempts: connect ECONNREFUSED/);
    expect(result.stderr).toMatch(/simulate-canary: 2 of 6 checks failed/);
  });

  it('refuses to simulate over tickets of the same tenant', async () => {
    const dir = dataDir();
    const pd = await receiver([PAGERDUTY_ACCEPTED]);
    const env = { PAGERDUTY_ROUTING_KEY: 'k', PAGERDUTY_EVENTS_URL: pd.url };
    expect(
      (
        await kaizen(
          ['simulate-canary', '--duration', '2h', '--page-after', '1h', '--data', dir],
          env,
        )
      ).code,
    ).toBe(0);
    const again = await kaizen(
      ['simulate-canary', '--duration', '2h', '--page-after', '1h', '--data', dir],
      env,
    );
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('tenant "canary" has tickets in the last 2h 10m');
    const other = await kaizen(
      [
        'simulate-canary',
        '--duration',
        '2h',
        '--page-after',
        '1h',
        '--tenant',
        'canary-2',
        '--data',
        dir,
      ],
      env,
    );
    expect(other.code).toBe(0);
    expect(pagerDutyIncidents(pd.requests).incidents.size).toBe(2);
  });

  it.each([
    {
      args: ['--duration', 'forever'],
      env: {},
      message:
        '--duration must be a count and a unit s, m, h or d (like 90s, 15m, 3h), got "forever"',
    },
    {
      args: ['--page-after', '3h'],
      env: {},
      message: '--page-after (3h) must be at least 1m shorter than --duration (3h)',
    },
    { args: ['--duration', '2d'], env: {}, message: '--duration is at most 24h' },
    { args: [], env: {}, message: 'no PagerDuty routing key: set PAGERDUTY_ROUTING_KEY' },
    { args: ['--since', '1h'], env: {}, message: '--since does not go with "simulate-canary"' },
  ])('stops with exit code 2 for $args', async ({ args, env, message }) => {
    const dir = dataDir();
    const result = await kaizen(['simulate-canary', ...args, '--data', dir], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(existsSync(path.join(dir, 'console.db'))).toBe(false);
  });
});

describe('kaizen deliver', () => {
  it('sends what an earlier run left in the outbox', async () => {
    const dir = dataDir();
    const db = openDatabase(dir);
    createOutbox({ db }).enqueue({ channel: 'slack', dedupKey: 'left-over', body: { text: 'hi' } });
    db.close();
    const slack = await receiver([SLACK_OK]);
    const result = await kaizen(['deliver', '--data', dir], { SLACK_WEBHOOK_URL: slack.url });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('delivered 1, failed 0, still pending 0');
    expect(result.stderr).toMatch(
      /^\[notify\] slack left-over: sent \(HTTP 200, attempt 1, \d+ ms\)$/,
    );
    expect(slack.requests.map((r) => r.json)).toEqual([{ text: 'hi' }]);
  });

  it('needs a channel', async () => {
    const result = await kaizen(['deliver', '--data', dataDir()]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no channel configured');
  });
});
