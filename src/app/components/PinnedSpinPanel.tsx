import { useEffect, useState } from 'react';
import { Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { PinnedSample } from '../frames/pinned-spin';
import { useActions, useFrames, useUi } from '../shell/hooks';

/** The pinned spin's phase over recent frames; re-rendered 4 times a second, not per frame. */
export function PinnedSpinPanel() {
  const { pinnedSpin } = useFrames();
  const actions = useActions();
  const pinned = useUi((s) => s.pinnedSpin);
  const stream = useUi((s) => s.stream);
  const [samples, setSamples] = useState<readonly PinnedSample[]>([]);
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
    <section className="panel" aria-label="Pinned spin" data-testid="pinned-panel">
      <h2>
        Spin {pinned} (x {x}, y {y}){' '}
        <button
          type="button"
          className="link"
          onClick={() => actions.pin(null)}
          aria-label="Unpin spin"
        >
          ×
        </button>
      </h2>
      {last ? (
        <p className="muted">
          θ = {last.phaseRad.toFixed(4)} rad at frame {last.frameIndex}
        </p>
      ) : (
        <p className="muted">Collecting…</p>
      )}
      <ResponsiveContainer width="100%" height={90}>
        <LineChart
          data={samples as PinnedSample[]}
          margin={{ top: 4, right: 4, bottom: 0, left: 0 }}
        >
          <XAxis dataKey="frameIndex" hide />
          <YAxis domain={[0, 2 * Math.PI]} hide />
          <Tooltip
            formatter={(v) => `${Number(v).toFixed(3)} rad`}
            labelFormatter={(f) => `frame ${f}`}
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
    </section>
  );
}
