import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { writePatternTrace } from '../testing/pattern-trace';
import { tempDir } from '../testing/temp-dir';
import { startTestServer } from '../testing/test-server';
import { createServerMetrics } from './metrics';

/** The value of one series in the Prometheus text output, or undefined when absent. */
async function scrape(
  metrics: ReturnType<typeof createServerMetrics>,
  name: string,
  tenant: string,
): Promise<number | undefined> {
  const text = await metrics.registry.metrics();
  const line = text.split('\n').find((l) => l.startsWith(`${name}{tenant_id="${tenant}"} `));
  return line === undefined ? undefined : Number(line.split(' ')[1]);
}

describe('server metrics', () => {
  it('publishes the send counters from the per-tenant totals at each scrape', async () => {
    const metrics = createServerMetrics();
    const demo = metrics.forTenant('demo');
    const other = metrics.forTenant('other');
    demo.frameSent(2_000, 24_000);
    demo.frameSent(30_000, 24_000); // larger than raw: nothing saved, the counter does not drop
    other.frameSent(100, 512);
    demo.frameSkipped();
    demo.resync();

    expect(await scrape(metrics, 'ws_frames_sent_total', 'demo')).toBe(2);
    expect(await scrape(metrics, 'ws_bytes_sent_total', 'demo')).toBe(32_000);
    expect(await scrape(metrics, 'delta_bytes_saved_total', 'demo')).toBe(22_000);
    expect(await scrape(metrics, 'ws_frames_skipped_total', 'demo')).toBe(1);
    expect(await scrape(metrics, 'ws_resyncs_total', 'demo')).toBe(1);
    expect(await scrape(metrics, 'delta_bytes_saved_total', 'other')).toBe(412);

    // A second scrape adds only what was sent since the first, and never counts twice.
    expect(await scrape(metrics, 'ws_frames_sent_total', 'demo')).toBe(2);
    demo.frameSent(1_000, 24_000);
    expect(await scrape(metrics, 'ws_frames_sent_total', 'demo')).toBe(3);
    expect(await scrape(metrics, 'delta_bytes_saved_total', 'demo')).toBe(45_000);
    expect(demo.totals).toMatchObject({ framesSent: 3, bytesSent: 33_000, bytesSaved: 45_000 });
  });

  it('agrees between the text exposition and the JSON the tenant route reads', async () => {
    const metrics = createServerMetrics();
    metrics.forTenant('demo').frameSent(500, 24_000);
    const json = await metrics.registry.getMetricsAsJSON();
    const saved = json.find((m) => m.name === 'delta_bytes_saved_total');
    expect(saved?.values).toEqual([{ value: 23_500, labels: { tenant_id: 'demo' } }]);
    expect(await scrape(metrics, 'delta_bytes_saved_total', 'demo')).toBe(23_500);
  });

  it('keeps fan-out times in a histogram per tenant', async () => {
    const metrics = createServerMetrics();
    const demo = metrics.forTenant('demo');
    demo.observeFanOut(0.8);
    demo.observeFanOut(4);
    demo.observeFanOut(-0.01); // clock rounding: counted as 0
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/^ws_fanout_seconds_count\{tenant_id="demo"\} 3$/m);
    expect(text).toMatch(/^ws_fanout_seconds_bucket\{le="0.001",tenant_id="demo"\} 2$/m);
    expect(text).toMatch(/^ws_fanout_seconds_bucket\{le="0.005",tenant_id="demo"\} 3$/m);
  });

  it('times each encode in a histogram per tenant and sums the process totals', async () => {
    const metrics = createServerMetrics();
    metrics.forTenant('demo').observeEncode(0.3);
    metrics.forTenant('live').observeEncode(3);
    metrics.forTenant('live').frameSent(1000, 5000);
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/^codec_encode_cpu_seconds_count\{tenant_id="live"\} 1$/m);
    expect(text).toMatch(/^codec_encode_cpu_seconds_bucket\{le="0.0005",tenant_id="demo"\} 1$/m);
    expect(metrics.processTotals()).toEqual({ bytesSent: 1000, encodes: 2, encodeCpuMs: 3.3 });
  });

  it("hears the encodes of a real server's replay stream", async () => {
    const trace = path.join(tempDir('encode'), 'pattern.bin');
    await writePatternTrace(trace, 16, 8, 30);
    const server = await startTestServer(trace);
    try {
      await vi.waitFor(() => expect(server.metrics.processTotals().encodes).toBeGreaterThan(3), {
        timeout: 10_000,
      });
      const text = await server.metrics.registry.metrics();
      expect(text).toMatch(/^codec_encode_cpu_seconds_count\{tenant_id="demo"\} [1-9]/m);
    } finally {
      await server.close();
    }
  });

  it("takes a second of latencies as the median over clients of each client's p95", async () => {
    const metrics = createServerMetrics();
    const seconds: { tenant: string; p95Ms: number; clients: number }[] = [];
    metrics.onLatencySecond((tenant, second) => seconds.push({ tenant, ...second }));
    const demo = metrics.forTenant('demo');
    const honest = [{}, {}, {}];
    const forger = {};
    honest.forEach((client, i) => demo.observeLatency(Array(60).fill(2 + i), client));
    demo.observeLatency(Array(240).fill(59_999), forger);
    metrics.sampleBandwidth(1_000);
    // One forger among four clients: the median of 2, 3, 4 and 10,000 (clamped) is 3.
    expect(metrics.latencySamples('demo', 60)).toEqual([
      { atMs: 1_000, p95Ms: 3, count: 420, clients: 4 },
    ]);
    expect(seconds).toEqual([{ tenant: 'demo', atMs: 1_000, p95Ms: 3, count: 420, clients: 4 }]);
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/^mcp_message_latency_seconds_count\{tenant_id="demo"\} 1$/m);
    expect(text).toMatch(/^mcp_message_latency_seconds_bucket\{le="0.003",tenant_id="demo"\} 1$/m);
    expect(text).toMatch(/^mcp_latency_reporting_clients\{tenant_id="demo"\} 4$/m);
  });

  it('clamps what a lone client reports, and takes the smaller figure of two clients', () => {
    const metrics = createServerMetrics();
    const demo = metrics.forTenant('demo');
    demo.observeLatency([59_999, -5, 59_999], {});
    metrics.sampleBandwidth(1_000);
    expect(metrics.latencySamples('demo', 60)[0]).toMatchObject({ p95Ms: 10_000, clients: 1 });
    demo.observeLatency(Array(60).fill(59_999), {});
    demo.observeLatency(Array(60).fill(4), {});
    metrics.sampleBandwidth(2_000);
    expect(metrics.latencySamples('demo', 60)[1]).toMatchObject({ p95Ms: 4, clients: 2 });
    // A second without reports adds nothing.
    metrics.sampleBandwidth(3_000);
    expect(metrics.latencySamples('demo', 60)).toHaveLength(2);
  });

  it("bounds what one client's reports of a second can hold", () => {
    const metrics = createServerMetrics();
    const demo = metrics.forTenant('demo');
    const client = {};
    for (let i = 0; i < 100; i++) demo.observeLatency(Array(240).fill(1), client);
    metrics.sampleBandwidth(1_000);
    expect(metrics.latencySamples('demo', 60)[0]).toMatchObject({ count: 480, clients: 1 });
  });
});
