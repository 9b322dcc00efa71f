import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSourceEncoder } from '../stream/source-encoder';
import type { FrameSource, SourceFrame } from '../stream/source';
import { createDetector, detectorFingerprint, type Detector } from './detector';
import {
  DEFAULT_RULES,
  parseDetectorRules,
  RulesError,
  type DetectorRules,
} from './detector-rules';
import { tapFramesForDetector } from './frame-tap';
import { testKaizen } from '../../testing/kaizen-fixtures';
import type { VirtualClock } from '../../testing/virtual-clock';

const FRAME_MS = 1000 / 60;
const EVAL_MS = DEFAULT_RULES.evaluationIntervalMs;

/**
 * Runs virtual time forward: frames at 60 per second while `frames`, an evaluation every
 * 250 ms, as the server's timer would. Returns the time reached.
 */
function run(
  detector: Detector,
  clock: VirtualClock,
  forMs: number,
  stream: {
    frames: boolean;
    r?: number;
    /** Each frame's fan-out on the server. */
    latencyMs?: number;
    /** The clients' figure each second, as ServerMetrics hands it on. */
    clientSecond?: { p95Ms: number; count: number; clients: number };
    tenant?: string;
  },
): void {
  const tenant = stream.tenant ?? 'demo';
  const endMs = clock.now() + forMs;
  let nextFrameMs = clock.now();
  let nextEvalMs = clock.now() + EVAL_MS;
  let nextSecondMs = clock.now() + 1000;
  while (true) {
    const t = Math.min(nextFrameMs, nextEvalMs, nextSecondMs);
    if (t > endMs) break;
    clock.set(t);
    if (t === nextSecondMs) {
      if (stream.clientSecond) detector.observeLatencySecond(tenant, stream.clientSecond);
      nextSecondMs += 1000;
    } else if (t === nextFrameMs) {
      if (stream.frames) {
        detector.observeFrame(tenant, t, stream.r);
        if (stream.latencyMs !== undefined) detector.observeFanOut(tenant, stream.latencyMs);
      }
      nextFrameMs += FRAME_MS;
    } else {
      detector.evaluate(t);
      nextEvalMs += EVAL_MS;
    }
  }
  clock.set(endMs);
}

function setup(rules: Partial<DetectorRules> = {}, reopenWindowMs?: number) {
  const k = testKaizen({
    config: {
      rules: parseDetectorRules(rules),
      ...(reopenWindowMs === undefined ? {} : { reopenWindowMs }),
    },
  });
  k.detector.registerStream('demo', 'public');
  return k;
}

function tickets(k: ReturnType<typeof setup>) {
  return k.store.list({}, { limit: 100 }).tickets;
}

