// Order parameter R(t) and vortex count over the last seconds of the current stream, with the
// newest frame marked and its R, psi and vortex count as numbers. The worker computes the metrics
// per frame; this panel reads the phase history on a timer (at most REFRESH_MS apart) and only
// re-renders when new frames came in, so the chart never runs at the frame rate.
import { memo, useEffect, useState } from 'react';
import { Line, LineChart, ReferenceLine, ResponsiveContainer, XAxis, YAxis } from 'recharts';
import type { PhaseHistory, PhaseSample } from '../frames/phase-history';
import { useFrames } from '../shell/hooks';

export const REFRESH_MS = 250;
/** The chart, the costly part, redraws on every CHART_EVERY-th refresh (twice a second). */
const CHART_EVERY = 2;
export const WINDOW_MS = 10_000;
/** One chart point per bin: about 60 points over the window, whatever the frame rate. */
const BIN_MS = 1000 / 6;

interface ChartPoint {
  /** Seconds before the newest sample (<= 0). */
  tS: number;
  r: number;
  vortices: number;
}

interface View {
  /** How many times the panel has read the history: tests check it stays a few per second. */
  refresh: number;
  latest: PhaseSample;
  /** Replaced only when the chart should redraw; the same array otherwise (memo skips it). */
  points: ChartPoint[];
}

function chartPoints(history: PhaseHistory): ChartPoint[] {
  const samples = history.window(WINDOW_MS, BIN_MS);
  const newestMs = samples[samples.length - 1]?.atMs ?? 0;
  return samples.map((s) => ({
    tS: (s.atMs - newestMs) / 1000,
    r: s.orderR,
    vortices: s.vortices,
  }));
}

function readView(history: PhaseHistory, refresh: number, previous: View | null): View | null {
  const latest = history.latest();
  if (!latest) return null;
  const redrawChart = previous === null || refresh % CHART_EVERY === 0;
  return { refresh, latest, points: redrawChart ? chartPoints(history) : previous.points };
}

/** R and vortices over the window; the dashed line at 0 s marks the newest frame. */
const PhaseChart = memo(function PhaseChart({ points }: { points: ChartPoint[] }) {
  if (points.length === 0) return null;
  return (
    <div className="chart" aria-hidden="true">
      <ResponsiveContainer width="100%" height={100}>
        <LineChart data={points} margin={{ top: 6, right: 0, bottom: 0, left: 0 }}>
          <XAxis
            dataKey="tS"
            type="number"
            domain={[-WINDOW_MS / 1000, 0]}
            ticks={[-10, -5, 0]}
            tickFormatter={(t: number) => (t === 0 ? 'now' : `${t} s`)}
            tick={{ fontSize: 10 }}
            height={16}
          />
          <YAxis
            yAxisId="r"
            domain={[0, 1]}
            ticks={[0, 0.5, 1]}
            width={26}
            tick={{ fontSize: 10 }}
          />
          <YAxis
            yAxisId="v"
            orientation="right"
            allowDecimals={false}
            domain={[0, 'auto']}
            width={30}
            tick={{ fontSize: 10 }}
          />
          <ReferenceLine yAxisId="r" x={0} stroke="var(--muted)" strokeDasharray="2 2" />
          <Line
            yAxisId="r"
            type="linear"
            dataKey="r"
            name="R"
            stroke="var(--accent)"
            dot={false}
            isAnimationActive={false}
          />
          <Line
            yAxisId="v"
            type="stepAfter"
            dataKey="vortices"
            name="vortices"
            stroke="var(--warn)"
            dot={false}
            isAnimationActive={false}
          />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
});

export function PhaseMetricsPanel() {
  const history = useFrames().phaseHistory;
  const [view, setView] = useState<View | null>(() => readView(history, 0, null));

  useEffect(() => {
    let seenVersion = history.version;
    let refresh = 0;
    const timer = setInterval(() => {
      if (history.version === seenVersion) return;
      seenVersion = history.version;
      refresh += 1;
      setView((previous) => readView(history, refresh, previous));
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [history]);

  const latest = view?.latest;
  const psiDeg = latest ? (latest.psiRad * 180) / Math.PI : 0;
  return (
    <section
      className="panel phase-metrics"
      aria-label="Phase metrics"
      data-testid="phase-metrics"
      data-refreshes={view?.refresh ?? 0}
    >
      <h2>Phase metrics</h2>
      {!view || !latest ? (
        <p className="muted" data-testid="phase-empty">
          Waiting for frames…
        </p>
      ) : (
        <>
          <dl className="stats">
            <div>
              <dt title="Kuramoto order parameter: 1 synchronized, 0 incoherent">order R</dt>
              <dd data-testid="phase-r" data-value={latest.orderR}>
                {latest.orderR.toFixed(3)}
              </dd>
            </div>
            <div>
              <dt>vortices</dt>
              <dd data-testid="phase-vortices" data-value={latest.vortices}>
                {latest.vortices.toLocaleString('en-US')}
              </dd>
            </div>
            <div>
              <dt title="Mean phase">psi</dt>
              <dd data-testid="phase-psi" data-value={latest.psiRad}>
                {latest.psiRad.toFixed(2)} rad · {psiDeg.toFixed(0)}°
              </dd>
            </div>
            <div>
              <dt>frame</dt>
              <dd data-testid="phase-frame">{latest.frameIndex}</dd>
            </div>
          </dl>
          <PhaseChart points={view.points} />
          <p className="legend muted">
            <span className="swatch swatch-r" /> R (left) <span className="swatch swatch-v" />{' '}
            vortices (right) · dashed: current frame
          </p>
        </>
      )}
    </section>
  );
}
