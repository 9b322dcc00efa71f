// How the replay bar writes a recording's position from its start (`1:02.35`); a live frame's
// wall clock is frames/stream-state.ts's formatWallClock.

/** Seconds from the recording's start as `m:ss.cc` (or `h:mm:ss.cc` past an hour). */
export function formatRecordingTime(seconds: number): string {
  const s = Math.max(0, seconds);
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const rest = (s % 60).toFixed(2).padStart(5, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${rest}` : `${minutes}:${rest}`;
}

/** A frame's position in the recording, seconds. */
export function frameSeconds(frameIndex: number, intervalUs: number): number {
  return (Math.max(0, frameIndex) * intervalUs) / 1e6;
}
