// The replay bar's slider: the recording from its first to its last frame, with the A-B loop's
// range highlighted on the track and the tenant's tickets marked where the stream was when each
// opened (a click seeks there).
import type { CSSProperties } from 'react';

export interface TimelineMark {
  /** The frame the mark stands at. */
  frame: number;
  ticketId: number;
  /** What the mark says to a screen reader and on hover. */
  label: string;
  severity: string;
}

export interface TimelineProps {
  last: number;
  value: number;
  a: number | null;
  b: number | null;
  marks: readonly TimelineMark[];
  onSeek(frame: number): void;
  /** The operator let go of the slider. */
  onRelease(): void;
  onMark(mark: TimelineMark): void;
}

const percent = (frame: number, last: number): string =>
  `${(100 * Math.min(last, Math.max(0, frame))) / Math.max(1, last)}%`;

export function Timeline({ last, value, a, b, marks, onSeek, onRelease, onMark }: TimelineProps) {
  const range: CSSProperties | null =
    a !== null && b !== null ? { left: percent(a, last), right: percent(last - b, last) } : null;
  return (
    <div className="timeline-wrap">
      {range && <div className="timeline-ab" data-testid="timeline-ab" style={range} />}
      <input
        type="range"
        className="timeline"
        data-testid="timeline"
        aria-label="Timeline"
        aria-valuetext={`frame ${value} of ${last}`}
        min={0}
        max={last}
        step={1}
        value={value}
        onChange={(e) => onSeek(Number(e.target.value))}
        onPointerUp={onRelease}
        onKeyUp={onRelease}
        onBlur={onRelease}
      />
      {marks.map((mark) => (
        <button
          type="button"
          key={mark.ticketId}
          className={`timeline-mark severity-${mark.severity}`}
          data-testid={`timeline-mark-${mark.ticketId}`}
          data-frame={mark.frame}
          style={{ left: percent(mark.frame, last) }}
          aria-label={mark.label}
          title={mark.label}
          onClick={() => onMark(mark)}
        />
      ))}
    </div>
  );
}
