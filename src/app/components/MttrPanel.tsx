import { useState, type KeyboardEvent } from 'react';
import { Line, LineChart, ResponsiveContainer, YAxis } from 'recharts';
import { useQuery } from '@tanstack/react-query';
import type { SeverityMttr, TrendPoint } from '../../core/api/tickets';
import { useActions, useApi } from '../shell/hooks';
import { filtersFromApiPath, type TicketFilters } from '../tickets/filters';
import { formatDuration, formatWindow } from '../tickets/format';
import { mttrQuery } from '../tickets/queries';

/** Windows the panel offers; the ticket list accepts any the API does. */
const MTTR_WINDOWS = ['1h', '24h', '7d', '30d'] as const;

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

function Sparkline({ trend }: { trend: TrendPoint[] }) {
  const data = trend.map((p, i) => ({ i, median: p.medianSeconds }));
  return (
    <div className="mttr-spark" aria-hidden="true">
      <ResponsiveContainer width="100%" height={26}>
        <LineChart data={data} margin={{ top: 3, right: 2, bottom: 3, left: 2 }}>
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
  const open = `${s.open} open`;
  if (s.all.count === 0)
    return `${s.severity}: no tickets resolved in ${w}; ${open}. Show tickets.`;
  return (
    `${s.severity}: median time to resolve ${formatDuration(s.all.medianSeconds)} over ` +
    `${s.all.count} tickets resolved in ${w} (mean ${formatDuration(s.all.meanSeconds)}, ` +
    `p90 ${formatDuration(s.all.p90Seconds)}; ${s.auto.count} by themselves, ` +
    `${s.person.count} by people); ${open}. Show tickets.`
  );
}

function MttrCard({
  s,
  windowName,
  onOpen,
}: {
  s: SeverityMttr;
  windowName: string;
  onOpen: () => void;
}) {
  const empty = s.all.count === 0;
  // A div with the button role, not a <button>: the card holds block content and a chart.
  const onKeyDown = (e: KeyboardEvent): void => {
    if (e.key !== 'Enter' && e.key !== ' ') return;
    // Space would also reach the page's play/pause shortcut.
    e.preventDefault();
    e.stopPropagation();
    if (!e.repeat) onOpen();
  };
  return (
    <div
      role="button"
      tabIndex={0}
      className={`mttr-card severity-${s.severity}`}
      data-testid={`mttr-card-${s.severity}`}
      data-count={s.all.count}
      data-median-seconds={s.all.medianSeconds ?? ''}
      aria-label={cardLabel(s, windowName)}
      onClick={onOpen}
      onKeyDown={onKeyDown}
    >
      <div className="mttr-head">
        <span className="mttr-severity">{s.severity}</span>
        <span className={s.open > 0 ? 'warn' : 'muted'} data-testid="mttr-open">
          {s.open} open
        </span>
      </div>
      {empty ? (
        <p className="muted mttr-empty" data-testid="mttr-empty">
          no tickets resolved in {formatWindow(windowName)}
        </p>
      ) : (
        <>
          <div className="mttr-figures">
            <span className="mttr-median" data-testid="mttr-median" title="median time to resolve">
              {formatDuration(s.all.medianSeconds)}
            </span>
            <span className="mttr-side">
              <span>mean {formatDuration(s.all.meanSeconds)}</span>
              <span>p90 {formatDuration(s.all.p90Seconds)}</span>
              <span data-testid="mttr-count">n = {s.all.count}</span>
            </span>
          </div>
          <div className="mttr-split muted" data-testid="mttr-split">
            <span>
              auto {s.auto.count}
              {s.auto.count > 0 && ` · ${formatDuration(s.auto.medianSeconds)}`}
            </span>
            <span>
              person {s.person.count}
              {s.person.count > 0 && ` · ${formatDuration(s.person.medianSeconds)}`}
            </span>
          </div>
          <Sparkline trend={s.trend} />
        </>
      )}
    </div>
  );
}

/**
 * Mean time to resolve the tenant's tickets, one card per severity, over a chosen window. The
 * median leads (a mean of a few tickets misleads), with the count behind it; a card opens the
 * very tickets its figures come from.
 */
export function MttrPanel({ tenant }: { tenant: string | null }) {
  const [windowName, setWindowName] = useState<string>('24h');
  const actions = useActions();
  const query = useQuery(mttrQuery(useApi(), tenant, windowName));
  const report = query.data;
  return (
    <section
      className="panel mttr"
      aria-label="MTTR"
      data-testid="mttr-panel"
      data-window={report?.window ?? ''}
    >
      <h2>
        MTTR{' '}
        <select
          className="mttr-window"
          aria-label="MTTR window"
          data-testid="mttr-window"
          value={windowName}
          onChange={(e) => setWindowName(e.target.value)}
        >
          {MTTR_WINDOWS.map((w) => (
            <option key={w} value={w}>
              {formatWindow(w)}
            </option>
          ))}
        </select>
      </h2>
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
              onOpen={() => actions.openTickets(cardFilters(s, tenant, report.window))}
            />
          ))}
        </div>
      )}
    </section>
  );
}
