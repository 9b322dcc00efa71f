import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Rca } from '../../core/api/rca';
import { RCA_SECTIONS } from '../../core/api/rca';
import type { Ticket } from '../../core/api/tickets';
import { ApiError } from '../api/client';
import { sessionQuery } from '../api/launch-queries';
import { useApi, useUi } from '../shell/hooks';
import { currentTenant } from '../state/ui-store';
import { formatTime } from '../tickets/format';
import {
  rcaChangeMutation,
  rcaQuery,
  rcaWriteRefusal,
  type RcaChange,
} from '../tickets/rca-queries';
import { Markdown } from './LazyMarkdown';
import { RcaEditor } from './RcaEditor';
import { RcaHistory } from './RcaHistory';
import { RcaReview } from './RcaReview';

const STATUS_TEXT: Record<Rca['status'], string> = {
  drafting: 'drafting',
  draft: 'draft: waiting for review',
  approved: 'approved',
  rejected: 'rejected',
};

function changeError(error: Error): string {
  if (error instanceof ApiError && error.status === 409) {
    return `${error.message}. The latest version is loaded; your text stays in the editor.`;
  }
  return error instanceof ApiError ? error.message : `Could not reach the server: ${error.message}`;
}

function Summary({ rca }: { rca: Rca }) {
  const lastReview = rca.reviews[rca.reviews.length - 1];
  return (
    <p className="muted rca-meta" data-testid="rca-meta">
      {rca.engine
        ? `Drafted by the ${rca.engine === 'chat' ? 'model endpoint' : 'built-in drafter'}`
        : 'Written by hand'}
      {' · '}version {rca.version}, revision {rca.revision}
      {' · '}
      <span data-testid="rca-sections">
        {rca.sectionsFilled.length} of {RCA_SECTIONS.length} sections filled
      </span>
      {rca.evidence &&
        ` · ${rca.evidence.logs.lines.length} log lines (${rca.evidence.logs.capture})`}
      {lastReview && rca.status !== 'draft' && (
        <>
          {' · '}
          {lastReview.outcome} by {lastReview.by} {formatTime(lastReview.at)}
          {lastReview.reason ? `: ${lastReview.reason}` : ''}
        </>
      )}
    </p>
  );
}

/** The ticket's root-cause analysis: read by anyone who sees the ticket, edited and reviewed by its operators. */
export function RcaSection({ ticket }: { ticket: Ticket }) {
  const api = useApi();
  const tenant = useUi(currentTenant);
  const query = useQuery(rcaQuery(api, ticket.id, tenant));
  const session = useQuery(sessionQuery(api));
  const change = useMutation(rcaChangeMutation(api, useQueryClient(), ticket.id));
  const [editing, setEditing] = useState(false);
  const refusal = session.isError
    ? `Cannot tell what your token may do (${session.error.message}).`
    : rcaWriteRefusal(session.data, ticket.tenant);
  const rca = query.data;
  const run = (c: RcaChange, after?: () => void): void => change.mutate(c, { onSuccess: after });
  const busy = change.isPending || rca?.status === 'drafting';

  return (
    <section className="rca" aria-label="Root-cause analysis" data-testid="rca-section">
      <h3>
        Root-cause analysis{' '}
        {rca && (
          <span className={`rca-status rca-${rca.status}`} data-testid="rca-status">
            {STATUS_TEXT[rca.status]}
          </span>
        )}
      </h3>
      {refusal && (
        <p className="muted" data-testid="rca-read-only">
          {refusal}
        </p>
      )}
      {query.isPending && <p className="muted">Loading the RCA…</p>}
      {query.isError && <p className="error">Could not load the RCA: {query.error.message}</p>}
      {rca === null && (
        <p className="muted" data-testid="rca-none">
          No RCA yet for this ticket.
        </p>
      )}
      {rca?.status === 'drafting' && (
        <p className="muted" data-testid="rca-drafting" aria-live="polite">
          Drafting from the ticket’s evidence (alert, the tenant’s last 60 s of logs, metrics,
          recent changes, alike tickets)…
        </p>
      )}
      {rca && rca.version > 0 && (
        <>
          <Summary rca={rca} />
          {rca.engineNote && (
            <p className="warning" data-testid="rca-engine-note">
              {rca.engineNote}
            </p>
          )}
          {editing ? (
            <RcaEditor
              initial={rca.markdown}
              saving={change.isPending}
              onSave={(markdown) =>
                run({ kind: 'edit', markdown, baseVersion: rca.version }, () => setEditing(false))
              }
              onCancel={() => setEditing(false)}
            />
          ) : (
            <Markdown text={rca.markdown} testId="rca-markdown" />
          )}
          {rca.approved && rca.status !== 'approved' && (
            <details className="rca-approved">
              <summary>
                The approved text (version {rca.approved.version}, by {rca.approved.by},{' '}
                {formatTime(rca.approved.at)})
              </summary>
              <Markdown text={rca.approved.markdown} />
            </details>
          )}
        </>
      )}
      <div className="ticket-buttons">
        {rca && rca.version > 0 && !editing && (
          <button
            type="button"
            disabled={refusal !== null || busy}
            title={
              refusal ?? (rca.status === 'approved' ? 'Editing starts a new review' : undefined)
            }
            onClick={() => setEditing(true)}
            data-testid="rca-edit"
          >
            Edit
          </button>
        )}
        <button
          type="button"
          disabled={refusal !== null || busy}
          title={refusal ?? undefined}
          onClick={() => run({ kind: 'draft' })}
          data-testid="rca-draft"
        >
          {rca ? 'Draft again' : 'Draft an RCA'}
        </button>
      </div>
      {rca?.status === 'draft' && !editing && (
        <RcaReview
          disabledReason={refusal}
          pending={change.isPending}
          onApprove={(reason) => run({ kind: 'approve', version: rca.version, reason })}
          onReject={(reason) => run({ kind: 'reject', version: rca.version, reason })}
        />
      )}
      {change.isError && (
        <p className="error" role="alert" data-testid="rca-error">
          {changeError(change.error)}
        </p>
      )}
      {rca && rca.versions.length > 0 && <RcaHistory rca={rca} />}
    </section>
  );
}
