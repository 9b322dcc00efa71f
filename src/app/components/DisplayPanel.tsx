import { COLORMAP_NAMES, isColormapName } from '../../core/colormap';
import { useActions } from '../actions';
import { useUi, type UiStore } from '../state/ui-store';
import { ColorWheel } from './ColorWheel';

/** Colormap, relative mode and zoom, with the colour-wheel legend. */
export function DisplayPanel({ store }: { store: UiStore }) {
  const actions = useActions();
  const colormap = useUi(store, (s) => s.params.colormap);
  const display = useUi(store, (s) => s.display);
  return (
    <section className="panel display-panel" aria-label="Display">
      <h2>Display</h2>
      <div className="display-row">
        <ColorWheel colormap={colormap} relative={display.relative} />
        <div className="display-controls">
          <label>
            colormap{' '}
            <select
              data-testid="colormap"
              value={colormap}
              onChange={(e) => {
                const name = e.target.value;
                if (isColormapName(name))
                  store.setState((s) => ({ params: { ...s.params, colormap: name } }));
              }}
            >
              {COLORMAP_NAMES.map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </select>
          </label>
          <label title="Show each phase minus the mean phase psi (R)">
            <input
              type="checkbox"
              data-testid="relative"
              checked={display.relative}
              onChange={(e) => actions.setRelative(e.target.checked)}
            />{' '}
            relative to ψ
          </label>
          <div>
            zoom {display.zoom.toFixed(display.zoom < 10 ? 2 : 1)}×{' '}
            <button type="button" onClick={() => actions.zoom(1.25)} aria-label="Zoom in">
              +
            </button>{' '}
            <button type="button" onClick={() => actions.zoom(0.8)} aria-label="Zoom out">
              −
            </button>{' '}
            <button type="button" onClick={actions.resetView} data-testid="reset-view">
              reset
            </button>
          </div>
        </div>
      </div>
    </section>
  );
}
