import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Area, AreaChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { bandwidthQuery } from '../api/panel-queries';
import { useApi } from '../shell/hooks';
import { formatBytes } from './format';

export const DEFAULT_EGRESS_USD_PER_GB = 0.09;
const PRICE_KEY = 'phase-console.egressUsdPerGb';
const WINDOWS_S = [60, 300, 600] as const;

function loadPrice(): number {
  const stored = Number(localStorage.getItem(PRICE_KEY));
  return Number.isFinite(stored) && stored > 0 && stored < 100 ? stored : DEFAULT_EGRESS_USD_PER_GB;
}

/** Dollars a day that the window's mean saved-bytes rate is worth at the egress price. */
export function dollarsSavedPerDay(savedBytesPerS: number, usdPerGb: number): number {
  return (savedBytesPerS * 86_400 * usdPerGb) / 1e9;
}

/** Bandwidth the delta wire protocol saves on this tenant's stream, refreshed twice a second. */
export function BandwidthPanel({ tenant }: { tenant: string | null }) {
  const [windowS, setWindowS] = useState<number>(60);
  const [usdPerGb, setUsdPerGb] = useState(loadPrice);
  const query = useQuery(bandwidthQuery(useApi(), tenant, windowS));
  const report = query.data;
  const series = report?.series ?? [];
  const meanSaved =
    series.length > 0 ? series.reduce((s, p) => s + p.savedBytesPerS, 0) / series.length : 0;
  const latestSent = series.length > 0 ? series[series.length - 1]!.sentBytesPerS : 0;
  const chart = series.map((p) => ({
    t: Math.round((p.atMs - (series[0]?.atMs ?? 0)) / 1000),
    sent: p.sentBytesPerS,
    saved: p.savedBytesPerS,
  }));

  return (
    <section className="panel bandwidth" aria-label="Bandwidth" data-testid="bandwidth-panel">
      <h2>Bandwidth saved</h2>
      {tenant === null && <p className="muted">Waiting for the stream…</p>}
      {query.isError && <p className="error">Could not load bandwidth: {query.error.message}</p>}
      {report && (
        <>
          <dl className="stats">
            <div>
              <dt>saved so far</dt>
              <dd data-testid="bytes-saved" data-value={report.totals.bytesSaved}>
                {formatBytes(report.totals.bytesSaved)}
              </dd>
            </div>
            <div>
              <dt>savings</dt>
              <dd data-testid="savings-ratio">{(report.savingsRatio * 100).toFixed(1)} %</dd>
            </div>
            <div>
              <dt>sent</dt>
              <dd>{formatBytes(latestSent)}/s</dd>
            </div>
            <div>
              <dt>saved per day</dt>
              <dd data-testid="dollars-per-day">
                ${dollarsSavedPerDay(meanSaved, usdPerGb).toFixed(2)}
              </dd>
            </div>
          </dl>
          <div className="chart" aria-hidden="true">
            <ResponsiveContainer width="100%" height={90}>
              <AreaChart data={chart} margin={{ top: 4, right: 4, bottom: 0, left: 0 }}>
                <XAxis dataKey="t" hide />
                <YAxis hide />
                <Tooltip
                  formatter={(v) => `${formatBytes(Number(v))}/s`}
                  labelFormatter={(t) => `${t} s`}
                />
                <Area
                  type="monotone"
                  dataKey="saved"
                  stroke="var(--ok)"
                  fill="var(--ok)"
                  fillOpacity={0.25}
                  isAnimationActive={false}
                  dot={false}
                />
                <Area
                  type="monotone"
                  dataKey="sent"
                  stroke="var(--accent)"
                  fill="var(--accent)"
                  fillOpacity={0.25}
                  isAnimationActive={false}
                  dot={false}
                />
              </AreaChart>
            </ResponsiveContainer>
          </div>
        </>
      )}
      <div className="controls">
        <label>
          window{' '}
          <select value={windowS} onChange={(e) => setWindowS(Number(e.target.value))}>
            {WINDOWS_S.map((w) => (
              <option key={w} value={w}>
                {w / 60} min
              </option>
            ))}
          </select>
        </label>
        <label>
          egress $/GB{' '}
          <input
            type="number"
            min={0.001}
            max={99}
            step={0.01}
            value={usdPerGb}
            onChange={(e) => {
              const price = Number(e.target.value);
              if (Number.isFinite(price) && price > 0 && price < 100) {
                setUsdPerGb(price);
                localStorage.setItem(PRICE_KEY, String(price));
              }
            }}
          />
        </label>
      </div>
    </section>
  );
}
