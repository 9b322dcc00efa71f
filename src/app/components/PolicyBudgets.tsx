import type { PolicyReport } from '../../core/api/policy';
import { contextValue, formatBudget, formatFigure } from './policy-format';

/** Each policy of the bundle with its budget and today's figure against it. */
export function PolicyBudgets({ report }: { report: PolicyReport }) {
  return (
    <table className="policy-budgets" data-testid="policy-budgets">
      <thead>
        <tr>
          <th>Policy</th>
          <th>Budget</th>
          <th>Today</th>
          <th>Status</th>
        </tr>
      </thead>
      <tbody>
        {report.policies.map((policy) => {
          const raw = policy.figure ? contextValue(report.context, policy.figure) : null;
          const measured =
            !policy.figure?.startsWith('latency.') || report.figures.latency.measured;
          const over = report.over.includes(policy.id);
          return (
            <tr key={policy.id} data-testid={`policy-${policy.id}`} title={policy.text}>
              <td>
                <code>{policy.id}</code> <span className="muted">{policy.effect}</span>
                <div className="muted">{policy.message}</div>
              </td>
              <td>{policy.budget ? formatBudget(policy.figure, policy.budget) : '—'}</td>
              <td data-testid="policy-today">
                {raw === null ? '—' : measured ? formatFigure(policy.figure!, raw) : 'not measured'}
              </td>
              <td>
                {policy.effect === 'permit' ? (
                  <span className="muted">permits</span>
                ) : over ? (
                  <span className="error">over</span>
                ) : (
                  <span className="ok">within</span>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
