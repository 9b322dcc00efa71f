// The server's /metrics, scraped and summed, for benchmarks that read what the server counted.
import { readSecret } from '../../src/server/secrets';

/** Prometheus text format, as {name, labels, value} rows (enough for counters and gauges). */
export interface MetricSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export function parseMetrics(text: string): MetricSample[] {
  const samples: MetricSample[] = [];
  for (const line of text.split('\n')) {
    if (line.length === 0 || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const pair of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[pair[1]!] = pair[2]!;
    }
    samples.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return samples;
}

/** The server's scrape secret as an Authorization header: read from its data directory. */
export function metricsAuthorization(dataDir: string): string {
  return `Bearer ${readSecret(dataDir, 'metrics')}`;
}

/** `authorization`: the scrape secret (metricsAuthorization), which /metrics needs by default. */
export async function scrapeMetrics(url: string, authorization?: string): Promise<MetricSample[]> {
  const res = await fetch(`${url}/metrics`, {
    headers: authorization === undefined ? {} : { authorization },
    signal: AbortSignal.timeout(10_000),
  });
  if (res.status === 401) {
    throw new Error(
      '[bench] GET /metrics answered 401: give the scrape secret (METRICS_SECRET, from ' +
        '"npm run admin -- secret show metrics" on the server\'s data directory)',
    );
  }
  if (res.status !== 200) throw new Error(`[bench] GET /metrics answered ${res.status}`);
  return parseMetrics(await res.text());
}

/** Sum of a metric's series, optionally only those whose labels match. */
export function metricSum(
  samples: readonly MetricSample[],
  name: string,
  labels: Record<string, string> = {},
): number {
  let sum = 0;
  for (const s of samples) {
    if (s.name !== name) continue;
    if (Object.entries(labels).every(([k, v]) => s.labels[k] === v)) sum += s.value;
  }
  return sum;
}
