import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { computeMttr, mttrByTenant, mttrFromStore, quantile, resolutionStats } from './mttr';
import type { ResolvedSample } from './store';
import { stallTicket, testKaizen } from '../../testing/kaizen-fixtures';
import { T0 } from '../../testing/virtual-clock';
import type { Severity } from './types';
import { parseWindow, trendBucketMs } from './windows';

const HOUR = 3_600_000;

function sample(
  seconds: number,
  resolvedBy: string,
  overrides: Partial<ResolvedSample> = {},
): ResolvedSample {
  const resolvedAtMs = overrides.resolvedAtMs ?? T0;
  return {
    tenantId: 'demo',
    severity: 'critical',
    openedAtMs: resolvedAtMs - seconds * 1000,
    resolvedAtMs,
    resolvedBy,
    ...overrides,
  };
}

describe('statistics', () => {
  it.each([
    {
      name: 'no values',
      values: [],
      expected: { count: 0, meanSeconds: null, medianSeconds: null, p90Seconds: null },
    },
    {
      name: 'one value',
      values: [42],
      expected: { count: 1, meanSeconds: 42, medianSeconds: 42, p90Seconds: 42 },
    },
    {
      name: 'an even count (median between the middle two, p90 interpolated)',
      values: [600, 60, 180, 120],
      expected: { count: 4, meanSeconds: 240, medianSeconds: 150, p90Seconds: 474 },
    },
    {
      name: 'ten values (p90 between the 9th and 10th)',
      values: [1, 2, 3, 4, 5, 6, 7, 8, 9, 100],
      expected: { count: 10, meanSeconds: 14.5, medianSeconds: 5.5, p90Seconds: 18.1 },
    },
  ])('of $name', ({ values, expected }) => {
    const stats = resolutionStats(values);
    expect(stats.count).toBe(expected.count);
    for (const key of ['meanSeconds', 'medianSeconds', 'p90Seconds'] as const) {
      if (expected[key] === null) expect(stats[key]).toBeNull();
      else expect(stats[key]).toBeCloseTo(expected[key], 9);
    }
  });

  it('refuses a quantile of nothing', () => {
    expect(() => quantile([], 0.5)).toThrow(RangeError);
  });
});

