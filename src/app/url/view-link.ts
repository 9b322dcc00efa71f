// "Copy link": the address of exactly this view. The address bar already follows the view
// (url/sync.ts), but a playing replay has no frame in it; the copied link names the frame on
// screen, so it opens paused on the very picture the operator saw. It never carries `embed` (the
// link opens the whole console) nor a token.
import type { UiState } from '../state/ui-store';
import { viewQuery } from './sync';

export function exactViewUrl(state: UiState, href: string, frameOnScreen: number): string {
  const url = new URL(href);
  const query = viewQuery(state, url.searchParams);
  if (state.stream?.source === 'replay' && frameOnScreen >= 0) {
    query.set('frame', String(frameOnScreen));
  }
  query.delete('embed');
  url.search = query.toString();
  return url.toString();
}
