import { describe, expect, it } from 'vitest';
import { FOLLOWING, advance, applyControl, cursorFrame, type PlaybackState } from './playback';

const N = 100;
const cursor = (patch: Partial<PlaybackState> = {}): PlaybackState => ({
  ...FOLLOWING,
  live: false,
  position: 10,
  ...patch,
});

describe('applyControl', () => {
  const CASES = [
    {
      name: 'pause leaves the head at its current frame',
      state: FOLLOWING,
      control: { action: 'pause' as const },
      expect: { live: false, playing: false, position: 42 },
    },
    {
      name: 'seek jumps and sends at once',
      state: FOLLOWING,
      control: { action: 'seek' as const, frame: 7 },
      expect: { live: false, position: 7 },
      sendNow: true,
    },
    {
      name: 'step forward pauses on the next frame',
      state: cursor(),
      control: { action: 'step' as const, delta: 1 },
      expect: { playing: false, position: 11 },
      sendNow: true,
    },
    {
      name: 'step back from frame 0 wraps to the last frame',
      state: cursor({ position: 0 }),
      control: { action: 'step' as const, delta: -1 },
      expect: { position: 99 },
      sendNow: true,
    },
    {
      name: 'speed changes the rate',
      state: cursor(),
      control: { action: 'speed' as const, speed: 0.25 },
      expect: { speed: 0.25 },
    },
    {
      name: 'live returns to the head',
      state: cursor({ speed: 4 }),
      control: { action: 'live' as const },
      expect: FOLLOWING,
    },
    {
      name: 'an A-B loop outside the cursor jumps to A',
      state: cursor({ position: 90 }),
      control: { action: 'loop' as const, loop: true, a: 20, b: 30 },
      expect: { a: 20, b: 30, position: 20 },
      sendNow: true,
    },
  ];
  it.each(CASES)('$name', ({ state, control, expect: expected, sendNow }) => {
    const result = applyControl(state, control, N, 42);
    expect(result.notice).toBeNull();
    expect(result.state).toMatchObject(expected);
    expect(result.sendNow).toBe(sendNow ?? false);
  });

  const IGNORED = [
    { control: { action: 'seek' as const, frame: 100 }, notice: /frames are 0-99/ },
    { control: { action: 'seek' as const, frame: -1 }, notice: /ignored/ },
    { control: { action: 'seek' as const, frame: 2.5 }, notice: /ignored/ },
    { control: { action: 'speed' as const, speed: 32 }, notice: /0.25 to 16/ },
    { control: { action: 'speed' as const, speed: Number.NaN }, notice: /ignored/ },
    { control: { action: 'loop' as const, loop: true, a: 30, b: 20 }, notice: /A < B/ },
    { control: { action: 'loop' as const, loop: true, a: 3, b: null }, notice: /both A and B/ },
    { control: { action: 'step' as const, delta: 1e9 }, notice: /ignored/ },
  ];
  it.each(IGNORED)('ignores $control with a reason and keeps the state', ({ control, notice }) => {
    const state = cursor();
    const result = applyControl(state, control, N, 0);
    expect(result.state).toBe(state);
    expect(result.notice).toMatch(notice);
  });

  it('allows only pause, play and live on a live stream', () => {
    expect(applyControl(FOLLOWING, { action: 'pause' }, 0, 5).state.playing).toBe(false);
    expect(applyControl(FOLLOWING, { action: 'seek', frame: 1 }, 0, 5).notice).toMatch(
      /live stream/,
    );
    expect(applyControl(cursor({ playing: false }), { action: 'play' }, 0, 5).state).toEqual(
      FOLLOWING,
    );
  });
});

describe('advance', () => {
  it('moves by the speed each tick, a frame every fourth tick at 0.25x', () => {
    let s = cursor({ position: 10, speed: 0.25 });
    const frames = [];
    for (let i = 0; i < 8; i++) frames.push(cursorFrame((s = advance(s, N))));
    expect(frames).toEqual([10, 10, 10, 11, 11, 11, 11, 12]);
  });

  it('wraps at the end when looping, stops when not', () => {
    expect(cursorFrame(advance(cursor({ position: 99 }), N))).toBe(0);
    const stopped = advance(cursor({ position: 99, loop: false }), N);
    expect(stopped).toMatchObject({ position: 99, playing: false });
  });

  it('keeps an A-B loop inside its bounds at 16x', () => {
    let s = cursor({ position: 20, a: 20, b: 30, speed: 16 });
    for (let i = 0; i < 50; i++) {
      s = advance(s, N);
      expect(cursorFrame(s)).toBeGreaterThanOrEqual(20);
      expect(cursorFrame(s)).toBeLessThanOrEqual(30);
    }
  });

  it('does not move when paused or following', () => {
    const paused = cursor({ playing: false });
    expect(advance(paused, N)).toBe(paused);
    expect(advance(FOLLOWING, N)).toBe(FOLLOWING);
  });
});
