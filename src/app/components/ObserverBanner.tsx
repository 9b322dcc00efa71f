// The launch's observer mode (docs/OPERATIONS.md, "The launch runbook", step 1): while it is on,
// tickets open and resolve as usual but pages and digests wait in the outbox. A strip under the
// header says so on every view, so nobody takes a quiet pager for a quiet console.
import { useQuery } from '@tanstack/react-query';
import { observerQuery } from '../api/launch-queries';
import { useApi } from '../shell/hooks';
import { formatTime } from '../tickets/format';

export function ObserverBanner() {
  const status = useQuery(observerQuery(useApi())).data;
  if (!status?.enabled) return null;
  const held = status.heldNotifications;
  return (
    <div
      className="observer-banner"
      role="status"
      data-testid="observer-banner"
      data-held={held}
      aria-label="Observer mode is on"
    >
      <strong>Observer mode</strong> Pages and Slack digests are held, not sent:{' '}
      <span data-testid="observer-held">
        {held === 0 ? 'none held yet' : `${held.toLocaleString('en-US')} held in the outbox`}
      </span>
      . Tickets open and resolve as usual.
      {status.changedAt && (
        <span className="muted">
          {' '}
          On since {formatTime(status.changedAt)}
          {status.changedBy ? ` by ${status.changedBy}` : ''}
          {status.reason ? `: “${status.reason}”` : ''}.
        </span>
      )}
    </div>
  );
}
