import { useState } from 'react';
import { SPEEDS } from '../shell/actions';
import { useActions, useFrames, useUi } from '../shell/hooks';

/** Replay controls: play and pause, step, timeline, speed, loop and A-B loop; "live" for live streams. */
export function ReplayBar() {
  const actions = useActions();
  const { frames } = useFrames();
  const stream = useUi((s) => s.stream);
  const playback = useUi((s) => s.playback);
  const frameIndex = useUi((s) => s.hud.frameIndex);
  // The HUD figure is a quarter second old; marks use the frame on screen now.
  const frameNow = (): number => Math.max(0, frames.latest?.frameIndex ?? frameIndex);
  const [scrub, setScrub] = useState<number | null>(null);
  const [pendingA, setPendingA] = useState<number | null>(null);
  if (!stream) return null;
  const playing = playback?.playing ?? true;
  const following = playback === null || playback.live;

  if (stream.source === 'live') {
    return (
      <div className="replay-bar" data-testid="replay-bar">
        <span className="badge badge-live">LIVE</span>
        <button type="button" onClick={actions.togglePlay} aria-label={playing ? 'Pause' : 'Play'}>
          {playing ? 'Pause' : 'Play'}
        </button>
      </div>
    );
  }

  const last = stream.frameCount - 1;
  const shown = scrub ?? Math.max(0, frameIndex);
  return (
    <div className="replay-bar" data-testid="replay-bar">
      <button
        type="button"
        onClick={() => actions.step(-1)}
        aria-label="Step back one frame"
        title="Step back (←)"
      >
        ◀|
      </button>
      <button
        type="button"
        data-testid="play-pause"
        onClick={actions.togglePlay}
        aria-label={playing ? 'Pause' : 'Play'}
        title="Play or pause (space)"
      >
        {playing ? 'Pause' : 'Play'}
      </button>
      <button
        type="button"
        onClick={() => actions.step(1)}
        aria-label="Step forward one frame"
        title="Step forward (→)"
      >
        |▶
      </button>
      <input
        type="range"
        className="timeline"
        data-testid="timeline"
        aria-label="Timeline"
        min={0}
        max={last}
        step={1}
        value={shown}
        onChange={(e) => {
          const frame = Number(e.target.value);
          setScrub(frame);
          actions.seek(frame);
        }}
        onPointerUp={() => setScrub(null)}
        onKeyUp={() => setScrub(null)}
        onBlur={() => setScrub(null)}
      />
      <span className="frame-counter" data-testid="frame-counter">
        {shown} / {last}
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
      <label title="Loop at the end">
        <input
          type="checkbox"
          checked={playback?.loop ?? true}
          onChange={(e) =>
            actions.setLoop(e.target.checked, playback?.a ?? null, playback?.b ?? null)
          }
        />{' '}
        loop
      </label>
      <button
        type="button"
        data-testid="set-a"
        title="Mark A at the current frame"
        onClick={() => setPendingA(frameNow())}
      >
        A{pendingA !== null ? `=${pendingA}` : ''}
      </button>
      <button
        type="button"
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
        <span className="muted" data-testid="ab-range">
          {playback.a}–{playback.b}{' '}
          <button
            type="button"
            onClick={() => actions.setLoop(playback.loop, null, null)}
            aria-label="Clear A-B loop"
          >
            ×
          </button>
        </span>
      )}
      {following ? (
        <span className="badge badge-live" title="Following the stream with everyone else">
          LIVE
        </span>
      ) : (
        <button type="button" onClick={actions.goLive} title="Back to the stream's head">
          Go live
        </button>
      )}
    </div>
  );
}
