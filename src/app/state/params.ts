// The app's parameters (README.md, "App URL parameters") as the page holds them: url/params.ts
// reads them from the address bar and url/sync.ts writes them back.
import { DEFAULT_COLORMAP, type ColormapName } from '../../core/colormap';
import { DEFAULT_TICKET_LIST, type TicketListParams } from './ticket-list';
import { DEFAULT_TIME_RANGE } from './time-range';

export type RendererPreference = 'auto' | 'gpu' | 'cpu';
export type Theme = 'light' | 'dark';
/**
 * What the main area shows: the heatmap (first screen), the 3-D spin view (loaded when opened),
 * the Kaizen tickets (the list, or one ticket with `ticket=ID`), or the policy gate.
 */
export type ViewMode = 'heatmap' | '3d' | 'tickets' | 'policy';
/** The views that draw the lattice. */
export type LatticeView = Exclude<ViewMode, 'tickets' | 'policy'>;

export interface AppParams {
  tenant: string | null;
  /**
   * Spins; below it the CPU canvas draws. Null when the URL does not set it: the tenant's threshold
   * applies (state/gpu-threshold.ts).
   */
  gpuThreshold: number | null;
  renderer: RendererPreference;
  embed: boolean;
  frame: number | null;
  speed: number;
  colormap: ColormapName;
  theme: Theme;
  /** Zoom and centre of the heatmap (`zoom=Z,CX,CY`, cells), null for the whole lattice. */
  zoom: { zoom: number; centerXCells: number; centerYCells: number } | null;
  /** Colour phases relative to the mean phase psi. */
  relative: boolean;
  view: ViewMode;
  /** Filters of the ticket list (`severity`, `status`, `window`, ...; see ticket-list.ts). */
  tickets: TicketListParams;
  /** The ticket whose detail shows (with `view=tickets`), by id. */
  ticket: number | null;
  /** The time range the panels and the ticket list share (`range=`, state/time-range.ts). */
  range: string;
}

/** A URL parameter that was refused, and what is used instead. */
export interface ParamNotice {
  param: string;
  message: string;
}

/** The server's default (--gpu-threshold), used until the tenant's own threshold is read. */
export const DEFAULT_GPU_THRESHOLD = 5000;

export const DEFAULT_PARAMS: AppParams = {
  tenant: null,
  gpuThreshold: null,
  renderer: 'auto',
  embed: false,
  frame: null,
  speed: 1,
  colormap: DEFAULT_COLORMAP,
  theme: 'dark',
  zoom: null,
  relative: false,
  view: 'heatmap',
  tickets: DEFAULT_TICKET_LIST,
  ticket: null,
  range: DEFAULT_TIME_RANGE,
};
