// On every hello (first connection or a reconnect) the server starts the client at the head: put
// back the cursor the URL or the operator had chosen.
import type { PlaybackControl } from '../../core/wire/playback';
import type { AppParams } from '../state/params';
import type { UiState } from '../state/ui-store';

export function restoreCursor(
  state: UiState,
  params: AppParams,
  control: (c: PlaybackControl) => void,
): void {
  const wanted = state.playback ?? (params.frame !== null || params.speed !== 1 ? null : undefined);
  if (wanted === undefined) return;
  // Pause before seeking: a seek keeps playing, and a stream tick between a seek and a later
  // pause would leave the cursor one frame past the one asked for.
  if (wanted === null) {
    if (params.frame !== null) control({ action: 'pause' });
    if (params.frame !== null) control({ action: 'seek', frame: params.frame });
    if (params.speed !== 1) control({ action: 'speed', speed: params.speed });
    return;
  }
  if (wanted.live) return;
  if (!wanted.playing) control({ action: 'pause' });
  control({ action: 'seek', frame: wanted.frame });
  if (wanted.speed !== 1) control({ action: 'speed', speed: wanted.speed });
  if (wanted.a !== null || !wanted.loop)
    control({ action: 'loop', loop: wanted.loop, a: wanted.a, b: wanted.b });
}
