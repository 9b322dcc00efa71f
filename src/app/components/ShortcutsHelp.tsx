import { useEffect, useState } from 'react';
import { nextSpeed, useActions } from '../actions';
import type { UiStore } from '../state/ui-store';

export const SHORTCUTS: [key: string, what: string][] = [
  ['Space', 'play or pause'],
  ['← / →', 'step one frame back or forward'],
  ['[ / ]', 'slower or faster'],
  ['L', 'back to live'],
  ['T', 'light or dark theme'],
  ['?', 'this help'],
  ['Esc', 'close this help'],
];

function typingInField(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || ['INPUT', 'SELECT', 'TEXTAREA'].includes(target.tagName))
  );
}

/** Keyboard shortcuts for the whole page, and the `?` overlay listing them. */
export function ShortcutsHelp({ store }: { store: UiStore }) {
  const actions = useActions();
  const [open, setOpen] = useState(false);
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.ctrlKey || e.metaKey || e.altKey || typingInField(e.target)) return;
      const speed = store.getState().playback?.speed ?? 1;
      switch (e.key) {
        case '?':
          setOpen((o) => !o);
          break;
        case 'Escape':
          setOpen(false);
          break;
        case ' ':
          actions.togglePlay();
          break;
        case 'ArrowLeft':
          actions.step(-1);
          break;
        case 'ArrowRight':
          actions.step(1);
          break;
        case '[':
          actions.setSpeed(nextSpeed(speed, -1));
          break;
        case ']':
          actions.setSpeed(nextSpeed(speed, 1));
          break;
        case 'l':
        case 'L':
          actions.goLive();
          break;
        case 't':
        case 'T':
          actions.setTheme(store.getState().params.theme === 'dark' ? 'light' : 'dark');
          break;
        default:
          return;
      }
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [actions, store]);
  if (!open) return null;
  return (
    <div
      className="overlay"
      role="dialog"
      aria-modal="true"
      aria-label="Keyboard shortcuts"
      data-testid="shortcuts-help"
    >
      <div className="panel">
        <h2>Keyboard shortcuts</h2>
        <dl className="shortcuts">
          {SHORTCUTS.map(([key, what]) => (
            <div key={key}>
              <dt>
                <kbd>{key}</kbd>
              </dt>
              <dd>{what}</dd>
            </div>
          ))}
        </dl>
        <button type="button" onClick={() => setOpen(false)}>
          Close
        </button>
      </div>
    </div>
  );
}
