import { describe, expect, it } from 'vitest';
import type { ClientReportInput } from '../../core/api/client-reports';
import {
  FLUSH_DELAY_MS,
  REPORT_BURST,
  REPORTS_PER_MINUTE,
  ReportQueue,
  SAMPLE_INTERVAL_MS,
} from './report-queue';

/** A clock and timers the test moves by hand. */
function fakeTimers() {
  let nowMs = 1_000_000;
  let nextId = 1;
  const timers = new Map<number, { atMs: number; callback: () => void }>();
  return {
    now: () => nowMs,
    setTimeout: (callback: () => void, ms: number) => {
      timers.set(nextId, { atMs: nowMs + ms, callback });
      return nextId++;
    },
    clearTimeout: (handle: unknown) => void timers.delete(handle as number),
    /** Moves the clock, running the timers due on the way. */
    async advance(ms: number) {
      const end = nowMs + ms;
      for (;;) {
        const due = [...timers.entries()]
          .filter(([, t]) => t.atMs <= end)
          .sort((a, b) => a[1].atMs - b[1].atMs)[0];
        if (!due) break;
        timers.delete(due[0]);
        nowMs = due[1].atMs;
        due[1].callback();
        await Promise.resolve();
        await Promise.resolve();
      }
      nowMs = end;
    },
  };
}

function setup(retryAfterMs: () => number = () => 0) {
  const timers = fakeTimers();
  const batches: ClientReportInput[][] = [];
  const queue = new ReportQueue(
    {
      tenant: () => 'demo',
      page: () => '/?tenant=demo&token=sekrit-value',
      browser: () => 'Chromium test',
      gpu: () => ({ webglRenderer: 'SwiftShader', maxTextureSize: 8192 }),
    },
    {
      send: async (reports) => {
        batches.push(reports);
        return retryAfterMs();
      },
    },
    timers,
  );
  return { timers, batches, queue };
}

const sent = (batches: ClientReportInput[][]) => batches.flat();

describe('ReportQueue', () => {
  it('folds repeats into one report with their count, and attaches what the page knows', async () => {
    const { timers, batches, queue } = setup();
    for (let i = 0; i < 5; i++) queue.add({ kind: 'console_error', message: 'boom' });
    await timers.advance(FLUSH_DELAY_MS);
    expect(sent(batches)).toHaveLength(1);
    expect(sent(batches)[0]).toMatchObject({
      kind: 'console_error',
      message: 'boom',
      count: 5,
      tenant: 'demo',
      browser: 'Chromium test',
      webglRenderer: 'SwiftShader',
      maxTextureSize: 8192,
      page: '/?tenant=demo&token=[redacted]',
    });
  });

  it('samples: the same report again within a minute waits for the minute, counting', async () => {
    const { timers, batches, queue } = setup();
    queue.add({ kind: 'exception', message: 'again' });
    await timers.advance(FLUSH_DELAY_MS);
    for (let i = 0; i < 3; i++) queue.add({ kind: 'exception', message: 'again' });
    await timers.advance(SAMPLE_INTERVAL_MS - FLUSH_DELAY_MS - 1);
    expect(sent(batches)).toHaveLength(1);
    await timers.advance(FLUSH_DELAY_MS + 1);
    expect(sent(batches).map((r) => r.count)).toEqual([1, 3]);
  });

  it('removes secrets and cuts fields to what the server takes', async () => {
    const { timers, batches, queue } = setup();
    const token = 'A'.repeat(43);
    queue.add({
      kind: 'exception',
      message: `failed with Bearer ${token} at https://u:pw@host/x?key=123 ${'x'.repeat(3000)}`,
      stack: 's'.repeat(9000),
      reason: 'r'.repeat(600),
    });
    await timers.advance(FLUSH_DELAY_MS);
    const [report] = sent(batches);
    expect(report!.message).not.toContain(token);
    expect(report!.message).not.toContain('pw@');
    expect(report!.message).not.toContain('key=123');
    expect(report!.message.length).toBe(2000);
    expect(report!.stack!.length).toBe(8000);
    expect(report!.reason!.length).toBe(500);
  });

  it('keeps to 20 reports and 64 KiB a request, and to its own rate', async () => {
    const { timers, batches, queue } = setup();
    for (let i = 0; i < REPORT_BURST + 5; i++)
      queue.add({ kind: 'console_warning', message: `w${i}`, stack: 'x'.repeat(8000) });
    await timers.advance(FLUSH_DELAY_MS);
    for (const batch of batches) {
      expect(batch.length).toBeLessThanOrEqual(20);
      expect(new TextEncoder().encode(JSON.stringify({ reports: batch })).length).toBeLessThan(
        64 * 1024,
      );
    }
    // Within the first 6 s: the burst and at most one more (one every 60 / 10 s after it).
    await timers.advance(3 * FLUSH_DELAY_MS - FLUSH_DELAY_MS);
    expect(sent(batches).length).toBeGreaterThan(0);
    expect(sent(batches).length).toBeLessThanOrEqual(REPORT_BURST + 1);
    // The rest go as the budget refills.
    await timers.advance((5 * 60_000) / REPORTS_PER_MINUTE + FLUSH_DELAY_MS);
    expect(sent(batches)).toHaveLength(REPORT_BURST + 5);
    expect(new Set(sent(batches).map((r) => r.message)).size).toBe(REPORT_BURST + 5);
  });

  it('waits as long as a 429 asks, counting what it refused as dropped', async () => {
    let refuse = true;
    const { timers, batches, queue } = setup(() => (refuse ? 30_000 : 0));
    queue.add({ kind: 'exception', message: 'one' });
    await timers.advance(FLUSH_DELAY_MS);
    refuse = false;
    expect(queue.dropped).toBe(1);
    queue.add({ kind: 'exception', message: 'two' });
    await timers.advance(20_000);
    expect(sent(batches)).toHaveLength(1);
    await timers.advance(15_000);
    expect(sent(batches).map((r) => r.message)).toEqual(['one', 'two']);
  });

  it('bounds what waits: past 50 kinds of report, more are dropped and counted', () => {
    const { queue } = setup();
    for (let i = 0; i < 60; i++) queue.add({ kind: 'console_error', message: `e${i}` });
    expect(queue.waiting).toBe(50);
    expect(queue.dropped).toBe(10);
  });
});
