import { describe, expect, it } from 'vitest';
import { describeStreamHealth, streamHealth, type StreamHealthInput } from './stream-health';

const live: StreamHealthInput = {
  connection: 'open',
  framesExpected: true,
  lastFrameAgeMs: 16,
  intervalMs: 1000 / 60,
  latencyMsP95: 3,
};

describe('stream health', () => {
  it('is ok while frames arrive on time', () => {
    expect(streamHealth(live)).toEqual({ kind: 'ok' });
    expect(streamHealth({ ...live, lastFrameAgeMs: null, latencyMsP95: null })).toEqual({
      kind: 'ok',
    });
  });

  it('calls a stream stalled when no frame came for over a second while frames are due', () => {
    expect(streamHealth({ ...live, lastFrameAgeMs: 999 })).toEqual({ kind: 'ok' });
    const health = streamHealth({ ...live, lastFrameAgeMs: 3200 });
    expect(health).toEqual({ kind: 'stalled', sinceMs: 3200 });
    expect(describeStreamHealth(health)).toBe('No new frame for 3.2 s: the stream has stalled');
  });

  it('waits five intervals on a slow stream before calling it stalled', () => {
    const slow = { ...live, intervalMs: 500 };
    expect(streamHealth({ ...slow, lastFrameAgeMs: 2000 })).toEqual({ kind: 'ok' });
    expect(streamHealth({ ...slow, lastFrameAgeMs: 2600 }).kind).toBe('stalled');
  });

  it('says nothing while paused or not connected (the connection pill speaks then)', () => {
    expect(streamHealth({ ...live, framesExpected: false, lastFrameAgeMs: 60_000 })).toEqual({
      kind: 'ok',
    });
    expect(streamHealth({ ...live, connection: 'reconnecting', lastFrameAgeMs: 60_000 })).toEqual({
      kind: 'ok',
    });
  });

  it('calls frames late when their latency p95 passes a second, a stall first', () => {
    const health = streamHealth({ ...live, latencyMsP95: 2100 });
    expect(health).toEqual({ kind: 'late', latencyMs: 2100 });
    expect(describeStreamHealth(health)).toBe(
      'Frames arrive 2.1 s late: the picture lags the lattice',
    );
    expect(streamHealth({ ...live, latencyMsP95: 2100, lastFrameAgeMs: 5000 }).kind).toBe(
      'stalled',
    );
    expect(describeStreamHealth({ kind: 'ok' })).toBeNull();
  });
});
