import { useState } from 'react';
import { formatWallClock } from '../../frames/stream-state';
import { SPEEDS } from '../../shell/actions';
import { useActions, useFrames, useUi } from '../../shell/hooks';
import { formatRecordingTime, frameSeconds } from './recording-time';
import { Timeline, type TimelineMark } from './Timeline';
import { useTimelineMarks } from './timeline-marks';

/**
 * Replay controls on one line: play and pause, step, the timeline with the time from the
 * recording's start, speed, loop and A-B loop; for a live source the wall clock of the frame on
 * screen. The controls are disabled while there is no connection to send them on.
 */
export function ReplayBar() {
  const actions = useActions();
  const { frames } = useFrames();
  const stream = useUi((s) => s.stream);
  const playback = useUi((s) => s.playback);
  const connected = useUi((s) => s.connection.state === 'open');
  const frameOnScreen = useUi((s) => s.hud.frameOnScreen);
  const producedAtMs = useUi((s) => s.hud.frameOnScreenProducedAtMs);
  const marks = useTimelineMarks();
  // The figures are a quarter second old; marks use the frame on screen now.
  const frameNow = (): number =>
    Math.max(0, (frames.shown ?? frames.latest)?.frameIndex ?? frameOnScreen);
  const [scrub, setScrub] = useState<number | null>(null);
  const [pendingA, setPendingA] = useState<number | null>(null);
  if (!stream) return null;
  const playing = playback?.playing ?? true;
  const following = playback === null || playback.live;
  const playButton = (
    <button
      type="button"
      data-testid="play-pause"
      onClick={actions.togglePlay}
      aria-label={playing ? 'Pause' : 'Play'}
      title="Play or pause (space)"
    >
      {playing ? 'Pause' : 'Play'}
    </button>
  );

  if (stream.source === 'live') {
    return (
      <fieldset className="replay-bar" data-testid="replay-bar" disabled={!connected}>
        {playButton}
        {!following && (
          <button type="button" onClick={actions.goLive} title="Back to the newest frame (L)">
            Go live
          </button>
        )}
        <span className="frame-counter" data-testid="frame-clock">
          {producedAtMs !== null ? formatWallClock(producedAtMs) : '–'} · frame{' '}
          {frameOnScreen >= 0 ? frameOnScreen : '–'}
        </span>
      </fieldset>
    );
  }

  const last = stream.frameCount - 1;
  const shown = scrub ?? Math.max(0, frameOnScreen);
  const seekToMark = (mark: TimelineMark): void => {
    actions.pause();
    actions.seek(mark.frame);
  };
  return (
    <fieldset className="replay-bar" data-testid="replay-bar" disabled={!connected}>
      <button
        type="button"
        onClick={() => actions.step(-1)}
        aria-label="Step back one frame"
        title="Step back (←)"
      >
        ◀|
      </button>
      {playButton}
      <button
        type="button"
        onClick={() => actions.step(1)}
        aria-label="Step forward one frame"
        title="Step forward (→)"
      >
        |▶
      </button>
      <Timeline
        last={last}
        value={shown}
        a={playback?.a ?? null}
        b={playback?.b ?? null}
        marks={marks}
        onSeek={(frame) => {
          setScrub(frame);
          actions.seek(frame);
        }}
        onRelease={() => setScrub(null)}
        onMark={seekToMark}
      />
      <span
        className="frame-counter"
        data-testid="frame-counter"
        data-frame={shown}
        title={`frame ${shown} of ${last}`}
      >
        {formatRecordingTime(frameSeconds(shown, stream.intervalUs))}
        <span className="frame-total">
          {' '}
          / {formatRecordingTime(frameSeconds(last, stream.intervalUs))}
        </span>
      </span>
      <label>
        <span className="visually-hidden">Speed</span>
        <select
          data-testid="speed"
          aria-label="Speed"
          value={playback?.speed ?? 1}
          onChange={(e) => actions.setSpeed(Number(e.target.value))}
        >
          {SPEEDS.map((s) => (
            <option key={s} value={s}>
              {s}×
            </option>
          ))}
        </select>
      </label>
      <label title="Loop at the end" className="replay-extra">
        <input
          type="checkbox"
          checked={playback?.loop ?? true}
          onChange={(e) =>
            actions.setLoop(e.target.checked, playback?.a ?? null, playback?.b ?? null)
          }
        />
        loop
      </label>
      <button
        type="button"
        className="replay-extra"
        data-testid="set-a"
        title="Mark A at the current frame"
        onClick={() => setPendingA(frameNow())}
      >
        A{pendingA !== null ? `=${pendingA}` : ''}
      </button>
      <button
        type="button"
        className="replay-extra"
        data-testid="set-b"
        title="Mark B at the current frame and loop A to B"
        disabled={pendingA === null}
        onClick={() => {
          if (pendingA === null) return;
          const b = frameNow();
          actions.setLoop(true, Math.min(pendingA, b), Math.max(pendingA, b));
          setPendingA(null);
        }}
      >
        B
      </button>
      {playback?.a !== null && playback?.a !== undefined && (
        <span className="muted ab-range replay-extra" data-testid="ab-range">
          {playback.a}–{playback.b}
          <button
            type="button"
            onClick={() => actions.setLoop(playback.loop, null, null)}
            aria-label="Clear A-B loop"
          >
            ×
          </button>
        </span>
      )}
      {!following && (
        <button
          type="button"
          onClick={actions.goLive}
          title="Back to the stream's head, with every other viewer (L)"
        >
          Rejoin
        </button>
      )}
    </fieldset>
  );
}
