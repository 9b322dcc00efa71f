import { useQuery } from '@tanstack/react-query';
import type { RcaEffectiveness, RcaGroupStats } from '../../core/api/rca';
import { useApi, useUi } from '../shell/hooks';
import { formatDuration, formatWindow } from '../tickets/format';
import { rcaEffectivenessQuery } from '../tickets/rca-queries';
import { useStreamTenant } from './charts/range-hooks';
import { Panel } from './panels/Panel';
import type { CsvTable } from './panels/csv';

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

function effectivenessCsv(report: RcaEffectiveness | undefined): CsvTable {
  return {
    columns: ['figure', 'with draft', 'without draft'],
    rows: report
      ? ROWS.map(([label, , value]) => [label, value(report.withDraft), value(report.withoutDraft)])
      : [],
  };
}

/**
 * Does drafting help? Tickets whose RCA began as a draft against the rest (drafting off, written by
 * hand, from before the feature): how many reached an approved RCA, how fast, how fully the
 * approved texts fill the template, and how much reviewers rewrote.
 */
export function RcaEffectivenessPanel() {
  const tenant = useStreamTenant();
  // Tickets opened in the shared time range, as the MTTR panel counts them.
  const windowName = useUi((s) => s.params.range);
  const query = useQuery(rcaEffectivenessQuery(useApi(), tenant, windowName));
  const report = query.data;
  return (
    <Panel
      id="rca"
      title={`RCA drafts · tickets opened in ${formatWindow(windowName)}`}
      label="RCA drafts"
      csv={() => effectivenessCsv(report)}
      testId="rca-effectiveness"
      className="rca-effectiveness"
    >
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
    </Panel>
  );
}