describe('stream stalled', () => {
  it('opens a critical ticket within the stall duration plus one evaluation, and resolves it when frames resume', () => {
    const k = setup();
    run(k.detector, k.clock, 5000, { frames: true });
    expect(tickets(k)).toHaveLength(0);
    const lastFrameMs = k.clock.now();
    run(k.detector, k.clock, 10_000, { frames: false });
    const [ticket] = tickets(k);
    expect(ticket).toMatchObject({
      severity: 'critical',
      source: 'detector',
      status: 'open',
      visibility: 'public',
      fingerprint: detectorFingerprint('stream-stalled', 'demo'),
    });
    const detectedAfterMs = ticket!.openedAtMs - lastFrameMs;
    expect(detectedAfterMs).toBeGreaterThanOrEqual(2000);
    expect(detectedAfterMs).toBeLessThanOrEqual(2000 + EVAL_MS);

    run(k.detector, k.clock, 1000, { frames: true });
    const [resolved] = tickets(k);
    expect(resolved).toMatchObject({ id: ticket!.id, status: 'resolved', resolvedBy: 'auto' });
    expect(resolved!.resolvedAtMs! - ticket!.openedAtMs).toBeLessThanOrEqual(8000 + EVAL_MS);
  });

  it('records a stall that no evaluation saw (the process was frozen) when frames resume, and resolves it at the next evaluation', () => {
    const k = setup();
    run(k.detector, k.clock, 1000, { frames: true });
    const frozenAtMs = k.clock.now();
    // SIGSTOP: neither frames nor evaluations for 3 s; on SIGCONT the stream's timer runs first.
    k.clock.set(frozenAtMs + 3000);
    k.detector.observeFrame('demo', k.clock.now());
    const [ticket] = tickets(k);
    expect(ticket).toMatchObject({
      status: 'open',
      severity: 'critical',
      fingerprint: detectorFingerprint('stream-stalled', 'demo'),
    });
    run(k.detector, k.clock, 500, { frames: true });
    expect(tickets(k)[0]).toMatchObject({ id: ticket!.id, status: 'resolved', resolvedBy: 'auto' });
  });

  it.each([
    { name: 'a gap shorter than the stall duration', gapMs: 1900, enabled: true },
    { name: 'a long gap while the rule is disabled', gapMs: 5000, enabled: false },
  ])('records no stall for $name', ({ gapMs, enabled }) => {
    const k = setup({ streamStalled: { ...DEFAULT_RULES.streamStalled, enabled } });
    run(k.detector, k.clock, 1000, { frames: true });
    k.clock.set(k.clock.now() + gapMs);
    k.detector.observeFrame('demo', k.clock.now());
    run(k.detector, k.clock, 500, { frames: true });
    expect(tickets(k)).toHaveLength(0);
  });

  it('holds one ticket for one long stall (no duplicate per evaluation)', () => {
    const k = setup();
    run(k.detector, k.clock, 60_000, { frames: false });
    expect(tickets(k)).toHaveLength(1);
    expect(k.store.get(tickets(k)[0]!.id)!.events.map((e) => e.kind)).toEqual(['opened']);
  });

  it.each([
    {
      name: 'within the reopen window reopens the same ticket',
      gapMs: 5 * 60_000,
      count: 1,
      kind: 'reopened',
    },
    {
      name: 'after the reopen window opens a new one',
      gapMs: 11 * 60_000,
      count: 2,
      kind: 'opened',
    },
  ])('flapping $name', ({ gapMs, count, kind }) => {
    const k = setup();
    run(k.detector, k.clock, 3000, { frames: false });
    run(k.detector, k.clock, gapMs, { frames: true });
    run(k.detector, k.clock, 3000, { frames: false });
    const list = tickets(k);
    expect(list).toHaveLength(count);
    expect(list[0]!.status).toBe('open');
    expect(k.store.get(list[0]!.id)!.events.at(-1)!.kind).toBe(kind);
  });

  it('follows a configured stall duration', () => {
    const k = setup({ streamStalled: { enabled: true, afterMs: 10_000, severity: 'error' } });
    run(k.detector, k.clock, 9000, { frames: false });
    expect(tickets(k)).toHaveLength(0);
    run(k.detector, k.clock, 1500, { frames: false });
    expect(tickets(k)[0]!.severity).toBe('error');
  });

  it('stays quiet when the rule is disabled', () => {
    const k = setup({ streamStalled: { ...DEFAULT_RULES.streamStalled, enabled: false } });
    run(k.detector, k.clock, 10_000, { frames: false });
    expect(tickets(k)).toHaveLength(0);
  });
});

describe('order parameter below threshold', () => {
  const rules = {
    orderParameterLow: { ...DEFAULT_RULES.orderParameterLow, threshold: 0.3, forMs: 5000 },
  };

  it.each([
    { name: 'stays quiet for a dip shorter than the duration', lowMs: 4000, fired: false },
    {
      name: 'fires a warning for a dip as long as the duration',
      lowMs: 5000 + EVAL_MS,
      fired: true,
    },
  ])('$name', ({ lowMs, fired }) => {
    const k = setup(rules);
    run(k.detector, k.clock, 2000, { frames: true, r: 0.9 });
    run(k.detector, k.clock, lowMs, { frames: true, r: 0.1 });
    const list = tickets(k);
    expect(list).toHaveLength(fired ? 1 : 0);
    if (fired) expect(list[0]).toMatchObject({ severity: 'warning', status: 'open' });
  });

  it('resolves when R recovers', () => {
    const k = setup(rules);
    run(k.detector, k.clock, 6000, { frames: true, r: 0.1 });
    run(k.detector, k.clock, 1000, { frames: true, r: 0.8 });
    expect(tickets(k)[0]).toMatchObject({ status: 'resolved', resolvedBy: 'auto' });
  });
});

