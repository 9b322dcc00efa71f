import { useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import type { ImpactReport, PolicyReport } from '../../core/api/policy';
import { useApi } from '../shell/hooks';

const DEFAULT_LIMIT = 50;

/** Weigh a modified bundle: which recent decisions, and which tenants today, would flip. */
export function PolicyImpact({ report, admin }: { report: PolicyReport; admin: boolean }) {
  const api = useApi();
  const shipped = report.policies.map((p) => p.text).join('\n\n');
  const [text, setText] = useState<string | null>(null);
  const [limit, setLimit] = useState(String(DEFAULT_LIMIT));
  const impact = useMutation({
    mutationFn: (body: { policies: string; limit: number }) =>
      api.send<ImpactReport>('POST', '/api/policy/impact', body),
  });
  const count = Number(limit);
  const limitOk = Number.isInteger(count) && count >= 1 && count <= 1000;
  const result = impact.data;

  return (
    <section
      className="panel policy-impact"
      aria-label="Impact analysis"
      data-testid="policy-impact"
    >
      <h2>Impact of a modified bundle</h2>
      {!admin && (
        <p className="muted">Weighing policies reads the audit record: it needs an admin token.</p>
      )}
      <form
        onSubmit={(event) => {
          event.preventDefault();
          impact.mutate({ policies: text ?? shipped, limit: count });
        }}
      >
        <textarea
          data-testid="impact-policies"
          spellCheck={false}
          rows={12}
          value={text ?? shipped}
          onChange={(e) => setText(e.target.value)}
        />
        <div className="try-actions">
          <label>
            Last
            <input
              className="narrow"
              data-testid="impact-limit"
              value={limit}
              onChange={(e) => setLimit(e.target.value)}
            />
            promotions
          </label>
          <button
            type="submit"
            data-testid="impact-run"
            disabled={!admin || !limitOk || impact.isPending}
          >
            Weigh
          </button>
          {text !== null && (
            <button type="button" onClick={() => setText(null)}>
              Reset to the bundle
            </button>
          )}
          {impact.isPending && <span className="muted">Evaluating…</span>}
          {!limitOk && <span className="error">1 to 1000 promotions</span>}
        </div>
      </form>
      {impact.error && (
        <pre className="error" data-testid="impact-error">
          {impact.error.message}
        </pre>
      )}
      {result && (
        <div data-testid="impact-result">
          <p>
            {result.flips.length} of {result.evaluated} recorded decisions would flip;{' '}
            {result.today.length} tenants would be decided otherwise today.
          </p>
          <ul>
            {result.flips.map((f) => (
              <li key={f.promotionId}>
                promotion {f.promotionId} ({f.tenant}, {f.createdAt}): {f.before} → {f.after}
                {f.deciding.length > 0 && ` by ${f.deciding.map((d) => d.id).join(', ')}`}
              </li>
            ))}
            {result.today.map((t) => (
              <li key={`today-${t.tenant}`}>
                {t.tenant} today: {t.before} → {t.after}
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
