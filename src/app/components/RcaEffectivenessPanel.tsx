import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { RcaGroupStats } from '../../core/api/rca';
import { useApi } from '../shell/hooks';
import { formatDuration, formatWindow } from '../tickets/format';
import { rcaEffectivenessQuery } from '../tickets/rca-queries';

const WINDOWS = ['24h', '7d', '30d', '90d'] as const;

const percent = (share: number | null): string =>
  share === null ? '–' : `${Math.round(share * 100)} %`;

/** The table's rows: a label, a test id, and the figure of a group. */
const ROWS: [label: string, testId: string, value: (g: RcaGroupStats) => string][] = [
  ['tickets', 'rca-eff-tickets', (g) => String(g.tickets)],
  [
    'approved RCA',
    'rca-eff-approved',
    (g) => `${g.approved}${g.rejected ? ` (${g.rejected} rejected once)` : ''}`,
  ],
  ['open → approved, median', 'rca-eff-time', (g) => formatDuration(g.medianSecondsToApproved)],
  ['sections filled', 'rca-eff-sections', (g) => percent(g.sectionsFilledShare)],
  ['words changed in review', 'rca-eff-edits', (g) => percent(g.meanEditDistanceRatio)],
];

/**
 * Does drafting help? Tickets whose RCA began as a draft against the rest (drafting off, written by
 * hand, from before the feature): how many reached an approved RCA, how fast, how fully the
 * approved texts fill the template, and how much reviewers rewrote.
 */
export function RcaEffectivenessPanel({ tenant }: { tenant: string | null }) {
  const [windowName, setWindowName] = useState<string>('30d');
  const query = useQuery(rcaEffectivenessQuery(useApi(), tenant, windowName));
  const report = query.data;
  return (
    <section
      className="panel rca-effectiveness"
      aria-label="RCA effectiveness"
      data-testid="rca-effectiveness"
    >
      <h2>
        RCA drafts{' '}
        <select
          aria-label="RCA effectiveness window"
          value={windowName}
          onChange={(e) => setWindowName(e.target.value)}
          data-testid="rca-effectiveness-window"
        >
          {WINDOWS.map((w) => (
            <option key={w} value={w}>
              {formatWindow(w)}
            </option>
          ))}
        </select>
      </h2>
      {tenant === null && <p className="muted">Waiting for the stream…</p>}
      {query.isError && (
        <p className="error">Could not load the RCA figures: {query.error.message}</p>
      )}
      {query.isPending && tenant !== null && <p className="muted">Loading…</p>}
      {report && report.withDraft.tickets + report.withoutDraft.tickets === 0 && (
        <p className="muted">No tickets opened in {formatWindow(report.window)}.</p>
      )}
      {report && report.withDraft.tickets + report.withoutDraft.tickets > 0 && (
        <table className="rca-effectiveness-table">
          <thead>
            <tr>
              <th />
              <th scope="col">with draft</th>
              <th scope="col">without</th>
            </tr>
          </thead>
          <tbody>
            {ROWS.map(([label, testId, value]) => (
              <tr key={testId} data-testid={testId}>
                <th scope="row">{label}</th>
                <td className="num">{value(report.withDraft)}</td>
                <td className="num">{value(report.withoutDraft)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
