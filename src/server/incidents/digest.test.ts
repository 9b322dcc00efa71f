import { describe, expect, it } from 'vitest';
import { buildDigest, digestDedupKey, formatDuration } from './digest';
import { digestSlackMessage } from './digest-slack';
import type { OpenTicketInput } from './store';
import { testKaizen } from '../../testing/kaizen-fixtures';
import { T0 } from '../../testing/virtual-clock';

const H = 3_600_000;

function seeded() {
  const k = testKaizen();
  const { store, clock } = k;
  const open = (atMs: number, input: Partial<OpenTicketInput>) => {
    clock.set(atMs);
    return store.openOrDedup({
      tenantId: 'demo',
      visibility: 'public',
      title: 'Latency <p95> & jitter',
      severity: 'critical',
      source: 'alertmanager',
      fingerprint: 'alertmanager:fp-a',
      actor: 'alertmanager',
      ...input,
    }).ticket;
  };
  const resolve = (id: number, atMs: number) => {
    clock.set(atMs);
    store.resolve(id, { by: 'ana', outcome: 'true_positive' });
  };
  // Before the window: resolved two days ago (left out), and one still open since then.
  const gone = open(T0 - 72 * H, { title: 'Gone', fingerprint: 'manual:gone', source: 'manual' });
  resolve(gone.id, T0 - 48 * H);
  open(T0 - 48 * H, {
    title: 'Old incident',
    severity: 'error',
    fingerprint: 'manual:old',
    source: 'manual',
  });
  // In the window [T0, T0 + 24h]: the same alert twice, resolved in 120 s and 60 s...
  resolve(open(T0 + 1 * H, {}).id, T0 + 1 * H + 120_000);
  resolve(open(T0 + 3 * H, {}).id, T0 + 3 * H + 60_000);
  // ...and a warning of another tenant, acknowledged, still open.
  const warn = open(T0 + 20 * H, {
    tenantId: 'live',
    title: 'Order parameter low',
    severity: 'warning',
    fingerprint: 'detector:order-parameter-low:live',
    source: 'detector',
  });
  clock.set(T0 + 21 * H);
  store.acknowledge(warn.id, 'bo');
  return k;
}

