// The tenant's frame latency p95 (all its viewers, as they report it to the server) over the shared
// time range, against its SLO: the figure is the p95 of every sample in the range, and the
// verdict has hysteresis (docs/API.md, GET /api/latency), so it does not flip every second. This
// browser's own figure is the performance panel's, under another name.
import { useQuery } from '@tanstack/react-query';
import { Line, ReferenceLine, YAxis } from 'recharts';
import type { LatencyReport } from '../../core/api/panels';
import { latencyQuery } from '../api/panel-queries';
import { formatWallClock } from '../frames/stream-state';
import { useApi } from '../shell/hooks';
import { formatWindow } from '../tickets/format';
import { valueTick } from './charts/chart-style';
import { useStreamTenant, useTimeRange } from './charts/range-hooks';
import { TimeChart } from './charts/TimeChart';
import { Panel, usePanelChartHeight } from './panels/Panel';
import type { CsvTable } from './panels/csv';

const MS_TICK = valueTick((v) => `${v} ms`);

const VERDICT_TEXT = {
  within: 'within SLO',
  over: 'over SLO',
  insufficient: 'too few samples for a verdict',
} as const;

function latencyCsv(report: LatencyReport | undefined): CsvTable {
  return {
    columns: ['time', 'p95_ms', 'samples', 'window_p95_ms', 'slo_ms'],
    rows: (report?.series ?? []).map((s) => [
      new Date(s.atMs).toISOString(),
      s.p95Ms,
      s.count,
      s.windowP95Ms,
      report!.sloMs,
    ]),
  };
}

export function LatencyPanel() {
  const tenant = useStreamTenant();
  const range = useTimeRange();
  const query = useQuery(latencyQuery(useApi(), tenant, range.seconds));
  const chartHeight = usePanelChartHeight('latency', 90);
  const report = query.data;
  const chart = (report?.series ?? []).map((s) => ({
    t: s.atMs,
    p95: s.p95Ms,
    windowP95: s.windowP95Ms,
  }));
  const rangeText = `last ${formatWindow(range.range)}`;
  return (
    <Panel
      id="latency"
      title={report ? `Tenant latency p95 · SLO ${report.sloMs} ms` : 'Tenant latency p95'}
      label="Tenant latency"
      csv={() => latencyCsv(report)}
      testId="latency-panel"
    >
      {query.isError && <p className="error">Could not load latency: {query.error.message}</p>}
      {query.isPending && tenant !== null && <p className="muted">Loading…</p>}
      {report && report.samples === 0 && (
        <p className="muted" data-testid="latency-empty">
          No latency reported in the {rangeText}.
        </p>
      )}
      {report && report.p95Ms !== null && (
        <>
          <p className="panel-figure">
            <span
              className={
                report.verdict === 'over' ? 'error' : report.verdict === 'within' ? 'ok' : 'muted'
              }
              data-testid="latency-p95"
              data-verdict={report.verdict}
              data-value={report.p95Ms}
            >
              {report.p95Ms.toFixed(2)} ms {VERDICT_TEXT[report.verdict]}
            </span>
          </p>
          <p className="panel-note" data-testid="latency-basis">
            p95 of {report.samples.toLocaleString('en-US')} frames (all viewers), {rangeText}
            {report.verdictSinceMs !== null && report.verdict !== 'insufficient'
              ? `, ${report.verdict} since ${formatWallClock(report.verdictSinceMs)}`
              : ''}
            . Over above {report.sloMs} ms, within again below {report.withinBelowMs.toFixed(1)} ms.
          </p>
          <TimeChart
            data={chart}
            height={chartHeight}
            yWidth={52}
            formatValue={(v, name) => `${v.toFixed(2)} ms ${name}`}
            testId="latency-chart"
          >
            <YAxis
              width={52}
              interval={0}
              tick={MS_TICK}
              domain={[0, (max: number) => Math.ceil(Math.max(max, report.sloMs * 1.2))]}
            />
            <ReferenceLine y={report.sloMs} stroke="var(--error)" strokeDasharray="4 3" />
            <Line
              type="monotone"
              dataKey="p95"
              name={`p95 per ${report.stepS === 1 ? 's' : `${report.stepS} s`}`}
              stroke="var(--muted)"
              dot={false}
              isAnimationActive={false}
            />
            <Line
              type="monotone"
              dataKey="windowP95"
              name={`p95 over ${formatWindow(range.range)}`}
              stroke="var(--accent)"
              strokeWidth={2}
              dot={false}
              isAnimationActive={false}
            />
          </TimeChart>
          <p className="legend muted">
            <span className="swatch swatch-r" /> p95 over the range{' '}
            <span className="swatch swatch-muted" /> per{' '}
            {report.stepS === 1 ? 'second' : `${report.stepS} s`}{' '}
            <span className="swatch swatch-slo" /> SLO
          </p>
        </>
      )}
    </Panel>
  );
}
