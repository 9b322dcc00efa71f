import { useActions, useUi } from '../shell/hooks';

/** URL parameter problems and stream faults, shown rather than swallowed. */
export function Notices() {
  const actions = useActions();
  const notices = useUi((s) => s.notices);
  const lastFault = useUi((s) => s.lastFault);
  if (notices.length === 0 && !lastFault) return null;
  return (
    <div className="notices" role="alert" data-testid="notices">
      {notices.map((n) => (
        <p key={n.param + n.message}>{n.message}</p>
      ))}
      {lastFault && <p>{lastFault}</p>}
      <button type="button" onClick={actions.dismissNotices} aria-label="Dismiss notices">
        Dismiss
      </button>
    </div>
  );
}
