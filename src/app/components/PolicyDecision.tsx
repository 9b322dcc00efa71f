import type { PromotionEvaluation } from '../../core/api/policy';
import { figureRows } from './policy-format';

/** A decision: allow or deny, the policies that decided it with their messages, its figures. */
export function PolicyDecision({
  evaluation,
  status,
}: {
  evaluation: PromotionEvaluation;
  /** For a real promotion: applied, denied or overridden. */
  status?: string;
}) {
  const denied = evaluation.decision === 'deny';
  return (
    <div className="policy-decision" data-testid="policy-result">
      <p className={denied ? 'error' : 'ok'}>
        <strong data-testid="policy-decision">{denied ? 'Denied' : 'Allowed'}</strong>
        {status ? ` · ${status}` : ''}
      </p>
      <ul data-testid="policy-deciding">
        {evaluation.deciding.map((d) => (
          <li key={d.id} data-policy={d.id}>
            <code>{d.id}</code> ({d.effect}): {d.message}
          </li>
        ))}
        {evaluation.errors.map((e) => (
          <li key={e} className="error">
            {e}
          </li>
        ))}
      </ul>
      <table className="policy-figures">
        <thead>
          <tr>
            <th />
            <th>Now</th>
            <th>After the change</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {figureRows(evaluation.figures).map(([name, now, after, note]) => (
            <tr key={name}>
              <td>{name}</td>
              <td>{now}</td>
              <td>{after}</td>
              <td className="muted">{note}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
