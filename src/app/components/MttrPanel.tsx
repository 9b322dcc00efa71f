import { Line, LineChart, ResponsiveContainer, YAxis } from 'recharts';
import { useQuery } from '@tanstack/react-query';
import type { MttrReport, SeverityMttr, TrendPoint } from '../../core/api/tickets';
import { useActions, useApi, useUi } from '../shell/hooks';
import { filtersFromApiPath, type TicketFilters } from '../tickets/filters';
import { formatDuration, formatWindow } from '../tickets/format';
import { mttrQuery } from '../tickets/queries';
import { useStreamTenant } from './charts/range-hooks';
import { useChartOutOfTabOrder } from './charts/tab-order';
import { Panel } from './panels/Panel';
import type { CsvTable } from './panels/csv';

/** The drill-down of a card: the server's own link when it can be read, else the same filters. */
function cardFilters(s: SeverityMttr, tenant: string, windowName: string): TicketFilters {
  return (
    filtersFromApiPath(s.tickets) ?? {
      tenant,
      severity: [s.severity],
      status: ['resolved'],
      source: [],
      resolvedBy: null,
      window: windowName,
      windowOn: 'resolved',
    }
  );
}

/** What "N open" counts: the severity's tickets not resolved, whenever they opened. */
function openFilters(s: SeverityMttr, tenant: string): TicketFilters {
  return {
    tenant,
    severity: [s.severity],
    status: ['open', 'acknowledged'],
    source: [],
    resolvedBy: null,
    window: null,
    windowOn: 'opened',
  };
}

function Sparkline({ trend }: { trend: TrendPoint[] }) {
  const box = useChartOutOfTabOrder();
  const data = trend.map((p, i) => ({ i, median: p.medianSeconds }));
  return (
    <div className="mttr-spark" aria-hidden="true" ref={box}>
      <ResponsiveContainer width="100%" height={24}>
        <LineChart
          data={data}
          margin={{ top: 3, right: 2, bottom: 3, left: 2 }}
          accessibilityLayer={false}
        >
          <YAxis hide domain={[0, 'auto']} />
          <Line
            type="linear"
            dataKey="median"
            stroke="var(--accent)"
            strokeWidth={1.5}
            dot={{ r: 1.5 }}
            connectNulls
            isAnimationActive={false}
          />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}

function cardLabel(s: SeverityMttr, windowName: string): string {
  const w = formatWindow(windowName);
  if (s.all.count === 0) return `${s.severity}: no tickets resolved in ${w}. Show them.`;
  return (
    `${s.severity}: median time to resolve ${formatDuration(s.all.medianSeconds)} over ` +
    `${s.all.count} tickets resolved in ${w} (mean ${formatDuration(s.all.meanSeconds)}, ` +
    `p90 ${formatDuration(s.all.p90Seconds)}; ${s.auto.count} by themselves, ` +
    `${s.person.count} by people). Show these tickets.`
  );
}

/**
 * One severity: the time to resolve the tickets resolved in the window (a button that lists
 * exactly those), and the tickets open now (a button that lists exactly those). Two counts, two
 * drill-downs: a card never lists other tickets than the figure it was clicked on.
 */
function MttrCard({
  s,
  windowName,
  onResolved,
  onOpen,
}: {
  s: SeverityMttr;
  windowName: string;
  onResolved: () => void;
  onOpen: () => void;
}) {
  const empty = s.all.count === 0;
  const w = formatWindow(windowName);
  return (
    <div
      className={`mttr-card severity-${s.severity}`}
      data-testid={`mttr-card-${s.severity}`}
      data-count={s.all.count}
      data-median-seconds={s.all.medianSeconds ?? ''}
    >
      <button
        type="button"
        className="mttr-resolved"
        data-testid="mttr-resolved"
        aria-label={cardLabel(s, windowName)}
        onClick={onResolved}
      >
        <span className="mttr-head">
          <span className="mttr-severity">{s.severity}</span>
          {!empty && (
            <span className="mttr-median" data-testid="mttr-median" title="median time to resolve">
              {formatDuration(s.all.medianSeconds)}
            </span>
          )}
        </span>
        {empty ? (
          <span className="muted mttr-empty" data-testid="mttr-empty">
            no tickets resolved in {w}
          </span>
        ) : (
          <span className="mttr-side muted">
            <span>mean {formatDuration(s.all.meanSeconds)}</span>
            <span>p90 {formatDuration(s.all.p90Seconds)}</span>
            <span data-testid="mttr-count">n = {s.all.count}</span>
            <span className="mttr-split" data-testid="mttr-split">
              auto {s.auto.count}
              {s.auto.count > 0 && ` · ${formatDuration(s.auto.medianSeconds)}`}, person{' '}
              {s.person.count}
              {s.person.count > 0 && ` · ${formatDuration(s.person.medianSeconds)}`}
            </span>
          </span>
        )}
      </button>
      {!empty && <Sparkline trend={s.trend} />}
      <button
        type="button"
        className={`mttr-open-link ${s.open > 0 ? 'warn' : 'muted'}`}
        data-testid="mttr-open"
        aria-label={`${s.severity}: ${s.open} open now. Show them.`}
        onClick={onOpen}
      >
        {s.open} open
      </button>
    </div>
  );
}

function mttrCsv(report: MttrReport | undefined): CsvTable {
  return {
    columns: [
      'severity',
      'window',
      'resolved',
      'median_s',
      'mean_s',
      'p90_s',
      'auto',
      'person',
      'open_now',
    ],
    rows: (report?.severities ?? []).map((s) => [
      s.severity,
      report!.window,
      s.all.count,
      s.all.medianSeconds,
      s.all.meanSeconds,
      s.all.p90Seconds,
      s.auto.count,
      s.person.count,
      s.open,
    ]),
  };
}

/**
 * Mean time to resolve the tenant's tickets, one card per severity, over the shared time range.
 * The median leads (a mean of a few tickets misleads), with the count behind it; each figure
 * opens the very tickets it counts.
 */
export function MttrPanel() {
  const tenant = useStreamTenant();
  const windowName = useUi((s) => s.params.range);
  const actions = useActions();
  const query = useQuery(mttrQuery(useApi(), tenant, windowName));
  const report = query.data;
  return (
    <Panel
      id="mttr"
      title={`MTTR · resolved in ${formatWindow(windowName)}`}
      label="MTTR"
      csv={() => mttrCsv(report)}
      testId="mttr-panel"
      className="mttr"
      data={{ 'data-window': report?.window ?? '' }}
    >
      <div className="mttr-body">
        {tenant === null && <p className="muted">Waiting for the stream…</p>}
        {query.isError && <p className="error">Could not load MTTR: {query.error.message}</p>}
        {query.isPending && tenant !== null && <p className="muted">Loading…</p>}
        {report && tenant !== null && (
          <div className="mttr-cards">
            {report.severities.map((s) => (
              <MttrCard
                key={s.severity}
                s={s}
                windowName={report.window}
                onResolved={() => actions.openTickets(cardFilters(s, tenant, report.window))}
                onOpen={() => actions.openTickets(openFilters(s, tenant))}
              />
            ))}
          </div>
        )}
      </div>
    </Panel>
  );
}
