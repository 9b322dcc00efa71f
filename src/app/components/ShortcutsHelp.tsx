import { useEffect, useState } from 'react';
import { nextSpeed } from '../shell/actions';
import { useActions, useAppContext } from '../shell/hooks';

export const SHORTCUTS: [key: string, what: string][] = [
  ['Space', 'play or pause (on a focused button: press it)'],
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
  ['Tab to the heatmap, then arrows', 'move a cell cursor; Enter pins the cell'],
  ['Esc', 'close this help, a fullscreen panel or the panels drawer'],
];

function typingInField(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || ['INPUT', 'SELECT', 'TEXTAREA'].includes(target.tagName))
  );
}

/** Space on a focused button, link or checkbox-like control presses it: it is not play/pause then. */
function spacePressesTarget(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (['BUTTON', 'A', 'SUMMARY'].includes(target.tagName) ||
      ['button', 'checkbox', 'switch', 'menuitem', 'tab', 'link'].includes(
        target.getAttribute('role') ?? '',
      ))
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
          // Closes what covers the console: this help, a fullscreen panel, the panels' drawer.
          setOpen(false);
          actions.setFullscreenPanel(null);
          actions.toggleDrawer(false);
          break;
        case ' ':
          if (spacePressesTarget(e.target)) return;
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
