import { describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { registerKaizenMetrics } from './metrics';
import { testKaizen } from '../../testing/kaizen-fixtures';
import { T0 } from '../../testing/virtual-clock';
import type { OpenTicketInput } from './store';

const MIN = 60_000;

function input(fingerprint: string, overrides: Partial<OpenTicketInput> = {}): OpenTicketInput {
  return {
    tenantId: 'demo',
    visibility: 'public',
    title: fingerprint,
    severity: 'critical',
    source: 'detector',
    fingerprint,
    actor: 'detector',
    ...overrides,
  };
}

/** The value of one sample of the exposition text, or undefined. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('Kaizen metrics', () => {
  function scenario() {
    const k = testKaizen();
    const registry = new Registry();
    const stop = registerKaizenMetrics(registry, k);
    const { store, clock } = k;
    // critical: resolved after 60 s (auto), 120 s and 600 s (people); one still open.
    const a = store.openOrDedup(input('a')).ticket;
    const b = store.openOrDedup(input('b')).ticket;
    const c = store.openOrDedup(input('c')).ticket;
    clock.advance(MIN);
    store.resolveIncident('demo', 'a', {});
    clock.advance(MIN);
    store.resolve(b.id, { by: 'ana', outcome: 'true_positive' });
    clock.advance(8 * MIN);
    store.resolve(c.id, { by: 'bo', outcome: 'false_positive' });
    store.openOrDedup(input('d', { severity: 'warning', tenantId: 'acme' }));
    k.detector.setTenantSlo('acme', 12);
    return { ...k, registry, stop, ids: [a.id, b.id, c.id] };
  }

  it.each([
    ['kaizen_mttr_seconds{tenant_id="demo",severity="critical",stat="mean",window="24h"}', 260],
    ['kaizen_mttr_seconds{tenant_id="demo",severity="critical",stat="median",window="24h"}', 120],
    ['kaizen_mttr_seconds{tenant_id="demo",severity="critical",stat="p90",window="1h"}', 504],
    ['kaizen_resolved_tickets{tenant_id="demo",severity="critical",window="7d"}', 3],
    ['kaizen_open_tickets{tenant_id="acme",severity="warning",status="open"}', 1],
    ['kaizen_latency_slo_seconds{tenant_id="acme"}', 0.012],
    [
      'kaizen_resolution_seconds_count{tenant_id="demo",severity="critical",resolved_by="person"}',
      2,
    ],
    [
      'kaizen_resolution_seconds_bucket{le="60",tenant_id="demo",severity="critical",resolved_by="auto"}',
      1,
    ],
    [
      'kaizen_resolution_seconds_bucket{le="300",tenant_id="demo",severity="critical",resolved_by="person"}',
      1,
    ],
    ['kaizen_alerts_total{tenant_id="demo",outcome="true_positive"}', 1],
    ['kaizen_alerts_total{tenant_id="demo",outcome="false_positive"}', 1],
  ])('exports %s = %s', async (series, value) => {
    const { registry } = scenario();
    const text = await registry.metrics();
    expect(sample(text, series)).toBeCloseTo(value, 9);
  });

  it('computes the gauges at scrape time: tickets leave the window as the clock moves', async () => {
    const { registry, clock } = scenario();
    const series = 'kaizen_resolved_tickets{tenant_id="demo",severity="critical",window="1h"}';
    expect(sample(await registry.metrics(), series)).toBe(3);
    clock.set(T0 + 2 * 60 * MIN);
    expect(sample(await registry.metrics(), series)).toBeUndefined();
    expect(
      sample(
        await registry.metrics(),
        'kaizen_resolved_tickets{tenant_id="demo",severity="critical",window="24h"}',
      ),
    ).toBe(3);
  });

  it('counts nothing of a rolled-back resolution, and stops counting when asked', async () => {
    const { registry, store, stop } = scenario();
    const series =
      'kaizen_resolution_seconds_count{tenant_id="acme",severity="warning",resolved_by="auto"}';
    expect(() =>
      store.transaction(() => {
        store.resolveIncident('acme', 'd', {});
        throw new Error('rolled back');
      }),
    ).toThrow();
    expect(sample(await registry.metrics(), series)).toBeUndefined();
    stop();
    store.resolveIncident('acme', 'd', {});
    expect(sample(await registry.metrics(), series)).toBeUndefined();
  });
});
