// One stream watched in headless Chromium for a window: what the page drew, how late, and what
// it cost the server and the browser.
import type { Page } from '@playwright/test';
import { percentile } from '../../../src/core/stats';
import { procStat } from '../../support/proc-stat';
import { round } from '../../support/round';
import { metricSum, scrapeMetrics } from '../../support/server-metrics';
import { sleep } from '../../support/sleep';
import type { PageProbe, ProbeDraw, ProbeFrame } from './page-probe';
import { cpuSecondsBetween, cpuSecondsOf, descendantsOf } from './process-tree';

export interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
  max: number;
  samples: number;
}

function percentiles(values: number[]): Percentiles {
  return {
    p50: round(percentile(values, 0.5), 2),
    p95: round(percentile(values, 0.95), 2),
    p99: round(percentile(values, 0.99), 2),
    max: round(values.length ? Math.max(...values) : 0, 2),
    samples: values.length,
  };
}

/** Frames drawn in each whole second of the window, from their drawn times. */
function perSecond(timesMs: number[], fromMs: number, seconds: number): number[] {
  const bins = new Array<number>(seconds).fill(0);
  for (const t of timesMs) {
    const bin = Math.floor((t - fromMs) / 1000);
    if (bin >= 0 && bin < seconds) bins[bin]! += 1;
  }
  return bins;
}

export interface StreamWindow {
  tenant: string;
  seconds: number;
  fpsDrawn: { median: number; perSecond: number[]; mean: number };
  framesReceivedPerSecond: number;
  animationFps: { median: number; samples: number[] };
  latencyMs: { producedToDecoded: Percentiles; producedToDrawn: Percentiles };
  decodeMs: Percentiles;
  bytes: {
    savedRatio: number;
    meanWireBytesPerFrame: number;
    rawBytesPerFrame: number;
    serverBytesSavedPerSecond: number;
  };
  cpuPercentOfCore: { server: number; browser: number };
  streamFramesPerSecond: number;
  phaseViz: Record<string, unknown>;
}

export async function measureWindow(options: {
  page: Page;
  url: string;
  tenant: string;
  seconds: number;
  serverPid: number;
  /** The scrape secret as an Authorization header (E2eServer.metricsAuthorization). */
  metricsAuthorization: string;
}): Promise<StreamWindow> {
  const { page, url, tenant, seconds, serverPid, metricsAuthorization } = options;
  const browserPids = () => descendantsOf(process.pid, [serverPid]);
  const startMetrics = await scrapeMetrics(url, metricsAuthorization);
  const serverBefore = procStat(serverPid);
  const browserBefore = cpuSecondsOf(browserPids());
  const fromMs = await page.evaluate(() => {
    window.e2eProbe!.recording = true;
    return performance.timeOrigin + performance.now();
  });
  const startedMs = performance.now();
  const fps: number[] = [];
  for (let s = 0; s < seconds; s++) {
    await sleep(1000);
    fps.push(await page.evaluate(() => window.phaseViz?.fps ?? 0));
  }
  const { received, drawn, phaseViz } = await page.evaluate(() => {
    const probe = window.e2eProbe as PageProbe;
    probe.recording = false;
    return { received: probe.received, drawn: probe.drawn, phaseViz: { ...window.phaseViz } };
  });
  const windowS = (performance.now() - startedMs) / 1000;
  const serverAfter = procStat(serverPid);
  const browserAfter = cpuSecondsOf(browserPids());
  const endMetrics = await scrapeMetrics(url, metricsAuthorization);
  const label = { tenant_id: tenant };
  const saved =
    metricSum(endMetrics, 'delta_bytes_saved_total', label) -
    metricSum(startMetrics, 'delta_bytes_saved_total', label);

  const drawnPerSecond = perSecond(
    drawn.map((d: ProbeDraw) => d.drawnAtMs),
    fromMs,
    seconds,
  );
  const toDecoded = received.flatMap((f: ProbeFrame) =>
    f.latencyMs === null ? [] : [f.latencyMs],
  );
  const toDrawn = drawn.flatMap((d: ProbeDraw) =>
    d.latencyMs === null ? [] : [d.latencyMs + (d.drawnAtMs - d.decodedAtMs)],
  );
  const wire = received.reduce((s: number, f: ProbeFrame) => s + f.wireBytes, 0);
  const raw = received.reduce((s: number, f: ProbeFrame) => s + f.rawBytes, 0);
  const indices = received.map((f: ProbeFrame) => f.frameIndex);
  return {
    tenant,
    seconds: round(windowS, 2),
    fpsDrawn: {
      median: percentile(drawnPerSecond, 0.5),
      perSecond: drawnPerSecond,
      mean: round(drawn.length / windowS, 1),
    },
    framesReceivedPerSecond: round(received.length / windowS, 1),
    animationFps: { median: percentile(fps, 0.5), samples: fps },
    latencyMs: { producedToDecoded: percentiles(toDecoded), producedToDrawn: percentiles(toDrawn) },
    decodeMs: percentiles(received.map((f: ProbeFrame) => f.decodeMs)),
    bytes: {
      savedRatio: raw > 0 ? round(1 - wire / raw, 4) : 0,
      meanWireBytesPerFrame: received.length ? Math.round(wire / received.length) : 0,
      rawBytesPerFrame: received.length ? received[0]!.rawBytes : 0,
      serverBytesSavedPerSecond: Math.round(saved / windowS),
    },
    cpuPercentOfCore: {
      server:
        serverBefore && serverAfter
          ? round((100 * (serverAfter.cpuSeconds - serverBefore.cpuSeconds)) / windowS, 1)
          : -1,
      browser: round((100 * cpuSecondsBetween(browserBefore, browserAfter)) / windowS, 1),
    },
    // Frames the source made per second: for a live tenant the simulator's pace (it skips when
    // it cannot keep up), for a replay the trace's frames as played (they wrap).
    streamFramesPerSecond:
      indices.length > 1 && indices.at(-1)! > indices[0]!
        ? round((indices.at(-1)! - indices[0]!) / windowS, 1)
        : round(received.length / windowS, 1),
    phaseViz,
  };
}
