// What an operator (buttons, keys) or an embedding host (postMessage) can ask of the app.
// Everything goes through here so every entry point behaves the same.
import { isColormapName } from '../../core/colormap';
import { isTenantId } from '../../core/tenant-id';
import type { PlaybackControl } from '../../core/wire/playback';
import { DEFAULT_DISPLAY, panBy, zoomAt } from '../state/display';
import type { PanelLayout } from '../state/panel-layout';
import { isTimeRange } from '../state/time-range';
import type { Theme, ViewMode } from '../state/params';
import type { UiStore } from '../state/ui-store';
import { createTicketActions, type TicketActions } from '../tickets/navigation';
import { savePanelLayout } from './panel-storage';
import { TOKEN_FORMAT, saveToken } from './token';

export interface AppActions extends TicketActions {
  play(): void;
  pause(): void;
  togglePlay(): void;
  seek(frame: number): void;
  step(delta: number): void;
  setSpeed(speed: number): void;
  setLoop(loop: boolean, a: number | null, b: number | null): void;
  goLive(): void;
  setTheme(theme: Theme): void;
  /** A colormap by name (src/core/colormap.ts); an unknown name is refused with a notice. */
  setColormap(name: string): void;
  /** Shows the heatmap, the 3-D view or the tickets; the address bar follows (url/sync.ts). */
  setView(view: ViewMode): void;
  /** Opens or closes the floating performance HUD. */
  toggleHud(): void;
  /** Clears the URL notices and the last fault. */
  dismissNotices(): void;
  /** Zooms by a factor about a point given as fractions of the heatmap (the centre by default). */
  zoom(factor: number, fx?: number, fy?: number): void;
  /** Pans by fractions of the visible window (positive: right and down). */
  pan(fx: number, fy: number): void;
  resetView(): void;
  setRelative(relative: boolean): void;
  pin(spinIndex: number | null): void;
  /** Switches the stream and every panel to another tenant, without a reload. */
  setTenant(tenant: string): void;
  /** Sets (or clears) the operator's token; reconnects with it. */
  setToken(token: string | null): void;
  /**
   * The time range of the panels and the ticket list (`5m`, `1h`, `24h`, `7d`, any window); a
   * string that is not one is refused with a notice. The list's window follows unless it shows
   * all time.
   */
  setRange(range: string): void;
  /** The side panels' new order and collapsed ones, kept for this browser. */
  setPanelLayout(layout: PanelLayout): void;
  /** Makes a panel fill the window (null: back to the side column). */
  setFullscreenPanel(id: string | null): void;
  /** Embedded: opens or closes the panels' drawer. */
  toggleDrawer(open?: boolean): void;
}

export const SPEEDS = [0.25, 0.5, 1, 2, 4, 8, 16] as const;

export interface StreamControl {
  control(c: PlaybackControl): void;
  reconnect(): void;
  /** Drops the picture and the stream's figures at once (signing out). */
  clearPicture(): void;
}

