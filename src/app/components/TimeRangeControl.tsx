// The one time range the panels (latency, bandwidth, MTTR, annotations) and the ticket list share:
// last 5 min, 1 h, 24 h, 7 d, or a custom trailing window typed like the API's (45m, 3h, 2d).
import { useState, type FormEvent } from 'react';
import { useActions, useUi } from '../shell/hooks';
import { TIME_RANGE_PRESETS, isTimeRange } from '../state/time-range';
import { formatWindow } from '../tickets/format';

const CUSTOM = 'custom';

export function TimeRangeControl({ id = 'time-range' }: { id?: string }) {
  const actions = useActions();
  const range = useUi((s) => s.params.range);
  const preset = (TIME_RANGE_PRESETS as readonly string[]).includes(range);
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(range);
  const [error, setError] = useState<string | null>(null);
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    const value = text.trim();
    if (!isTimeRange(value)) {
      setError('a count and a unit m, h or d, like 45m, 3h, 2d');
      return;
    }
    setError(null);
    setEditing(false);
    actions.setRange(value);
  };
  return (
    <div className="time-range" data-testid={id}>
      <label>
        <span>time range</span>
        <select
          aria-label="Time range"
          data-testid={`${id}-select`}
          value={editing || !preset ? CUSTOM : range}
          onChange={(e) => {
            if (e.target.value === CUSTOM) {
              setText(range);
              setEditing(true);
            } else {
              setEditing(false);
              actions.setRange(e.target.value);
            }
          }}
        >
          {TIME_RANGE_PRESETS.map((r) => (
            <option key={r} value={r}>
              last {formatWindow(r)}
            </option>
          ))}
          <option value={CUSTOM}>
            {preset || editing ? 'custom…' : `last ${formatWindow(range)}`}
          </option>
        </select>
      </label>
      {editing && (
        <form onSubmit={submit} className="time-range-custom">
          <input
            aria-label="Custom time range"
            data-testid={`${id}-custom`}
            value={text}
            size={5}
            onChange={(e) => setText(e.target.value)}
            autoFocus
          />
          <button type="submit">apply</button>
          {error && (
            <span className="error" role="alert">
              {error}
            </span>
          )}
        </form>
      )}
    </div>
  );
}