describe('latency above SLO', () => {
  const rules = {
    latencyAboveSlo: {
      ...DEFAULT_RULES.latencyAboveSlo,
      forMs: 3000,
      windowMs: 2000,
      minSamples: 20,
    },
  };

  it.each([
    {
      name: 'fires an error when p95 stays above the default 7 ms',
      latencyMs: 12,
      sloMs: undefined,
      fired: true,
    },
    { name: 'stays quiet under the default SLO', latencyMs: 5, sloMs: undefined, fired: false },
    { name: "uses the tenant's own SLO", latencyMs: 12, sloMs: 20, fired: false },
    { name: 'fires against a tight tenant SLO', latencyMs: 5, sloMs: 2, fired: true },
  ])('$name', ({ latencyMs, sloMs, fired }) => {
    const k = setup(rules);
    if (sloMs !== undefined) k.detector.setTenantSlo('demo', sloMs);
    run(k.detector, k.clock, 6000, { frames: true, latencyMs });
    const list = tickets(k);
    expect(list).toHaveLength(fired ? 1 : 0);
    if (fired) expect(list[0]!.severity).toBe('error');
  });

  it('does not judge a p95 from fewer samples than configured', () => {
    const k = setup(rules);
    for (let i = 0; i < 19; i++) k.detector.observeFanOut('demo', 100);
    run(k.detector, k.clock, 6000, { frames: true });
    expect(tickets(k)).toHaveLength(0);
    expect(k.detector.health()[0]!.latencyQuantileMs).toBeNull();
  });

  it('resolves when latency recovers', () => {
    const k = setup(rules);
    run(k.detector, k.clock, 6000, { frames: true, latencyMs: 12 });
    run(k.detector, k.clock, 3000, { frames: true, latencyMs: 1 });
    expect(tickets(k)[0]).toMatchObject({ status: 'resolved', resolvedBy: 'auto' });
  });

  it('fires on what the clients report when enough clients agree', () => {
    const k = setup(rules);
    run(k.detector, k.clock, 6000, {
      frames: true,
      latencyMs: 0.5,
      clientSecond: { p95Ms: 12, count: 120, clients: 2 },
    });
    expect(tickets(k)).toHaveLength(1);
    expect(k.detector.health()[0]!.latencyQuantileMs).toBe(12);
  });

  it('never fires on one client, whatever it reports', () => {
    const k = setup(rules);
    run(k.detector, k.clock, 30_000, {
      frames: true,
      latencyMs: 0.5,
      clientSecond: { p95Ms: 59_999, count: 240, clients: 1 },
    });
    expect(tickets(k)).toHaveLength(0);
    expect(k.detector.health()[0]!.latencyQuantileMs).toBe(0.5);
  });

  it('needs minSamples reported in the window before judging the clients', () => {
    const k = setup(rules);
    run(k.detector, k.clock, 6000, {
      frames: false,
      clientSecond: { p95Ms: 12, count: 5, clients: 3 },
    });
    expect(tickets(k).filter((t) => t.fingerprint.includes('latency'))).toHaveLength(0);
  });

  it('refuses a non-positive SLO', () => {
    const k = setup();
    expect(() => k.detector.setTenantSlo('demo', 0)).toThrow(RangeError);
  });
});

describe('stream registration', () => {
  it('resolves the open tickets of a stream that is unregistered, and ignores its frames after', () => {
    const k = setup();
    run(k.detector, k.clock, 3000, { frames: false });
    k.detector.unregisterStream('demo');
    expect(tickets(k)[0]).toMatchObject({ status: 'resolved', resolvedBy: 'auto' });
    k.detector.observeFrame('demo', k.clock.now());
    expect(k.detector.health()).toEqual([]);
  });

  it('resolves a ticket a previous process left open once its rule is clear', () => {
    const k = setup();
    run(k.detector, k.clock, 3000, { frames: false });
    // A second detector over the same store: what a restarted server finds.
    const restarted = createDetector({ store: k.store, rules: k.config.rules, now: k.clock.now });
    restarted.registerStream('demo', 'public');
    restarted.observeFrame('demo', k.clock.now());
    restarted.evaluate(k.clock.now());
    expect(tickets(k)[0]).toMatchObject({ status: 'resolved', resolvedBy: 'auto' });
  });

  it('leaves tickets open when closed for shutdown, for the next process to resolve', () => {
    const k = setup();
    run(k.detector, k.clock, 3000, { frames: false });
    k.close();
    k.detector.unregisterStream('demo');
    k.detector.evaluate(k.clock.now());
    expect(tickets(k)[0]).toMatchObject({ status: 'open' });
  });

  it('keeps streams apart: a stalled tenant does not open tickets for another', () => {
    const k = setup();
    k.detector.registerStream('acme', 'private');
    for (let t = 0; t < 3000; t += 50) {
      k.clock.advance(50);
      k.detector.observeFrame('acme', k.clock.now());
      k.detector.evaluate(k.clock.now());
    }
    expect(tickets(k).map((t) => [t.tenantId, t.visibility])).toEqual([['demo', 'public']]);
  });
});

describe('the evaluation timer', () => {
  afterEach(() => vi.useRealTimers());

  it('evaluates every configured interval between start and stop', () => {
    vi.useFakeTimers();
    const k = setup();
    const evaluate = vi.spyOn(k.detector, 'evaluate');
    k.detector.start();
    vi.advanceTimersByTime(1000);
    k.detector.stop();
    vi.advanceTimersByTime(1000);
    expect(evaluate).toHaveBeenCalledTimes(4);
  });
});

