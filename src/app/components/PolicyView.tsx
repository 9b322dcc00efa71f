import { useQuery } from '@tanstack/react-query';
import { sessionQuery } from '../api/launch-queries';
import { policyReportQuery } from '../api/policy-queries';
import { useActions, useApi, useUi } from '../shell/hooks';
import { PolicyBudgets } from './PolicyBudgets';
import { PolicyImpact } from './PolicyImpact';
import { PromotionHistory } from './PromotionHistory';
import { TryChange } from './TryChange';

/** The main area's policy view (`view=policy`): see, try and weigh the promotion policies. */
export function PolicyView() {
  const api = useApi();
  const actions = useActions();
  const tenant = useUi((s) => s.stream?.tenant ?? s.params.tenant);
  const report = useQuery(policyReportQuery(api, tenant));
  const session = useQuery(sessionQuery(api));
  const admin = session.data?.admin ?? false;
  const data = report.data;
  const change = data?.context.change as { before?: { source?: string } } | undefined;
  return (
    <div className="policy-view" data-testid="policy-view">
      <section className="panel" aria-label="Policies">
        <div className="tickets-bar">
          <button type="button" onClick={() => actions.setView('heatmap')}>
            ← Back to the stream
          </button>
          <h2>Policies{tenant ? ` · ${tenant}` : ''}</h2>
          {data && <span className="muted">{data.engine}</span>}
        </div>
        {tenant === null && <p className="muted">Waiting for the stream to name its tenant…</p>}
        {report.isPending && tenant !== null && <p className="muted">Loading the policies…</p>}
        {report.isError && (
          <p className="error">Could not load the policies: {report.error.message}</p>
        )}
        {data && (
          <>
            <p className="muted" data-testid="policy-latency-state">
              {data.figures.latency.measured
                ? `Figures over the last ${data.figures.windowS} s.`
                : 'Latency not measured yet: clients report it while they watch the stream.'}
            </p>
            <PolicyBudgets report={data} />
          </>
        )}
      </section>
      {data && tenant !== null && (
        <>
          <TryChange
            key={tenant}
            tenant={tenant}
            source={change?.before?.source ?? 'replay'}
            admin={admin}
          />
          <PromotionHistory tenant={tenant} admin={admin} />
          <PolicyImpact report={data} admin={admin} />
        </>
      )}
    </div>
  );
}
