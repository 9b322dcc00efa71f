import { useUi, type UiStore } from '../state/ui-store';

/** URL parameter problems and stream faults, shown rather than swallowed. */
export function Notices({ store }: { store: UiStore }) {
  const notices = useUi(store, (s) => s.notices);
  const lastFault = useUi(store, (s) => s.lastFault);
  if (notices.length === 0 && !lastFault) return null;
  return (
    <div className="notices" role="alert" data-testid="notices">
      {notices.map((n) => (
        <p key={n.param + n.message}>{n.message}</p>
      ))}
      {lastFault && <p>{lastFault}</p>}
      <button
        type="button"
        onClick={() => store.setState({ notices: [], lastFault: null })}
        aria-label="Dismiss notices"
      >
        Dismiss
      </button>
    </div>
  );
}
