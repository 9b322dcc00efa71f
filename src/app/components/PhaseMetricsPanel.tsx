// Order parameter R and vortex count around the frame on screen, with that frame marked and its
// R, psi and vortex count as numbers: the panel follows the one cursor the replay bar, the hover
// readout and the heatmap follow (FramePipeline.cursor), not the newest frame received. For a
// recording the time axis is the recording's (seconds from its start), so a paused or seeking
// cursor moves the chart with it; for a live source it is the frames' wall clock. The worker
// computes the metrics per frame; the panel re-renders when the cursor moves (four times a
// second at most), never at the frame rate, and its chart at most every CHART_MIN_INTERVAL_MS.
import { memo, useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import { useChartOutOfTabOrder } from './charts/tab-order';
import { thinPoints } from './charts/thin-points';
import {
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { StreamInfo } from '../../core/wire/envelope';
import type { PhaseHistory, PhaseSample } from '../frames/phase-history';
import { useFrames, useUi } from '../shell/hooks';
import { AXIS_TICK, TOOLTIP_STYLE } from './charts/chart-style';
import { Panel, usePanelChartHeight } from './panels/Panel';
import type { CsvTable } from './panels/csv';
import { formatRecordingTime } from './replay/recording-time';

/**
 * The chart, the costly part, redraws at most this often (every second refresh of four a second);
 * a cursor that stops between two redraws (a pause, a seek) gets its redraw when the time is up.
 */
const CHART_MIN_INTERVAL_MS = 400;
export const WINDOW_S = 10;
/** Spans of the window the chart keeps a few points of: about 5 px each on a 300 px panel. */
const CHART_BUCKETS = 60;

interface ChartPoint {
  /** Seconds: from the recording's start (replay), or before the frame on screen (live, <= 0). */
  tS: number;
  r: number;
  vortices: number;
}

interface View {
  /** How many times the panel has read the history: tests check it stays a few per second. */
  refresh: number;
  /** The frame on screen's sample (the newest one before the cursor is known). */
  latest: PhaseSample;
  /**
   * The chart's points and its cursor on its time axis, replaced together and only when the chart
   * redraws (the same object otherwise, so memo skips the chart): a replay's cursor moves on every
   * refresh, and a chart that followed it at once would redraw on every refresh.
   */
  chart: { points: ChartPoint[]; cursorS: number };
  /** The chart shows an earlier cursor than the numbers do. */
  chartBehind: boolean;
}

/** The samples of the WINDOW_S before the cursor, one per frame, on the chart's time axis. */
function chartPoints(
  samples: PhaseSample[],
  cursor: PhaseSample,
  stream: StreamInfo | null,
): ChartPoint[] {
  const replay = stream?.source === 'replay';
  const intervalS = (stream?.intervalUs ?? 16_667) / 1e6;
  const x = (s: PhaseSample): number =>
    replay ? s.frameIndex * intervalS : (s.producedAtMs - cursor.producedAtMs) / 1000;
  const cursorS = x(cursor);
  // A looping or seeking replay holds the same frame several times: the newest counts.
  const byX = new Map<number, PhaseSample>();
  for (const s of samples) {
    const t = x(s);
    if (t <= cursorS && t >= cursorS - WINDOW_S) byX.set(Math.round(t * 1e6), s);
  }
  const points = [...byX.values()]
    .map((s) => ({ tS: x(s), r: s.orderR, vortices: s.vortices }))
    .sort((a, b) => a.tS - b.tS);
  return thinPoints(points, (p) => p.tS, ['r', 'vortices'], CHART_BUCKETS);
}

function readView(
  history: PhaseHistory,
  cursor: { frameIndex: number; producedAtMs: number | null },
  stream: StreamInfo | null,
  refresh: number,
  previous: View | null,
  redrawChart: boolean,
): View | null {
  const latest =
    (cursor.frameIndex >= 0 ? history.find(cursor.frameIndex, cursor.producedAtMs) : null) ??
    history.latest();
  if (!latest) return null;
  const replay = stream?.source === 'replay';
  const cursorS = replay ? (latest.frameIndex * (stream?.intervalUs ?? 16_667)) / 1e6 : 0;
  const redraw = redrawChart || previous === null;
  return {
    refresh,
    latest,
    chart: redraw
      ? { points: chartPoints(history.all(), latest, stream), cursorS }
      : previous.chart,
    chartBehind: !redraw,
  };
}

/** R and vortices over the window; the dashed line marks the frame on screen. */
const PhaseChart = memo(function PhaseChart({
  points,
  cursorS,
  replay,
  height,
}: {
  points: ChartPoint[];
  cursorS: number;
  replay: boolean;
  height: number;
}) {
  const box = useChartOutOfTabOrder();
  if (points.length === 0) return null;
  const tick = (t: number): string =>
    replay ? formatRecordingTime(t) : t === 0 ? 'now' : `${t.toFixed(0)} s`;
  return (
    <div className="chart" ref={box}>
      <ResponsiveContainer width="100%" height={height}>
        <LineChart
          data={points}
          margin={{ top: 6, right: 0, bottom: 0, left: 0 }}
          accessibilityLayer={false}
        >
          <XAxis
            dataKey="tS"
            type="number"
            domain={[cursorS - WINDOW_S, cursorS]}
            allowDataOverflow
            tickCount={3}
            tickFormatter={tick}
            tick={AXIS_TICK}
            height={20}
          />
          <YAxis
            yAxisId="r"
            domain={[0, 1]}
            ticks={[0, 0.5, 1]}
            interval={0}
            width={30}
            tick={AXIS_TICK}
          />
          <YAxis
            yAxisId="v"
            orientation="right"
            allowDecimals={false}
            domain={[0, 'auto']}
            interval={0}
            width={34}
            tick={AXIS_TICK}
          />
          <ReferenceLine yAxisId="r" x={cursorS} stroke="var(--muted)" strokeDasharray="2 2" />
          <Tooltip
            {...TOOLTIP_STYLE}
            labelFormatter={(t) =>
              replay ? `at ${formatRecordingTime(Number(t))}` : `${Number(t).toFixed(2)} s`
            }
            formatter={(v, name) => (name === 'R' ? Number(v).toFixed(3) : String(v))}
            isAnimationActive={false}
          />
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

function phaseCsv(history: PhaseHistory, stream: StreamInfo | null): CsvTable {
  const intervalS = (stream?.intervalUs ?? 16_667) / 1e6;
  return {
    columns: ['frame', 'recording_s', 'produced_at', 'order_r', 'psi_rad', 'vortices'],
    rows: history
      .all()
      .map((s) => [
        s.frameIndex,
        stream?.source === 'replay' ? Number((s.frameIndex * intervalS).toFixed(4)) : null,
        new Date(s.producedAtMs).toISOString(),
        s.orderR,
        s.psiRad,
        s.vortices,
      ]),
  };
}

export function PhaseMetricsPanel() {
  const frames = useFrames();
  const history = frames.phaseHistory;
  const stream = useUi((s) => s.stream);
  const frameIndex = useUi((s) => s.hud.frameOnScreen);
  const producedAtMs = useUi((s) => s.hud.frameOnScreenProducedAtMs);
  const chartHeight = usePanelChartHeight('phase-metrics', 100);
  const previous = useRef<View | null>(null);
  const refreshes = useRef(0);
  const chartDrawnAtMs = useRef(-Infinity);
  // Bumped when a chart left behind is due: the view is read again, with the chart redrawn.
  const [catchUp, setCatchUp] = useState(0);
  // A new view when the cursor moves (the store's figures, a few times a second), not per frame.
  const view = useMemo(() => {
    refreshes.current += 1;
    const nowMs = performance.now();
    const next = readView(
      history,
      { frameIndex, producedAtMs },
      stream,
      refreshes.current,
      previous.current,
      nowMs - chartDrawnAtMs.current >= CHART_MIN_INTERVAL_MS,
    );
    if (next && !next.chartBehind) chartDrawnAtMs.current = nowMs;
    previous.current = next;
    return next;
    // catchUp is a dependency only to read the view again when a chart left behind is due.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [history, frameIndex, producedAtMs, stream, catchUp]);
  // A chart left behind redraws CHART_MIN_INTERVAL_MS later unless the cursor moves on before
  // (a playing stream's next refresh redraws it, with no extra render): a paused or seeking
  // replay's chart ends at the frame on screen.
  useEffect(() => {
    if (!view?.chartBehind) return;
    const timer = setTimeout(() => setCatchUp((n) => n + 1), CHART_MIN_INTERVAL_MS);
    return () => clearTimeout(timer);
  }, [view]);

  // The chart renders in the background (see TimeChart); the numbers above it at once.
  const chart = useDeferredValue(view?.chart) ?? view?.chart;
  const latest = view?.latest;
  const psiDeg = latest ? (latest.psiRad * 180) / Math.PI : 0;
  return (
    <Panel
      id="phase-metrics"
      title="Phase metrics"
      csv={() => phaseCsv(history, stream)}
      testId="phase-metrics"
      className="phase-metrics"
      data={{ 'data-refreshes': view?.refresh ?? 0 }}
    >
      {!latest || !chart ? (
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
          <PhaseChart
            points={chart.points}
            cursorS={chart.cursorS}
            replay={stream?.source === 'replay'}
            height={chartHeight}
          />
          <p className="legend muted">
            <span className="swatch swatch-r" /> R (left) <span className="swatch swatch-v" />{' '}
            vortices (right) · dashed: the frame on screen
          </p>
        </>
      )}
    </Panel>
  );
}
