import { describe, expect, it } from 'vitest';
import { sinceText, streamState, type StreamStateInput } from './stream-state';

const NOW = Date.UTC(2026, 2, 1, 12, 0, 30);

const replayFollowing: StreamStateInput = {
  tenant: 'demo',
  connection: {
    state: 'open',
    retryInMs: null,
    reason: null,
    refusal: null,
    sinceMs: NOW - 60_000,
  },
  source: 'replay',
  intervalMs: 1000 / 60,
  playback: null,
  lastFrameAgeMs: 10,
  lastFrameWallMs: NOW - 10,
  latencyMsP95: 3,
};

const liveFollowing: StreamStateInput = { ...replayFollowing, tenant: 'live', source: 'live' };

describe('stream state', () => {
  it('calls a looping recording replay, never live; a live source followed live', () => {
    expect(streamState(replayFollowing)).toMatchObject({
      state: 'replay',
      current: true,
      sinceMs: null,
      label: 'REPLAY 1×',
    });
    expect(streamState(liveFollowing)).toMatchObject({ state: 'live', current: true });
    const ownCursor = { live: false, playing: true, speed: 4 };
    expect(streamState({ ...replayFollowing, playback: ownCursor })).toMatchObject({
      state: 'replay',
      label: 'REPLAY 4×',
    });
  });

  it('calls a paused view paused, a live tenant too, and a pause is not a stall', () => {
    const paused = { live: false, playing: false, speed: 1 };
    const state = streamState({ ...liveFollowing, playback: paused, lastFrameAgeMs: 60_000 });
    expect(state).toMatchObject({ state: 'paused', current: true, sinceMs: null });
    expect(streamState({ ...replayFollowing, playback: paused }).state).toBe('paused');
  });

  it('calls frames that stopped coming stale, since the last one came', () => {
    const state = streamState({
      ...replayFollowing,
      lastFrameAgeMs: 3200,
      lastFrameWallMs: NOW - 3200,
    });
    expect(state).toMatchObject({ state: 'stale', current: false, sinceMs: NOW - 3200 });
    expect(state.message).toContain('No new frame for 3.2 s');
    expect(state.message).toContain('the connection is open');
    const late = streamState({ ...replayFollowing, latencyMsP95: 2500 });
    expect(late).toMatchObject({ state: 'stale', sinceMs: NOW - 10 - 2500 });
  });

  it('calls a lost connection reconnecting, since the last frame, with the next try', () => {
    const state = streamState({
      ...replayFollowing,
      connection: {
        state: 'reconnecting',
        retryInMs: 2100,
        reason: 'connection lost',
        refusal: null,
        sinceMs: NOW - 5000,
      },
      lastFrameWallMs: NOW - 14_000,
    });
    expect(state).toMatchObject({ state: 'reconnecting', current: false, sinceMs: NOW - 14_000 });
    expect(state.message).toBe(
      'Connection lost (connection lost): reconnecting; next try in 2.1 s.',
    );
    // The very first connection has nothing to be "since".
    const first = streamState({
      ...replayFollowing,
      source: null,
      lastFrameWallMs: null,
      connection: { ...replayFollowing.connection, state: 'connecting' },
    });
    expect(first).toMatchObject({ state: 'reconnecting', label: 'CONNECTING', sinceMs: null });
  });

  it('says what to do when the server refused: sign in, another token, another tenant', () => {
    const refused = (refusal: 'unauthorized' | 'forbidden' | 'not-found') =>
      streamState({
        ...replayFollowing,
        tenant: 'small',
        connection: { ...replayFollowing.connection, state: 'closed', refusal },
      });
    expect(refused('unauthorized')).toMatchObject({ state: 'unauthorized', current: false });
    expect(refused('unauthorized').message).toBe(
      'Tenant “small” needs a token that grants it: sign in, or pick another tenant.',
    );
    expect(refused('forbidden').state).toBe('unauthorized');
    expect(refused('forbidden').message).toContain('Your token does not grant tenant “small”');
    expect(refused('not-found')).toMatchObject({
      state: 'not-found',
      message:
        'The server has no tenant “small” among those you may see: pick another tenant, or sign in with a token that grants it.',
    });
  });

  it('calls a connection closed for good disconnected', () => {
    const state = streamState({
      ...replayFollowing,
      connection: { ...replayFollowing.connection, state: 'closed', reason: 'closed by the page' },
    });
    expect(state).toMatchObject({ state: 'disconnected', current: false, sinceMs: NOW - 10 });
  });

  it('says since when in local time and how long ago', () => {
    const since = new Date(2026, 2, 1, 9, 5, 7).getTime();
    expect(sinceText(since, since + 14_200)).toBe('since 09:05:07 (14 s ago)');
    expect(sinceText(since, since + 125_000)).toBe('since 09:05:07 (2 min 5 s ago)');
    expect(sinceText(since, since + 3_720_000)).toBe('since 09:05:07 (1 h 2 min ago)');
  });
});
