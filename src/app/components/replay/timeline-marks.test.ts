import { describe, expect, it } from 'vitest';
import type { Ticket } from '../../../core/api/tickets';
import { headFrameAt, timelineMarks } from './timeline-marks';

const stream = {
  tenant: 'demo',
  width: 120,
  height: 100,
  frameCount: 1200,
  intervalUs: 16_667,
  source: 'replay' as const,
};
const NOW = Date.UTC(2026, 2, 1, 12, 0, 0);
/** The head showed frame 600 at NOW. */
const anchor = { frameIndex: 600, producedAtMs: NOW };

describe('timeline marks', () => {
  it('places a moment of the last pass at the frame the head showed then, across the wrap', () => {
    expect(headFrameAt(NOW - 5000, anchor, stream, NOW)).toBe(600 - 300);
    // 15 s ago the head was 900 frames back: past frame 0, so near the end of the previous loop.
    expect(headFrameAt(NOW - 15_000, anchor, stream, NOW)).toBe(1200 + 600 - 900);
  });

  it('has no place for a moment before the last pass or in the future', () => {
    expect(headFrameAt(NOW - 20_001, anchor, stream, NOW)).toBeNull();
    expect(headFrameAt(NOW + 1000, anchor, stream, NOW)).toBeNull();
  });

  it('marks the tickets of the last pass only, and nothing on a live source', () => {
    const ticket = (id: number, agoMs: number) =>
      ({
        id,
        title: `t${id}`,
        severity: 'critical',
        openedAt: new Date(NOW - agoMs).toISOString(),
      }) as Ticket;
    const marks = timelineMarks([ticket(1, 1000), ticket(2, 60_000)], anchor, stream, NOW);
    expect(marks.map((m) => [m.ticketId, m.frame])).toEqual([[1, 540]]);
    expect(marks[0]!.label).toContain('Ticket 1 (critical): t1');
    expect(timelineMarks([ticket(1, 1000)], anchor, { ...stream, source: 'live' }, NOW)).toEqual(
      [],
    );
    expect(timelineMarks([ticket(1, 1000)], null, stream, NOW)).toEqual([]);
  });
});
