import { useQuery } from '@tanstack/react-query';
import {
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { latencyQuery } from '../api/panel-queries';
import { useApi } from '../shell/hooks';

/** Frame latency p95 per second for the tenant (all its viewers), against its SLO. */
export function LatencyPanel({ tenant }: { tenant: string | null }) {
  const query = useQuery(latencyQuery(useApi(), tenant));
  const report = query.data;
  const latest = report?.series[report.series.length - 1];
  const over = latest !== undefined && report !== undefined && latest.p95Ms > report.sloMs;
  const chart = (report?.series ?? []).map((s) => ({ t: s.atMs, p95: s.p95Ms }));
  return (
    <section className="panel" aria-label="Latency" data-testid="latency-panel">
      <h2>Latency p95{report ? ` · SLO ${report.sloMs} ms` : ''}</h2>
      {query.isError && <p className="error">Could not load latency: {query.error.message}</p>}
      {report && report.samples === 0 && <p className="muted">No latency reported yet.</p>}
      {latest && report && (
        <>
          <p className={over ? 'error' : 'ok'} data-testid="latency-p95">
            {latest.p95Ms.toFixed(2)} ms {over ? 'over' : 'within'} SLO
          </p>
          <ResponsiveContainer width="100%" height={80}>
            <LineChart data={chart} margin={{ top: 4, right: 4, bottom: 0, left: 0 }}>
              <XAxis dataKey="t" hide />
              <YAxis hide domain={[0, (max: number) => Math.max(max, report.sloMs * 1.2)]} />
              <Tooltip formatter={(v) => `${Number(v).toFixed(2)} ms`} labelFormatter={() => ''} />
              <ReferenceLine y={report.sloMs} stroke="var(--error)" strokeDasharray="4 3" />
              <Line
                type="monotone"
                dataKey="p95"
                stroke="var(--accent)"
                dot={false}
                isAnimationActive={false}
              />
            </LineChart>
          </ResponsiveContainer>
        </>
      )}
    </section>
  );
}
