// What the console's browsers reported about themselves (docs/API.md, "Browser reports"): the
// first-week watch item. Reports are anonymous writes that may name private tenants, so listing
// them needs an admin's token; others are told so rather than shown an error.
import { useQuery } from '@tanstack/react-query';
import type { ClientReport, ClientReportList } from '../../core/api/client-reports';
import { clientReportsQuery, sessionQuery } from '../api/launch-queries';
import { useApi, useUi } from '../shell/hooks';
import { formatTime, formatWindow } from '../tickets/format';
import { Panel, usePanelOpen } from './panels/Panel';
import type { CsvTable } from './panels/csv';

function reportsCsv(list: ClientReportList | undefined): CsvTable {
  return {
    columns: [
      'received_at',
      'kind',
      'count',
      'message',
      'reason',
      'tenant',
      'page',
      'browser',
      'webgl_renderer',
      'max_texture_size',
    ],
    rows: (list?.reports ?? []).map((r) => [
      r.receivedAt,
      r.kind,
      r.count,
      r.message,
      r.reason,
      r.tenant,
      r.page,
      r.browser,
      r.webglRenderer,
      r.maxTextureSize,
    ]),
  };
}

function ReportItem({ r }: { r: ClientReport }) {
  const where = [
    r.tenant && `tenant ${r.tenant}`,
    r.webglRenderer,
    r.maxTextureSize !== null && `max texture ${r.maxTextureSize}`,
  ].filter(Boolean);
  return (
    <li className="client-report" data-testid="client-report" data-kind={r.kind}>
      <details>
        <summary>
          <time dateTime={r.receivedAt} className="num">
            {formatTime(r.receivedAt)}
          </time>{' '}
          <strong>{r.kind.replaceAll('_', ' ')}</strong>
          {r.count > 1 && <span className="muted"> ×{r.count}</span>}:{' '}
          <span data-testid="client-report-message">{r.message}</span>
          {r.reason && <span className="muted"> ({r.reason})</span>}
        </summary>
        {where.length > 0 && <p className="muted">{where.join(' · ')}</p>}
        {r.page && <p className="muted">page {r.page}</p>}
        {r.browser && <p className="muted">{r.browser}</p>}
        {r.stack && <pre className="client-report-stack">{r.stack}</pre>}
      </details>
    </li>
  );
}

export function ClientReportsPanel() {
  const api = useApi();
  const range = useUi((s) => s.params.range);
  const session = useQuery(sessionQuery(api));
  const admin = session.data?.admin === true;
  const open = usePanelOpen('client-reports');
  const query = useQuery(clientReportsQuery(api, range, admin && open));
  const list = query.data;
  return (
    <Panel
      id="client-reports"
      title="Browser reports"
      csv={() => reportsCsv(list)}
      testId="client-reports-panel"
      data={{ 'data-total': list?.total ?? '' }}
    >
      {session.isPending && <p className="muted">Loading…</p>}
      {session.data && !admin && (
        <p className="muted" data-testid="client-reports-admin-only">
          Browsers' error reports may name any tenant: listing them needs an admin token (token… in
          the header), or <code>npm run kaizen -- client-reports</code> on the console's host.
        </p>
      )}
      {query.isError && (
        <p className="error" role="alert">
          Could not load the reports: {query.error.message}
        </p>
      )}
      {admin && query.isPending && <p className="muted">Loading…</p>}
      {list && (
        <>
          <p className="panel-note" data-testid="client-reports-summary">
            {list.total === 0
              ? `No browser reported a fault in the last ${formatWindow(range)}.`
              : `${list.total.toLocaleString('en-US')} reports in the last ${formatWindow(range)}` +
                (list.total > list.reports.length
                  ? `, the newest ${list.reports.length} below`
                  : '') +
                ': ' +
                list.byKind.map((k) => `${k.kind.replaceAll('_', ' ')} ${k.count}`).join(', ') +
                '.'}
          </p>
          <ul className="client-reports" data-testid="client-reports">
            {list.reports.map((r) => (
              <ReportItem key={r.id} r={r} />
            ))}
          </ul>
        </>
      )}
    </Panel>
  );
}