describe('MTTR over hand-made tickets', () => {
  const last24h = { tenant: null, window: '24h', toMs: T0 };
  const samples = [
    sample(60, 'auto'),
    sample(120, 'auto'),
    sample(180, 'ana'),
    sample(600, 'bo'),
    sample(30, 'auto', { severity: 'warning' }),
    sample(9999, 'ana', { resolvedAtMs: T0 - 25 * HOUR }), // resolved before the window
  ];

  it('gives count, mean, median and p90 per severity, auto and person apart', () => {
    const report = computeMttr(samples, last24h);
    const critical = report.severities.find((s) => s.severity === 'critical')!;
    expect(critical.all).toMatchObject({ count: 4, meanSeconds: 240, medianSeconds: 150 });
    expect(critical.all.p90Seconds).toBeCloseTo(474, 9);
    expect(critical.auto).toMatchObject({ count: 2, meanSeconds: 90, medianSeconds: 90 });
    expect(critical.auto.p90Seconds).toBeCloseTo(114, 9);
    expect(critical.person).toMatchObject({ count: 2, meanSeconds: 390, medianSeconds: 390 });
    expect(critical.person.p90Seconds).toBeCloseTo(558, 9);
  });

  it('lists every severity, most severe first, empty ones with count 0', () => {
    const report = computeMttr(samples, last24h);
    expect(report.severities.map((s) => [s.severity, s.all.count])).toEqual([
      ['critical', 4],
      ['error', 0],
      ['warning', 1],
      ['info', 0],
    ]);
    expect(report.severities[1]!.all.meanSeconds).toBeNull();
  });

  it.each([
    { window: '1h', bucketMs: 5 * 60_000, points: 12 },
    { window: '24h', bucketMs: HOUR, points: 24 },
    { window: '7d', bucketMs: 24 * HOUR, points: 7 },
    { window: '30d', bucketMs: 24 * HOUR, points: 30 },
  ])(
    'trends a $window window in $points points that hold every ticket',
    ({ window: w, bucketMs, points }) => {
      const windowMs = parseWindow(w);
      expect(trendBucketMs(windowMs)).toBe(bucketMs);
      const recent = [sample(10, 'auto', { resolvedAtMs: T0 - windowMs }), sample(20, 'ana')];
      const report = computeMttr(recent, { tenant: null, window: w, toMs: T0 });
      expect(report.bucketSeconds).toBe(bucketMs / 1000);
      const trend = report.severities[0]!.trend;
      expect(trend).toHaveLength(points);
      expect(trend[0]!.start).toBe(new Date(T0 - windowMs).toISOString());
      expect(trend[0]!.count).toBe(1);
      expect(trend[points - 1]!.count).toBe(1);
      expect(trend[points - 1]!.medianSeconds).toBe(20);
    },
  );

  it('groups per tenant and severity for the gauges', () => {
    const groups = mttrByTenant([
      sample(10, 'auto'),
      sample(30, 'auto'),
      sample(5, 'ana', { tenantId: 'acme', severity: 'error' as Severity }),
    ]);
    expect(groups.map((g) => [g.tenantId, g.severity, g.stats.count, g.stats.meanSeconds])).toEqual(
      [
        ['demo', 'critical', 2, 20],
        ['acme', 'error', 1, 5],
      ],
    );
  });

  it('comes from the store: only tickets resolved in the window, reopened ones not yet', () => {
    const { store, clock } = testKaizen();
    const open = (fingerprint: string) =>
      store.openOrDedup({
        tenantId: 'demo',
        visibility: 'public',
        title: fingerprint,
        severity: 'error',
        source: 'manual',
        fingerprint,
        actor: 'ana',
      }).ticket;
    const a = open('a');
    const b = open('b');
    clock.advance(90_000);
    store.resolve(a.id, { by: 'ana', outcome: 'true_positive' });
    store.resolveIncident('demo', 'b', {});
    clock.advance(60_000);
    open('b'); // reopened inside the window: its resolution no longer counts
    const report = mttrFromStore(store, { tenant: null, window: '1h', toMs: clock.now() });
    expect(report.severities.find((s) => s.severity === 'error')!.all).toMatchObject({
      count: 1,
      meanSeconds: 90,
    });
    expect(b.id).not.toBe(a.id);
  });

  it('counts the open tickets and links the figures of the tenants in scope only', () => {
    const { store } = testKaizen();
    for (const [tenantId, severity] of [
      ['demo', 'warning'],
      ['demo', 'warning'],
      ['acme', 'warning'],
      ['demo', 'info'],
    ] as const) {
      store.openOrDedup({ ...stallTicket({ tenantId, severity }), fingerprint: randomUUID() });
    }
    const visible = new Set(['demo']);
    const all = mttrFromStore(store, { tenants: visible, tenant: null, window: '7d', toMs: T0 });
    expect(all.severities.map((s) => [s.severity, s.open])).toEqual([
      ['critical', 0],
      ['error', 0],
      ['warning', 2],
      ['info', 1],
    ]);
    expect(all.severities[2]!.tickets).toBe(
      '/api/tickets?severity=warning&status=resolved&window=7d&windowOn=resolved',
    );
    const acme = mttrFromStore(store, { tenant: 'acme', window: '7d', toMs: T0 });
    expect(acme).toMatchObject({ tenant: 'acme', window: '7d', to: new Date(T0).toISOString() });
    expect(acme.severities[2]).toMatchObject({
      open: 1,
      tickets:
        '/api/tickets?tenant=acme&severity=warning&status=resolved&window=7d&windowOn=resolved',
    });
  });
});
