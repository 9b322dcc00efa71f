// A chart over the shared time range, as Grafana draws one: a time axis from the range's start to
// now, a value axis with its unit, a tooltip that says when, and the tenant's tickets as dashed
// lines with a marker each (a button: a click opens the ticket). The chart's own internals are no
// tab stops; the markers are, with names. The chart renders as a deferred value: React renders
// recharts' tree in the background and yields to the browser between components, so a chart
// redrawn with new data does not hold up the page's frames for the whole of its render.
import { memo, useDeferredValue, type ReactNode } from 'react';
import { ComposedChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis } from 'recharts';
import { useActions } from '../../shell/hooks';
import { AXIS_TICK, TOOLTIP_STYLE, timeTick, timeTicks, tooltipTime } from './chart-style';
import { useRangeTickets, useTimeRange } from './range-hooks';
import { useChartOutOfTabOrder } from './tab-order';

const MARGIN = { top: 8, right: 8, bottom: 0, left: 0 };

export interface TimeChartProps {
  /** Points with their time in `t` (ms since the epoch), over the shared time range. */
  data: readonly object[];
  height: number;
  /** Width of the value axis (the chart's children include it), px. */
  yWidth: number;
  /** A tooltip line for a series' value. */
  formatValue(value: number, name: string): string;
  testId: string;
  children: ReactNode;
}

export function TimeChart(props: TimeChartProps) {
  // The urgent render passes the previous props on (the body skips it); the background one, these.
  return <TimeChartBody {...useDeferredValue(props)} />;
}

const TimeChartBody = memo(function TimeChartBody(props: TimeChartProps) {
  const { data, height, yWidth, formatValue, testId } = props;
  const { fromMs, toMs } = useTimeRange();
  const tickets = useRangeTickets();
  const onTicket = useActions().openTicket;
  const box = useChartOutOfTabOrder();
  const rangeMs = toMs - fromMs;
  const shown = tickets.filter((t) => {
    const ms = Date.parse(t.openedAt);
    return ms >= fromMs && ms <= toMs;
  });
  const left = MARGIN.left + yWidth;
  const right = MARGIN.right;
  return (
    <div className="time-chart" data-testid={testId} ref={box}>
      <ResponsiveContainer width="100%" height={height}>
        <ComposedChart data={data as object[]} margin={MARGIN} accessibilityLayer={false}>
          <XAxis
            dataKey="t"
            type="number"
            scale="time"
            domain={[fromMs, toMs]}
            allowDataOverflow
            ticks={timeTicks(fromMs, toMs)}
            interval={0}
            tickFormatter={(ms: number) => timeTick(ms, rangeMs)}
            tick={AXIS_TICK}
            height={20}
          />
          {props.children}
          {shown.map((t) => (
            <ReferenceLine
              key={t.id}
              x={Date.parse(t.openedAt)}
              stroke={`var(--severity-${t.severity})`}
              strokeDasharray="3 3"
              ifOverflow="hidden"
            />
          ))}
          <Tooltip
            {...TOOLTIP_STYLE}
            labelFormatter={(ms) => tooltipTime(Number(ms))}
            formatter={(value, name) => formatValue(Number(value), String(name))}
            isAnimationActive={false}
          />
        </ComposedChart>
      </ResponsiveContainer>
      {shown.map((t) => {
        const fraction = (Date.parse(t.openedAt) - fromMs) / Math.max(1, rangeMs);
        const label = `Ticket ${t.id} (${t.severity}): ${t.title}, opened ${tooltipTime(Date.parse(t.openedAt))}`;
        return (
          <button
            type="button"
            key={t.id}
            className={`chart-annotation severity-${t.severity}`}
            data-testid={`annotation-${t.id}`}
            style={{ left: `calc(${left}px + (100% - ${left + right}px) * ${fraction})` }}
            aria-label={label}
            title={label}
            onClick={() => onTicket(t.id)}
          />
        );
      })}
    </div>
  );
});
