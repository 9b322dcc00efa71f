// The tenant's tickets on the replay timeline: a recording loops, so a ticket has a place on it
// only if it opened during the last pass, at the frame the stream's head showed then (from the
// head's last known frame and the stream's interval). A click seeks there.
import type { Ticket } from '../../../core/api/tickets';
import type { StreamInfo } from '../../../core/wire/envelope';
import { useFrames, useUi } from '../../shell/hooks';
import { tooltipTime } from '../charts/chart-style';
import { useRangeTickets } from '../charts/range-hooks';
import type { TimelineMark } from './Timeline';

/** The frame the head showed at `atMs`; null outside the last pass before `nowMs`. */
export function headFrameAt(
  atMs: number,
  anchor: { frameIndex: number; producedAtMs: number },
  stream: Pick<StreamInfo, 'frameCount' | 'intervalUs'>,
  nowMs: number,
): number | null {
  const intervalMs = stream.intervalUs / 1000;
  const passMs = stream.frameCount * intervalMs;
  if (stream.frameCount < 1 || atMs > nowMs || nowMs - atMs >= passMs) return null;
  const steps = Math.round((atMs - anchor.producedAtMs) / intervalMs);
  const frame = (anchor.frameIndex + steps) % stream.frameCount;
  return frame < 0 ? frame + stream.frameCount : frame;
}

export function timelineMarks(
  tickets: readonly Ticket[],
  anchor: { frameIndex: number; producedAtMs: number } | null,
  stream: StreamInfo | null,
  nowMs: number,
): TimelineMark[] {
  if (!anchor || !stream || stream.source !== 'replay') return [];
  return tickets.flatMap((t) => {
    const atMs = Date.parse(t.openedAt);
    const frame = headFrameAt(atMs, anchor, stream, nowMs);
    if (frame === null) return [];
    return [
      {
        frame,
        ticketId: t.id,
        severity: t.severity,
        label: `Ticket ${t.id} (${t.severity}): ${t.title}, opened ${tooltipTime(atMs)} at frame ${frame}: seek there`,
      },
    ];
  });
}

/** Re-read with the panels' figures (four times a second): marks slide off as the pass moves on. */
export function useTimelineMarks(): TimelineMark[] {
  const frames = useFrames();
  const stream = useUi((s) => s.stream);
  useUi((s) => s.hud);
  return timelineMarks(useRangeTickets(), frames.headAnchor, stream, Date.now());
}
