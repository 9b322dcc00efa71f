// On every hello (first connection or a reconnect) the server starts the client at the head: put
// back the cursor the URL or the operator had chosen.
import type { StreamInfo } from '../../core/wire/envelope';
import type { PlaybackControl } from '../../core/wire/playback';
import type { AppParams, ParamNotice } from '../state/params';
import type { UiState } from '../state/ui-store';

/**
 * Sends the controls that put the cursor back; returns a notice when the URL's frame could not be
 * honoured as written (past the recording's end: the last frame opens instead).
 */
export function restoreCursor(
  state: UiState,
  params: AppParams,
  stream: StreamInfo,
  control: (c: PlaybackControl) => void,
): ParamNotice | null {
  const wanted = state.playback ?? (params.frame !== null || params.speed !== 1 ? null : undefined);
  if (wanted === undefined) return null;
  // Pause before seeking: a seek keeps playing, and a stream tick between a seek and a later
  // pause would leave the cursor one frame past the one asked for.
  if (wanted === null) {
    let notice: ParamNotice | null = null;
    if (params.frame !== null && stream.source === 'replay') {
      const last = stream.frameCount - 1;
      const frame = Math.min(params.frame, last);
      if (frame < params.frame) {
        notice = {
          param: 'frame',
          message: `frame=${params.frame} is past the end of the recording (frames 0 to ${last}); opened on the last frame, ${last}`,
        };
      }
      control({ action: 'pause' });
      control({ action: 'seek', frame });
    } else if (params.frame !== null) {
      notice = {
        param: 'frame',
        message: `frame=${params.frame} ignored: tenant “${stream.tenant}” is live, with no recording to seek in`,
      };
    }
    if (params.speed !== 1) control({ action: 'speed', speed: params.speed });
    return notice;
  }
  if (wanted.live) return null;
  if (!wanted.playing) control({ action: 'pause' });
  control({ action: 'seek', frame: wanted.frame });
  if (wanted.speed !== 1) control({ action: 'speed', speed: wanted.speed });
  if (wanted.a !== null || !wanted.loop)
    control({ action: 'loop', loop: wanted.loop, a: wanted.a, b: wanted.b });
  return null;
}