export function createAppActions(store: UiStore, stream: StreamControl): AppActions {
  const control = (c: PlaybackControl): void => stream.control(c);
  const playing = (): boolean => store.getState().playback?.playing ?? true;
  const actions: Omit<
    AppActions,
    keyof TicketActions | 'setRange' | 'setPanelLayout' | 'setFullscreenPanel' | 'toggleDrawer'
  > = {
    play: () => control({ action: 'play' }),
    pause: () => control({ action: 'pause' }),
    // A paused live stream has nothing to play from: playing again means following it.
    togglePlay: () =>
      control({
        action: playing() ? 'pause' : store.getState().stream?.source === 'live' ? 'live' : 'play',
      }),
    seek: (frame) => control({ action: 'seek', frame }),
    step: (delta) => control({ action: 'step', delta }),
    setSpeed: (s) => control({ action: 'speed', speed: s }),
    setLoop: (loop, a, b) => control({ action: 'loop', loop, a, b }),
    goLive: () => control({ action: 'live' }),
    setTheme: (theme) => store.setState((s) => ({ params: { ...s.params, theme } })),
    setColormap: (name) => {
      if (!isColormapName(name)) {
        store.setState({ lastFault: `colormap ${JSON.stringify(name.slice(0, 64))} is unknown` });
        return;
      }
      store.setState((s) => ({ params: { ...s.params, colormap: name } }));
    },
    setView: (view) => {
      if (view !== store.getState().params.view)
        store.setState((s) => ({ params: { ...s.params, view } }));
    },
    toggleHud: () => store.setState((s) => ({ hudOpen: !s.hudOpen })),
    dismissNotices: () => store.setState({ notices: [], lastFault: null }),
    zoom: (factor, fx = 0.5, fy = 0.5) => {
      const { stream, display } = store.getState();
      if (stream)
        store.setState({ display: zoomAt(display, stream.width, stream.height, factor, fx, fy) });
    },
    pan: (fx, fy) => {
      const { stream, display } = store.getState();
      if (!stream) return;
      const spanX = stream.width / display.zoom;
      const spanY = stream.height / display.zoom;
      store.setState({
        display: panBy(display, stream.width, stream.height, fx * spanX, fy * spanY),
      });
    },
    resetView: () =>
      store.setState((s) => ({ display: { ...DEFAULT_DISPLAY, relative: s.display.relative } })),
    setRelative: (relative) => store.setState((s) => ({ display: { ...s.display, relative } })),
    pin: (spinIndex) => store.setState({ pinnedSpin: spinIndex }),
    setTenant: (tenant) => {
      if (!isTenantId(tenant)) {
        store.setState({
          lastFault: `tenant ${JSON.stringify(tenant.slice(0, 64))} is not a tenant id`,
        });
        return;
      }
      if (store.getState().params.tenant === tenant) return;
      store.setState((s) => ({
        params: { ...s.params, tenant },
        playback: null,
        pinnedSpin: null,
      }));
      stream.reconnect();
    },
    setToken: (token) => {
      if (token !== null && !TOKEN_FORMAT.test(token)) {
        store.setState({
          lastFault: 'that is not a token (expected 16-256 characters of A-Z, a-z, 0-9, _ and -)',
        });
        return;
      }
      store.setState((s) => ({ token, tokenGeneration: s.tokenGeneration + 1 }));
      saveToken(token);
      // Signing out: what this token let the operator see leaves the screen now, not when the
      // server refuses the next connection.
      if (token === null) stream.clearPicture();
      stream.reconnect();
    },
  };
  const layoutActions: Pick<
    AppActions,
    'setRange' | 'setPanelLayout' | 'setFullscreenPanel' | 'toggleDrawer'
  > = {
    setRange: (range) => {
      if (!isTimeRange(range)) {
        store.setState({
          lastFault: `time range ${JSON.stringify(range.slice(0, 32))} is not a window like 45m, 3h or 2d`,
        });
        return;
      }
      store.setState((s) => ({
        params: {
          ...s.params,
          range,
          tickets:
            s.params.tickets.window === null
              ? s.params.tickets
              : { ...s.params.tickets, window: range },
        },
      }));
    },
    setPanelLayout: (layout) => {
      store.setState({ panelLayout: layout });
      savePanelLayout(layout);
    },
    setFullscreenPanel: (id) => store.setState({ fullscreenPanel: id }),
    toggleDrawer: (open) => store.setState((s) => ({ drawerOpen: open ?? !s.drawerOpen })),
  };
  const tickets = createTicketActions(store, {
    setTenant: actions.setTenant,
    href: () => window.location.href,
    pushHistory: () => window.history.pushState(window.history.state, '', window.location.href),
  });
  return { ...actions, ...layoutActions, ...tickets };
}

/** The next slower or faster speed of SPEEDS from the current one. */
export function nextSpeed(current: number, direction: 1 | -1): number {
  const index = SPEEDS.findIndex((s) => s >= current);
  const at = index === -1 ? SPEEDS.length - 1 : index;
  return SPEEDS[Math.min(SPEEDS.length - 1, Math.max(0, at + direction))]!;
}
