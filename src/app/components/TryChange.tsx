import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  MIN_OVERRIDE_REASON_CHARS,
  type Promotion,
  type PromotionEvaluation,
  type PromotionRequest,
} from '../../core/api/policy';
import { POLICY_KEY } from '../api/policy-queries';
import { useApi } from '../shell/hooks';
import { PolicyDecision } from './PolicyDecision';
import { changeOf, EMPTY_FIELDS, type ChangeFields } from './policy-change';

type Outcome =
  { kind: 'try'; evaluation: PromotionEvaluation } | { kind: 'promotion'; promotion: Promotion };

/**
 * "Try a change": the decision and why, nothing applied. An admin may then promote it, and
 * override a denial with a reason.
 */
export function TryChange({
  tenant,
  source,
  admin,
}: {
  tenant: string;
  source: string;
  admin: boolean;
}) {
  const api = useApi();
  const queryClient = useQueryClient();
  const [fields, setFields] = useState<ChangeFields>(EMPTY_FIELDS);
  const [reason, setReason] = useState('');
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const change = changeOf(fields);
  const request = (): PromotionRequest | null =>
    typeof change === 'string' ? null : { tenant, kind: 'tenant-settings', change };
  const refresh = () => queryClient.invalidateQueries({ queryKey: [POLICY_KEY] });

  const evaluate = useMutation({
    mutationFn: (body: PromotionRequest) =>
      api.send<PromotionEvaluation>('POST', '/api/promotions/evaluate', body),
    onSuccess: (evaluation) => setOutcome({ kind: 'try', evaluation }),
  });
  const promote = useMutation({
    mutationFn: (body: PromotionRequest) => api.send<Promotion>('POST', '/api/promotions', body),
    onSuccess: (promotion) => {
      setOutcome({ kind: 'promotion', promotion });
      void refresh();
    },
  });
  const override = useMutation({
    mutationFn: (id: number) =>
      api.send<Promotion>('POST', `/api/promotions/${id}/override`, { reason: reason.trim() }),
    onSuccess: (promotion) => {
      setOutcome({ kind: 'promotion', promotion });
      setReason('');
      void refresh();
    },
  });
  const set = (key: keyof ChangeFields) => (value: string) =>
    setFields((f) => ({ ...f, [key]: value }));
  const busy = evaluate.isPending || promote.isPending || override.isPending;
  const failure = evaluate.error ?? promote.error ?? override.error;
  const denied = outcome?.kind === 'promotion' && outcome.promotion.status === 'denied';

  return (
    <section className="panel try-change" aria-label="Try a change" data-testid="policy-try">
      <h2>Try a change to {tenant}</h2>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          const body = request();
          if (body) evaluate.mutate(body);
        }}
      >
        <label>
          SLO (ms)
          <input
            data-testid="try-slo"
            inputMode="decimal"
            value={fields.sloMs}
            onChange={(e) => set('sloMs')(e.target.value)}
          />
        </label>
        <label>
          Visibility
          <select
            data-testid="try-visibility"
            value={fields.visibility}
            onChange={(e) => set('visibility')(e.target.value)}
          >
            <option value="">unchanged</option>
            <option value="public">public</option>
            <option value="private">private</option>
          </select>
        </label>
        <label>
          GPU threshold (spins)
          <input
            data-testid="try-gpu"
            placeholder="unchanged, or default"
            value={fields.gpuThreshold}
            onChange={(e) => set('gpuThreshold')(e.target.value)}
          />
        </label>
        {source === 'live' ? (
          <label>
            Lattice
            <input
              data-testid="try-lattice"
              placeholder="WIDTHxHEIGHT"
              value={fields.lattice}
              onChange={(e) => set('lattice')(e.target.value)}
            />
          </label>
        ) : (
          <label>
            Trace (a path on the server)
            <input
              data-testid="try-trace"
              value={fields.trace}
              onChange={(e) => set('trace')(e.target.value)}
            />
          </label>
        )}
        <div className="try-actions">
          <button type="submit" data-testid="try-evaluate" disabled={busy || request() === null}>
            Evaluate
          </button>
          <button
            type="button"
            data-testid="try-promote"
            disabled={!admin || busy || request() === null}
            title={
              admin ? 'Evaluate, record and apply if allowed' : 'Promoting needs an admin token'
            }
            onClick={() => {
              const body = request();
              if (body) promote.mutate(body);
            }}
          >
            Promote
          </button>
          {typeof change === 'string' && <span className="muted">{change}</span>}
          {busy && <span className="muted">Evaluating…</span>}
        </div>
      </form>
      {failure && <p className="error">{failure.message}</p>}
      {outcome?.kind === 'try' && <PolicyDecision evaluation={outcome.evaluation} />}
      {outcome?.kind === 'promotion' && (
        <PolicyDecision
          evaluation={outcome.promotion}
          status={`promotion ${outcome.promotion.id} ${outcome.promotion.status}`}
        />
      )}
      {denied && admin && (
        <form
          className="policy-override"
          onSubmit={(event) => {
            event.preventDefault();
            override.mutate(outcome.promotion.id);
          }}
        >
          <label>
            Override with a reason (recorded in the audit log)
            <textarea
              data-testid="override-reason"
              value={reason}
              onChange={(e) => setReason(e.target.value)}
            />
          </label>
          <button
            type="submit"
            data-testid="override-submit"
            disabled={busy || reason.trim().length < MIN_OVERRIDE_REASON_CHARS}
          >
            Override and apply
          </button>
        </form>
      )}
    </section>
  );
}
