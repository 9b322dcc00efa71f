import { useState, type FormEvent } from 'react';

/** Approve the RCA as it stands, or reject it with a reason (required). */
export function RcaReview(props: {
  disabledReason: string | null;
  pending: boolean;
  onApprove: (note: string) => void;
  onReject: (reason: string) => void;
}) {
  const [reason, setReason] = useState('');
  const disabled = props.disabledReason !== null || props.pending;
  const reject = (e: FormEvent): void => {
    e.preventDefault();
    if (reason.trim() !== '') props.onReject(reason);
  };
  return (
    <form className="rca-review" onSubmit={reject}>
      <input
        value={reason}
        maxLength={2000}
        onChange={(e) => setReason(e.target.value)}
        placeholder="reason (required to reject, kept with an approval)"
        aria-label="Review reason"
        disabled={disabled}
        title={props.disabledReason ?? undefined}
        data-testid="rca-reason"
      />
      <button
        type="button"
        disabled={disabled}
        title={props.disabledReason ?? undefined}
        onClick={() => props.onApprove(reason)}
        data-testid="rca-approve"
      >
        Approve
      </button>
      <button
        type="submit"
        disabled={disabled || reason.trim() === ''}
        title={props.disabledReason ?? 'Rejecting needs a reason'}
        data-testid="rca-reject"
      >
        Reject
      </button>
    </form>
  );
}
