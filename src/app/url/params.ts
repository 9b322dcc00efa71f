// App URL parameters (README.md, "App URL parameters"). Unknown parameters and bad values fall
// back to defaults and each produces a notice the page shows, so a mistyped link never fails
// silently.
import { isTenantId } from '../../core/tenant-id';
import { COLORMAP_NAMES, DEFAULT_COLORMAP, isColormapName } from '../../core/colormap';
import { DEFAULT_PARAMS, type AppParams, type ParamNotice } from '../state/params';
import { emptyTicketList } from '../state/ticket-list';
import { DEFAULT_TIME_RANGE, isTimeRange } from '../state/time-range';
import { applyTicketListParam, isTicketListKey } from './ticket-list-params';
import { parseZoomParam } from './zoom-param';

/** The largest gpuThreshold accepted, in spins. */
export const MAX_SPINS = 16_777_216;

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
          reject(key, value, `an integer number of spins 0-${MAX_SPINS}`, "the tenant's threshold");
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
        if (value === 'heatmap' || value === '3d' || value === 'tickets' || value === 'policy') {
          params.view = value;
        } else reject(key, value, 'heatmap, 3d, tickets or policy', 'the heatmap');
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
      case 'range':
        if (isTimeRange(value)) params.range = value;
        else
          reject(key, value, 'a window like 5m, 1h, 24h or 7d', `the last ${DEFAULT_TIME_RANGE}`);
        break;
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
  // The ticket list's window is the shared range: a link with only `window=` (the Grafana
  // dashboard's, the MTTR report's) sets the range the panels show too.
  if (!query.has('range') && params.tickets.window !== null) params.range = params.tickets.window;
  // A link to one ticket opens it, whatever `view` said.
  if (params.ticket !== null) params.view = 'tickets';
  return { params, notices };
}
