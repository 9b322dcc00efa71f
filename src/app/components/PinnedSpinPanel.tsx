import { useEffect, useState } from 'react';
import { Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { AXIS_TICK, TOOLTIP_STYLE } from './charts/chart-style';
import { useChartOutOfTabOrder } from './charts/tab-order';
import { Panel, usePanelChartHeight } from './panels/Panel';
import type { PinnedSample } from '../frames/pinned-spin';
import { useActions, useFrames, useUi } from '../shell/hooks';

/** The pinned spin's phase over recent frames; re-rendered 4 times a second, not per frame. */
export function PinnedSpinPanel() {
  const { pinnedSpin } = useFrames();
  const actions = useActions();
  const pinned = useUi((s) => s.pinnedSpin);
  const stream = useUi((s) => s.stream);
  const [samples, setSamples] = useState<readonly PinnedSample[]>([]);
  const chartHeight = usePanelChartHeight('pinned', 90);
  const box = useChartOutOfTabOrder();
  useEffect(() => {
    if (pinned === null) return;
    const timer = setInterval(() => setSamples([...pinnedSpin.history()]), 250);
    return () => clearInterval(timer);
  }, [pinnedSpin, pinned]);
  if (pinned === null || !stream) return null;
  const x = pinned % stream.width;
  const y = Math.floor(pinned / stream.width);
  const last = samples[samples.length - 1];
  return (
    <Panel
      id="pinned"
      title={`Spin ${pinned} (x ${x}, y ${y})`}
      label="Pinned spin"
      testId="pinned-panel"
      csv={() => ({
        columns: ['frame', 'phase_rad'],
        rows: samples.map((s) => [s.frameIndex, s.phaseRad]),
      })}
      headerExtra={
        <button
          type="button"
          className="link"
          onClick={() => actions.pin(null)}
          aria-label="Unpin spin"
        >
          ×
        </button>
      }
    >
      {last ? (
        <p className="muted">
          θ = {last.phaseRad.toFixed(4)} rad at frame {last.frameIndex}
        </p>
      ) : (
        <p className="muted">Collecting…</p>
      )}
      <div ref={box}>
        <ResponsiveContainer width="100%" height={chartHeight}>
          <LineChart
            data={samples as PinnedSample[]}
            margin={{ top: 4, right: 4, bottom: 0, left: 0 }}
            accessibilityLayer={false}
          >
            <XAxis dataKey="frameIndex" tick={AXIS_TICK} height={20} tickCount={3} />
            <YAxis
              domain={[0, 2 * Math.PI]}
              ticks={[0, Math.PI, 2 * Math.PI]}
              tickFormatter={(v: number) => (v === 0 ? '0' : v < 4 ? 'π' : '2π')}
              width={26}
              tick={AXIS_TICK}
            />
            <Tooltip
              {...TOOLTIP_STYLE}
              formatter={(v) => `${Number(v).toFixed(3)} rad`}
              labelFormatter={(f) => `frame ${f}`}
              isAnimationActive={false}
            />
            <Line
              type="linear"
              dataKey="phaseRad"
              stroke="var(--accent)"
              dot={false}
              isAnimationActive={false}
            />
          </LineChart>
        </ResponsiveContainer>
      </div>
    </Panel>
  );
}
