// App URL parameters (DESIGN.md 4.2). Unknown parameters and bad values fall back to defaults
// and each produces a notice the page shows, so a mistyped link never fails silently.
import { isTenantId } from '../core/tenant-id';
import {
  COLORMAP_NAMES,
  DEFAULT_COLORMAP,
  isColormapName,
  type ColormapName,
} from '../core/colormap';
import { parseZoomParam } from './viz/view';
import {
  DEFAULT_TICKET_LIST,
  applyTicketListParam,
  emptyTicketList,
  isTicketListKey,
  type TicketListParams,
} from './kaizen/filters';

export type RendererPreference = 'auto' | 'gpu' | 'cpu';
export type Theme = 'light' | 'dark';
/**
 * What the main area shows: the heatmap (first screen), the 3-D spin view (loaded when opened), or
 * the Kaizen tickets (the list, or one ticket with `ticket=ID`).
 */
export type ViewMode = 'heatmap' | '3d' | 'tickets';

export interface AppParams {
  tenant: string | null;
  /** Spins; below it the CPU canvas draws. */
  gpuThreshold: number;
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
  /** Filters of the ticket list (`severity`, `status`, `window`, ...; see kaizen/filters.ts). */
  tickets: TicketListParams;
  /** The ticket whose detail shows (with `view=tickets`), by id. */
  ticket: number | null;
}

export interface ParamNotice {
  param: string;
  message: string;
}

export const DEFAULT_GPU_THRESHOLD = 5000;
export const MAX_SPINS = 16_777_216;

export const DEFAULT_PARAMS: AppParams = {
  tenant: null,
  gpuThreshold: DEFAULT_GPU_THRESHOLD,
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
};

function quote(value: string): string {
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
}

export function parseAppParams(search: string): { params: AppParams; notices: ParamNotice[] } {
  const query = new URLSearchParams(search);
  const params: AppParams = { ...DEFAULT_PARAMS, tickets: emptyTicketList() };
  const notices: ParamNotice[] = [];
  const reject = (param: string, value: string, expected: string, fallback: string): void => {
    notices.push({
      param,
      message: `${param}=${quote(value)} is not valid (expected ${expected}); using ${fallback}`,
    });
  };

  for (const [key, value] of query) {
    switch (key) {
      case 'tenant':
        if (isTenantId(value)) params.tenant = value;
        else reject(key, value, 'a tenant id of a-z, 0-9, _ and -', 'the default tenant');
        break;
      case 'gpuThreshold': {
        const n = Number(value);
        if (/^\d+$/.test(value) && n <= MAX_SPINS) params.gpuThreshold = n;
        else
          reject(
            key,
            value,
            `an integer number of spins 0-${MAX_SPINS}`,
            String(DEFAULT_GPU_THRESHOLD),
          );
        break;
      }
      case 'renderer':
        if (value === 'gpu' || value === 'cpu') params.renderer = value;
        else reject(key, value, 'gpu or cpu', 'the threshold');
        break;
      case 'embed':
        if (value === '1' || value === '0') params.embed = value === '1';
        else reject(key, value, '1 or 0', '0');
        break;
      case 'frame':
        if (/^\d{1,9}$/.test(value)) params.frame = Number(value);
        else reject(key, value, 'a frame index >= 0', 'the live position');
        break;
      case 'speed': {
        const n = Number(value);
        if (Number.isFinite(n) && n >= 0.25 && n <= 16) params.speed = n;
        else reject(key, value, 'a number from 0.25 to 16', '1');
        break;
      }
      case 'colormap':
        if (isColormapName(value)) params.colormap = value;
        else reject(key, value, COLORMAP_NAMES.join(', '), DEFAULT_COLORMAP);
        break;
      case 'theme':
        if (value === 'light' || value === 'dark') params.theme = value;
        else reject(key, value, 'light or dark', DEFAULT_PARAMS.theme);
        break;
      case 'view':
        if (value === 'heatmap' || value === '3d' || value === 'tickets') params.view = value;
        else reject(key, value, 'heatmap, 3d or tickets', 'the heatmap');
        break;
      case 'ticket':
        if (/^[1-9]\d{0,14}$/.test(value)) params.ticket = Number(value);
        else reject(key, value, 'a ticket id (an integer from 1)', 'the ticket list');
        break;
      case 'zoom': {
        const zoom = parseZoomParam(value);
        if (zoom) params.zoom = zoom;
        else
          reject(
            key,
            value,
            'ZOOM,CX,CY with ZOOM from 1 to 64 and a centre in cells',
            'the whole lattice',
          );
        break;
      }
      case 'relative':
        if (value === '1' || value === '0') params.relative = value === '1';
        else reject(key, value, '1 or 0', '0');
        break;
      default:
        if (isTicketListKey(key)) {
          for (const r of applyTicketListParam(params.tickets, key, value))
            reject(key, r.value, r.expected, r.fallback);
        } else {
          notices.push({ param: key, message: `unknown parameter ${quote(key)} ignored` });
        }
    }
  }
  // A link to one ticket opens it, whatever `view` said.
  if (params.ticket !== null) params.view = 'tickets';
  return { params, notices };
}

/** The page's URL with `view` set (the heatmap, the default, drops the parameter). */
export function urlWithView(href: string, view: ViewMode): string {
  const url = new URL(href);
  if (view === DEFAULT_PARAMS.view) url.searchParams.delete('view');
  else url.searchParams.set('view', view);
  return url.toString();
}
