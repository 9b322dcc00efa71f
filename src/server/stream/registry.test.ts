import { describe, expect, it } from 'vitest';
import { createStreamRegistry, type StreamEndReason, type StreamSpec } from './registry';
import { createSourceEncoder } from './source-encoder';
import type { FrameSource, SourceFrame } from './source';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A source that counts its starts and stops and emits frames only when told. */
function fakeSpec() {
  const counts = { created: 0, started: 0, stopped: 0 };
  let emit: ((f: SourceFrame) => void) | undefined;
  const info = { width: 2, height: 2, frameCount: 0, intervalUs: 16667, source: 'live' as const };
  const spec: StreamSpec = {
    info,
    createSource(): FrameSource {
      counts.created += 1;
      return {
        info,
        start(onFrame) {
          counts.started += 1;
          emit = onFrame;
        },
        stop() {
          counts.stopped += 1;
          emit = undefined;
        },
      };
    },
  };
  const encoder = createSourceEncoder(2, 2);
  const frame = (i: number) => {
    const phases = new Uint16Array(4).fill(i);
    emit?.({ frameIndex: i, phases, producedAtMs: 0, ...encoder.encode(i, phases) });
  };
  return { spec, counts, frame };
}

describe('the stream registry', () => {
  it('starts a stream with its first subscriber and stops it a while after the last leaves', async () => {
    const registry = createStreamRegistry({ idleStopMs: 100, log: () => {} });
    const { spec, counts } = fakeSpec();
    registry.define('t', spec);
    expect(counts.started).toBe(0);
    expect(registry.info('t')).toEqual({ tenant: 't', ...spec.info });

    const one = registry.acquire('t', () => {})!;
    const two = registry.acquire('t', () => {})!;
    expect(counts.started).toBe(1);
    expect(two.bus).toBe(one.bus);
    one.release();
    one.release();
    await sleep(200);
    expect(counts.stopped).toBe(0);
    two.release();
    expect(registry.status()[0]).toMatchObject({ running: true });
    await sleep(200);
    expect(counts.stopped).toBe(1);
    expect(registry.status()[0]).toMatchObject({ running: false, subscribers: 0 });
  });

  it('keeps a stream running when a subscriber comes back within the idle time', async () => {
    const registry = createStreamRegistry({ idleStopMs: 150, log: () => {} });
    const { spec, counts } = fakeSpec();
    registry.define('t', spec);
    registry.acquire('t', () => {})!.release();
    await sleep(50);
    const again = registry.acquire('t', () => {})!;
    await sleep(200);
    expect(counts).toEqual({ created: 1, started: 1, stopped: 0 });
    again.release();
  });

  it('gives each run a fresh bus, so no encoder state survives a stop', async () => {
    const registry = createStreamRegistry({ idleStopMs: 10, log: () => {} });
    const { spec, frame } = fakeSpec();
    registry.define('t', spec);
    const first = registry.acquire('t', () => {})!;
    frame(1);
    expect(first.bus.framesProduced).toBe(1);
    first.release();
    await sleep(50);
    const second = registry.acquire('t', () => {})!;
    expect(second.bus).not.toBe(first.bus);
    expect(second.bus.latest).toBeUndefined();
    second.release();
  });

  it('runs a pinned stream from its definition on, whoever watches', async () => {
    const registry = createStreamRegistry({ idleStopMs: 10, log: () => {} });
    const { spec, counts } = fakeSpec();
    registry.define('demo', spec, { pinned: true });
    expect(counts.started).toBe(1);
    registry.acquire('demo', () => {})!.release();
    await sleep(50);
    expect(counts.stopped).toBe(0);
    expect(registry.runningBus('demo')).toBeDefined();
  });

  it('ends the leases of a removed or replaced stream, and stops it', () => {
    const registry = createStreamRegistry({ log: () => {} });
    const a = fakeSpec();
    const b = fakeSpec();
    registry.define('t', a.spec);
    const ended: StreamEndReason[] = [];
    const lease = registry.acquire('t', (reason) => ended.push(reason))!;
    registry.define('t', b.spec);
    expect(ended).toEqual(['replaced']);
    expect(a.counts.stopped).toBe(1);
    lease.release();
    registry.acquire('t', (reason) => ended.push(reason));
    registry.remove('t');
    expect(ended).toEqual(['replaced', 'removed']);
    expect(b.counts.stopped).toBe(1);
    expect(registry.acquire('t', () => {})).toBeUndefined();
  });
});
