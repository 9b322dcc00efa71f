import { COLORMAP_NAMES } from '../../core/colormap';
import { useActions, useUi } from '../shell/hooks';
import { ColorWheel } from './ColorWheel';
import { Panel } from './panels/Panel';

/** Colormap, relative mode and zoom, with the colour-wheel legend. */
export function DisplayPanel() {
  const actions = useActions();
  const colormap = useUi((s) => s.params.colormap);
  const display = useUi((s) => s.display);
  return (
    <Panel
      id="display"
      title="Display"
      className="display-panel"
      csv={() => ({
        columns: ['setting', 'value'],
        rows: [
          ['colormap', colormap],
          ['relative', display.relative],
          ['zoom', display.zoom],
          ['center_x_cells', display.centerXCells],
          ['center_y_cells', display.centerYCells],
        ],
      })}
    >
      <div className="display-row">
        <ColorWheel colormap={colormap} relative={display.relative} />
        <div className="display-controls">
          <label>
            colormap{' '}
            <select
              data-testid="colormap"
              value={colormap}
              onChange={(e) => actions.setColormap(e.target.value)}
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
    </Panel>
  );
}
