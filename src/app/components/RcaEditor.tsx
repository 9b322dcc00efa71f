import { useState, type FormEvent } from 'react';
import { Markdown } from './LazyMarkdown';

/** Largest RCA the server takes, in characters (src/server/rca/store.ts). */
export const MAX_RCA_CHARS = 50_000;

/** The RCA's Markdown in a text area, with a preview tab; saving makes a new version. */
export function RcaEditor(props: {
  initial: string;
  saving: boolean;
  onSave: (markdown: string) => void;
  onCancel: () => void;
}) {
  const [text, setText] = useState(props.initial);
  const [tab, setTab] = useState<'write' | 'preview'>('write');
  const unchanged = text === props.initial;
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    if (!unchanged && text.trim() !== '') props.onSave(text);
  };
  return (
    <form className="rca-editor" onSubmit={submit} data-testid="rca-editor">
      <div className="rca-tabs" role="tablist">
        {(['write', 'preview'] as const).map((name) => (
          <button
            key={name}
            type="button"
            role="tab"
            aria-selected={tab === name}
            onClick={() => setTab(name)}
            data-testid={`rca-tab-${name}`}
          >
            {name === 'write' ? 'Write' : 'Preview'}
          </button>
        ))}
      </div>
      {tab === 'write' ? (
        <textarea
          value={text}
          rows={18}
          maxLength={MAX_RCA_CHARS}
          onChange={(e) => setText(e.target.value)}
          aria-label="RCA Markdown"
          data-testid="rca-text"
        />
      ) : (
        <Markdown text={text} testId="rca-preview" />
      )}
      <p className="muted num">
        {text.length.toLocaleString('en-US')} of {MAX_RCA_CHARS.toLocaleString('en-US')} characters
      </p>
      <div className="ticket-buttons">
        <button
          type="submit"
          disabled={props.saving || unchanged || text.trim() === ''}
          data-testid="rca-save"
        >
          {props.saving ? 'Saving…' : 'Save version'}
        </button>
        <button type="button" onClick={props.onCancel} disabled={props.saving}>
          Cancel
        </button>
      </div>
    </form>
  );
}
