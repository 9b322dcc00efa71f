// Bandwidth the delta wire protocol saves on this tenant's stream, against raw 16-bit frames (two
// bytes a spin, every frame): since the server began counting, and over the shared time range,
// with what a day of streaming would save projected from the seconds in the range that had
// viewers (gaps with nobody watching send nothing and would drag an average down).
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Area, YAxis } from 'recharts';
import type { BandwidthReport } from '../../core/api/panels';
import { bandwidthQuery } from '../api/panel-queries';
import { formatWallClock } from '../frames/stream-state';
import { useApi } from '../shell/hooks';
import { formatDuration, formatWindow } from '../tickets/format';
import { valueTick } from './charts/chart-style';
import { useStreamTenant, useTimeRange } from './charts/range-hooks';
import { TimeChart } from './charts/TimeChart';
import { formatBytes } from './format';
import { Panel, usePanelChartHeight } from './panels/Panel';
import type { CsvTable } from './panels/csv';

export const DEFAULT_EGRESS_USD_PER_GB = 0.09;
const PRICE_KEY = 'phase-console.egressUsdPerGb';
const RATE_TICK = valueTick((v) => `${formatBytes(v)}/s`);

function loadPrice(): number {
  try {
    const stored = Number(localStorage.getItem(PRICE_KEY));
    return Number.isFinite(stored) && stored > 0 && stored < 100
      ? stored
      : DEFAULT_EGRESS_USD_PER_GB;
  } catch {
    return DEFAULT_EGRESS_USD_PER_GB;
  }
}

/**
 * Dollars a day of streaming saves at the egress price, from the rate while someone watched
 * (bytes saved per second with frames going out); null when nobody watched in the range.
 */
export function dollarsSavedPerDay(
  savedBytesPerActiveS: number | null,
  usdPerGb: number,
): number | null {
  return savedBytesPerActiveS === null ? null : (savedBytesPerActiveS * 86_400 * usdPerGb) / 1e9;
}

function bandwidthCsv(report: BandwidthReport | undefined): CsvTable {
  return {
    columns: ['time', 'sent_bytes_per_s', 'saved_bytes_per_s', 'raw_u16_bytes_per_s'],
    rows: (report?.series ?? []).map((p) => [
      new Date(p.atMs).toISOString(),
      Math.round(p.sentBytesPerS),
      Math.round(p.savedBytesPerS),
      Math.round(p.rawBytesPerS),
    ]),
  };
}

export function BandwidthPanel() {
  const tenant = useStreamTenant();
  const range = useTimeRange();
  const [usdPerGb, setUsdPerGb] = useState(loadPrice);
  const query = useQuery(bandwidthQuery(useApi(), tenant, range.seconds));
  const chartHeight = usePanelChartHeight('bandwidth', 70);
  const report = query.data;
  const series = report?.series ?? [];
  const chart = series.map((p) => ({ t: p.atMs, sent: p.sentBytesPerS, saved: p.savedBytesPerS }));
  const perDay = report ? dollarsSavedPerDay(report.window.savedBytesPerActiveS, usdPerGb) : null;
  const rangeText = `last ${formatWindow(range.range)}`;

  return (
    <Panel
      id="bandwidth"
      title="Bandwidth saved vs raw 16-bit frames"
      label="Bandwidth"
      csv={() => bandwidthCsv(report)}
      testId="bandwidth-panel"
      className="bandwidth"
    >
      {tenant === null && <p className="muted">Waiting for the stream…</p>}
      {query.isError && <p className="error">Could not load bandwidth: {query.error.message}</p>}
      {report && (
        <>
          <dl className="stats">
            <div>
              <dt>saved, {rangeText}</dt>
              <dd data-testid="bytes-saved-window" data-value={report.window.bytesSaved}>
                {formatBytes(report.window.bytesSaved)}
              </dd>
            </div>
            <div>
              <dt>savings, {rangeText}</dt>
              <dd data-testid="savings-ratio">
                {report.window.rawBytes > 0
                  ? `${(report.window.savingsRatio * 100).toFixed(1)} %`
                  : '–'}
              </dd>
            </div>
            <div>
              <dt title={new Date(report.totalsSinceMs).toString()}>
                saved since {formatWallClock(report.totalsSinceMs)}
              </dt>
              <dd data-testid="bytes-saved" data-value={report.totals.bytesSaved}>
                {formatBytes(report.totals.bytesSaved)}
              </dd>
            </div>
            <div>
              <dt>saved per day</dt>
              <dd data-testid="dollars-per-day">
                {perDay === null ? '–' : `$${perDay.toFixed(2)}`}
              </dd>
            </div>
          </dl>
          <p className="panel-note" data-testid="bandwidth-basis">
            Per day: the rate of the {formatDuration(report.window.activeS)} with viewers in the{' '}
            {rangeText}, for 24 h, at ${usdPerGb}/GB (gaps without viewers left out).
          </p>
          <TimeChart
            data={chart}
            height={chartHeight}
            yWidth={72}
            formatValue={(v, name) => `${formatBytes(v)}/s ${name}`}
            testId="bandwidth-chart"
          >
            <YAxis width={72} interval={0} tick={RATE_TICK} />
            <Area
              type="monotone"
              dataKey="saved"
              name="saved"
              stroke="var(--ok)"
              fill="var(--ok)"
              fillOpacity={0.25}
              isAnimationActive={false}
              dot={false}
            />
            <Area
              type="monotone"
              dataKey="sent"
              name="sent"
              stroke="var(--accent)"
              fill="var(--accent)"
              fillOpacity={0.25}
              isAnimationActive={false}
              dot={false}
            />
          </TimeChart>
        </>
      )}
      <div className="controls">
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
                try {
                  localStorage.setItem(PRICE_KEY, String(price));
                } catch {
                  // Storage blocked: the price lasts as long as the page.
                }
              }
            }}
          />
        </label>
      </div>
    </Panel>
  );
}