describe('the frame tap', () => {
  function fakeSource() {
    let emit: (frame: SourceFrame) => void = () => {};
    const source: FrameSource = {
      info: { width: 2, height: 2, frameCount: 9, intervalUs: 16667, source: 'replay' },
      start: (onFrame) => {
        emit = onFrame;
      },
      stop: () => {},
    };
    const encoder = createSourceEncoder(2, 2);
    const frame = (i: number): SourceFrame => {
      const phases = new Uint16Array([0, 0, 0, 0]);
      return { frameIndex: i, phases, producedAtMs: 0, ...encoder.encode(i, phases) };
    };
    return { source, emit: (i: number) => emit(frame(i)) };
  }

  it('passes every frame on, marks it seen, and measures R on every Nth', () => {
    const k = setup({
      orderParameterLow: { ...DEFAULT_RULES.orderParameterLow, sampleEveryFrames: 3 },
    });
    const observe = vi.spyOn(k.detector, 'observeFrame');
    const { source, emit } = fakeSource();
    const passed: number[] = [];
    const tapped = tapFramesForDetector(source, k.detector, {
      tenantId: 'demo',
      visibility: 'public',
    });
    tapped.start((f) => passed.push(f.frameIndex));
    for (let i = 0; i < 6; i++) emit(i);
    expect(passed).toEqual([0, 1, 2, 3, 4, 5]);
    expect(observe.mock.calls.map((c) => c[2])).toEqual([
      1,
      undefined,
      undefined,
      1,
      undefined,
      undefined,
    ]);
  });

  it('keeps random access to the trace, so operators can still seek a tapped stream', () => {
    const k = testKaizen();
    const { source } = fakeSource();
    const frame = new Uint16Array([1, 2, 3, 4]);
    const tapped = tapFramesForDetector({ ...source, readFrame: () => frame }, k.detector, {
      tenantId: 'demo',
      visibility: 'public',
    });
    expect(tapped.readFrame?.(5)).toBe(frame);
    expect(
      tapFramesForDetector(source, k.detector, { tenantId: 'x', visibility: 'public' }).readFrame,
    ).toBeUndefined();
  });

  it('hands each frame to the clients before measuring it', () => {
    const k = testKaizen();
    const { source, emit } = fakeSource();
    const order: string[] = [];
    vi.spyOn(k.detector, 'observeFrame').mockImplementation(() => void order.push('detector'));
    const tapped = tapFramesForDetector(source, k.detector, {
      tenantId: 'demo',
      visibility: 'public',
    });
    tapped.start(() => order.push('clients'));
    emit(0);
    expect(order).toEqual(['clients', 'detector']);
  });

  it('watches the stream only while it runs', () => {
    const k = testKaizen();
    const { source } = fakeSource();
    const tapped = tapFramesForDetector(source, k.detector, {
      tenantId: 'live',
      visibility: 'private',
    });
    expect(k.detector.health()).toEqual([]);
    tapped.start(() => {});
    expect(k.detector.health().map((h) => h.tenantId)).toEqual(['live']);
    run(k.detector, k.clock, 3000, { frames: false, tenant: 'live' });
    expect(tickets(k)[0]).toMatchObject({
      tenantId: 'live',
      visibility: 'private',
      status: 'open',
    });
    tapped.stop();
    expect(k.detector.health()).toEqual([]);
    expect(tickets(k)[0]).toMatchObject({ status: 'resolved', resolvedBy: 'auto' });
  });
});

describe('rule configuration', () => {
  it('fills defaults for what is not given', () => {
    const rules = parseDetectorRules({ streamStalled: { afterMs: 5000 } });
    expect(rules.streamStalled).toEqual({ enabled: true, afterMs: 5000, severity: 'critical' });
    expect(rules.latencyAboveSlo).toEqual(DEFAULT_RULES.latencyAboveSlo);
  });

  it.each([
    {
      name: 'a negative duration',
      input: { streamStalled: { afterMs: -1 } },
      message: 'rules.streamStalled.afterMs must be a number in [100, 3600000], got -1',
    },
    {
      name: 'an unknown severity',
      input: { orderParameterLow: { severity: 'page' } },
      message:
        'rules.orderParameterLow.severity must be one of critical, error, warning, info, got "page"',
    },
    {
      name: 'a misspelt rule',
      input: { streamStaled: {} },
      message: 'rules.streamStaled is not a rule setting',
    },
    {
      name: 'a threshold above 1',
      input: { orderParameterLow: { threshold: 2 } },
      message: 'rules.orderParameterLow.threshold must be a number in [0, 1], got 2',
    },
    {
      name: 'a string for a number',
      input: { evaluationIntervalMs: '250' },
      message: 'rules.evaluationIntervalMs must be a number',
    },
    {
      name: 'a fractional sample count',
      input: { orderParameterLow: { sampleEveryFrames: 1.5 } },
      message: 'must be an integer',
    },
    { name: 'not an object', input: [], message: 'rules must be an object' },
  ])('refuses $name, naming the field', ({ input, message }) => {
    expect(() => parseDetectorRules(input)).toThrow(RulesError);
    expect(() => parseDetectorRules(input)).toThrow(message);
  });
});