describe('the digest', () => {
  it('counts opened, resolved and still-open tickets, with MTTR and the worst offenders', () => {
    const k = seeded();
    const digest = buildDigest(k.store, { window: '24h', windowMs: 24 * H, nowMs: T0 + 24 * H });
    expect(digest).toMatchObject({ opened: 3, resolved: 2, stillOpen: 2, tickets: 4 });
    expect(digest.mttr.all).toMatchObject({ count: 2, meanSeconds: 90 });
    expect(digest.mttr.severities.map((s) => [s.severity, s.stats.count])).toEqual([
      ['critical', 2],
    ]);
    expect(digest.offenders.map((o) => [o.title, o.tickets, o.openMs])).toEqual([
      ['Latency <p95> & jitter', 2, 180_000],
      ['Old incident', 1, 24 * H],
      ['Order parameter low', 1, 4 * H],
    ]);
    expect(digest.open.map((t) => t.title)).toEqual(['Old incident', 'Order parameter low']);
  });

  it('keeps to one tenant when asked', () => {
    const digest = buildDigest(seeded().store, {
      tenant: 'live',
      window: '24h',
      windowMs: 24 * H,
      nowMs: T0 + 24 * H,
    });
    expect(digest).toMatchObject({ tenant: 'live', opened: 1, resolved: 0, stillOpen: 1 });
    expect(digest.mttr.all.count).toBe(0);
  });

  it('is empty when no ticket was opened or resolved in the window and none is open', () => {
    const k = testKaizen();
    const digest = buildDigest(k.store, { window: '24h', windowMs: 24 * H, nowMs: T0 });
    expect(digest).toMatchObject({ tickets: 0, opened: 0, resolved: 0, stillOpen: 0 });
  });

  it('is one Slack message: blocks plus a text fallback, ticket text escaped', () => {
    const digest = buildDigest(seeded().store, {
      window: '24h',
      windowMs: 24 * H,
      nowMs: T0 + 24 * H,
    });
    expect(digestSlackMessage(digest, { consoleUrl: 'https://console.example/' })).toEqual({
      text:
        'Kaizen digest (all tenants, last 24h): 3 opened, 2 resolved, 2 still open; ' +
        'MTTR 1m 30s over 2 tickets. Worst: Latency &lt;p95&gt; &amp; jitter (2 tickets)',
      blocks: [
        {
          type: 'header',
          text: { type: 'plain_text', text: 'Kaizen digest: all tenants, last 24h' },
        },
        {
          type: 'section',
          fields: [
            { type: 'mrkdwn', text: '*Opened*\n3' },
            { type: 'mrkdwn', text: '*Resolved*\n2' },
            { type: 'mrkdwn', text: '*Still open*\n2' },
            { type: 'mrkdwn', text: '*MTTR*\n1m 30s over 2 tickets' },
          ],
        },
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: '*MTTR by severity*\n• critical: 1m 30s mean, 1m 30s median, 2 tickets',
          },
        },
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text:
              '*Worst offenders*\n' +
              '1. Latency &lt;p95&gt; &amp; jitter (demo, critical): 2 tickets, open 3m, latest <https://console.example/?view=tickets&amp;ticket=4|#4>\n' +
              '2. Old incident (demo, error): 1 ticket, open 1d, latest <https://console.example/?view=tickets&amp;ticket=2|#2>\n' +
              '3. Order parameter low (live, warning): 1 ticket, open 4h, latest <https://console.example/?view=tickets&amp;ticket=5|#5>',
          },
        },
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text:
              '*Still open*\n' +
              '• <https://console.example/?view=tickets&amp;ticket=2|#2> error · demo · Old incident · open 3d\n' +
              '• <https://console.example/?view=tickets&amp;ticket=5|#5> warning · live · Order parameter low · open 4h · acknowledged',
          },
        },
        {
          type: 'context',
          elements: [
            {
              type: 'mrkdwn',
              text: '2026-03-01 12:00 to 2026-03-02 12:00 UTC · digest kaizen-digest/all/24h/2026-03-02',
            },
          ],
        },
      ],
    });
  });

  it('names tickets without links when the console URL is unknown, and says "and N more"', () => {
    const digest = buildDigest(seeded().store, {
      window: '24h',
      windowMs: 24 * H,
      nowMs: T0 + 24 * H,
      listOpen: 1,
    });
    const text = JSON.stringify(digestSlackMessage(digest));
    expect(text).toContain('• #2 error · demo · Old incident · open 3d\\n…and 1 more');
    expect(text).not.toContain('<http');
  });

  it('clips a section at Slack’s limit without cutting an escape in two', () => {
    const k = testKaizen();
    for (let i = 0; i < 20; i++) {
      k.store.openOrDedup({
        tenantId: 'demo',
        visibility: 'public',
        title: '<'.repeat(200),
        severity: 'info',
        source: 'manual',
        fingerprint: `manual:${i}`,
        actor: 'ana',
      });
    }
    const digest = buildDigest(k.store, { window: '1h', windowMs: H, nowMs: T0, listOpen: 100 });
    const still = digestSlackMessage(digest).blocks.find(
      (b) => b.type === 'section' && b.text?.text.startsWith('*Still open*'),
    );
    const text = still?.type === 'section' ? still.text!.text : '';
    expect(text.length).toBeLessThanOrEqual(3000);
    expect(text.length).toBeGreaterThan(2990);
    expect(text).toMatch(/&lt;…$/);
  });

  it.each([
    { seconds: 0.84, text: '0.8s' },
    { seconds: 45.4, text: '45s' },
    { seconds: 250, text: '4m 10s' },
    { seconds: 8999, text: '2h 29m' },
    { seconds: 7200, text: '2h' },
    { seconds: 120.4, text: '2m' },
    { seconds: 277_200, text: '3d 5h' },
  ])('writes $seconds s as $text', ({ seconds, text }) => {
    expect(formatDuration(seconds)).toBe(text);
  });

  it('has one dedup key per scope, window and UTC day', () => {
    expect(digestDedupKey({ tenant: null, window: '24h', toMs: T0 })).toBe(
      'kaizen-digest/all/24h/2026-03-01',
    );
    expect(digestDedupKey({ tenant: 'demo', window: '7d', toMs: T0 + 12 * H })).toBe(
      'kaizen-digest/demo/7d/2026-03-02',
    );
  });
});
