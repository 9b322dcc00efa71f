// One look for the panels' charts, as in Grafana: axes with units and time labels at least 12 px,
// tooltips that say when and read well on either theme (the theme's panel colour, not white).
import type { CSSProperties } from 'react';

export const AXIS_TICK = { fontSize: 12, fill: 'var(--muted)' } as const;

export const TOOLTIP_STYLE: {
  contentStyle: CSSProperties;
  labelStyle: CSSProperties;
  itemStyle: CSSProperties;
} = {
  contentStyle: {
    background: 'var(--panel)',
    border: '1px solid var(--muted)',
    borderRadius: 4,
    fontSize: 12,
    padding: '4px 8px',
  },
  labelStyle: { color: 'var(--text)', fontWeight: 600 },
  itemStyle: { color: 'var(--text)', padding: 0 },
};

const pad = (n: number): string => String(n).padStart(2, '0');

/** An axis tick over a range: `12:03` up to a day, `03-01 12:00` beyond. */
export function timeTick(ms: number, rangeMs: number): string {
  const d = new Date(ms);
  const clock = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  if (rangeMs <= 10 * 60_000) return `${clock}:${pad(d.getSeconds())}`;
  return rangeMs <= 86_400_000 ? clock : `${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${clock}`;
}

/** A tooltip's time: the full local date and time with seconds. */
export function tooltipTime(ms: number): string {
  const d = new Date(ms);
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`
  );
}

const NICE_STEPS_MS = [
  1_000,
  5_000,
  10_000,
  30_000,
  60_000,
  5 * 60_000,
  10 * 60_000,
  15 * 60_000,
  30 * 60_000,
  3_600_000,
  3 * 3_600_000,
  6 * 3_600_000,
  12 * 3_600_000,
  86_400_000,
  2 * 86_400_000,
];

/** About `count` ticks across [fromMs, toMs] on round local times (every 15 min, every 6 h...). */
export function timeTicks(fromMs: number, toMs: number, count = 4): number[] {
  const span = Math.max(1, toMs - fromMs);
  const step = NICE_STEPS_MS.find((s) => span / s <= count) ?? NICE_STEPS_MS.at(-1)!;
  // Round on local time, so an hourly tick falls on the hour where the operator is.
  const offsetMs = new Date(fromMs).getTimezoneOffset() * 60_000;
  const first = Math.ceil((fromMs - offsetMs) / step) * step + offsetMs;
  const ticks: number[] = [];
  for (let t = first; t <= toMs; t += step) ticks.push(t);
  return ticks;
}

/**
 * A value axis's ticks as one line of text each: recharts wraps a tick wider than its guess of
 * the axis width ("333" over "ms"), which reads badly.
 */
export function valueTick(format: (value: number) => string) {
  return function ValueTick(props: {
    x?: number | string;
    y?: number | string;
    payload?: { value: number };
    textAnchor?: string;
  }) {
    return (
      <text
        x={Number(props.x ?? 0)}
        y={Number(props.y ?? 0)}
        dy="0.32em"
        textAnchor={props.textAnchor === 'start' ? 'start' : 'end'}
        fontSize={AXIS_TICK.fontSize}
        fill={AXIS_TICK.fill}
      >
        {format(props.payload?.value ?? 0)}
      </text>
    );
  };
}
