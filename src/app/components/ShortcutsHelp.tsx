import { useEffect, useState } from 'react';
import { nextSpeed } from '../shell/actions';
import { useActions, useAppContext } from '../shell/hooks';

export const SHORTCUTS: [key: string, what: string][] = [
  ['Space', 'play or pause'],
  ['← / →', 'step one frame back or forward'],
  ['[ / ]', 'slower or faster'],
  ['L', 'back to live'],
  ['+ / −', 'zoom in or out'],
  ['Shift + arrows', 'pan'],
  ['0', 'whole lattice'],
  ['R', 'relative phase (minus the mean phase)'],
  ['T', 'light or dark theme'],
  ['H', 'performance HUD over any view'],
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
export function ShortcutsHelp() {
  const { ui } = useAppContext();
  const actions = useActions();
  const [open, setOpen] = useState(false);
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.ctrlKey || e.metaKey || e.altKey || typingInField(e.target)) return;
      const speed = ui.getState().playback?.speed ?? 1;
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
          if (e.shiftKey) actions.pan(-0.1, 0);
          else actions.step(-1);
          break;
        case 'ArrowRight':
          if (e.shiftKey) actions.pan(0.1, 0);
          else actions.step(1);
          break;
        case 'ArrowUp':
          if (!e.shiftKey) return;
          actions.pan(0, -0.1);
          break;
        case 'ArrowDown':
          if (!e.shiftKey) return;
          actions.pan(0, 0.1);
          break;
        case '+':
        case '=':
          actions.zoom(1.25);
          break;
        case '-':
          actions.zoom(0.8);
          break;
        case '0':
          actions.resetView();
          break;
        case 'r':
        case 'R':
          actions.setRelative(!ui.getState().display.relative);
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
        case 'h':
        case 'H':
          actions.toggleHud();
          break;
        case 't':
        case 'T':
          actions.setTheme(ui.getState().params.theme === 'dark' ? 'light' : 'dark');
          break;
        default:
          return;
      }
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [actions, ui]);
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
