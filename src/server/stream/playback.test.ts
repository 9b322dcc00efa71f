// Per-client replay against the real server: two operators watch different moments of the same
// tenant, each frame exactly the trace's, while a third keeps following the stream.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeMessage, type PlaybackMessage } from '../../core/wire/envelope';
import type { PlaybackControl } from '../../core/wire/playback';
import { writePatternTrace } from '../../testing/pattern-trace';
import { tempDir } from '../../testing/temp-dir';
import { startTestServer, type TestServer } from '../../testing/test-server';
import { NodeStreamClient } from '../../testing/node-stream-client';

let server: TestServer;
let frameAt: (k: number) => Uint16Array;

beforeAll(async () => {
  const file = path.join(tempDir('playback'), 'pattern.bin');
  frameAt = await writePatternTrace(file, 32, 24, 300);
  server = await startTestServer(file);
});
afterAll(async () => server?.close());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function watcher() {
  const frames: { frameIndex: number; ok: boolean }[] = [];
  const playbacks: PlaybackMessage[] = [];
  const client = new NodeStreamClient({
    url: server.wsUrl,
    onFrame: (f) => {
      const expected = frameAt(f.frameIndex);
      frames.push({ frameIndex: f.frameIndex, ok: f.phases.every((v, i) => v === expected[i]) });
    },
    onPlayback: (p) => playbacks.push(p),
  });
  client.start();
  const control = (c: PlaybackControl) => client.send(encodeMessage({ t: 'control', control: c }));
  return { client, frames, playbacks, control };
}

describe('per-client replay', () => {
  it('lets two operators hold different frames of one tenant while a third follows', async () => {
    const a = watcher();
    const b = watcher();
    const c = watcher();
    await sleep(300);
    a.control({ action: 'seek', frame: 10 });
    a.control({ action: 'pause' });
    b.control({ action: 'seek', frame: 200 });
    b.control({ action: 'speed', speed: 0.25 });
    await sleep(200);
    const aFrom = a.frames.length;
    const bFrom = b.frames.length;
    const cFrom = c.frames.length;
    await sleep(1000);
    for (const w of [a, b, c]) w.client.stop();

    expect(a.playbacks.at(-1)).toMatchObject({
      live: false,
      playing: false,
      frame: 10,
      notice: null,
    });
    // Paused: nothing new after the pause took effect.
    expect(a.frames.slice(aFrom)).toEqual([]);
    expect(a.frames.at(-1)!.frameIndex).toBe(10);
    // A quarter speed: about 15 new frames a second, consecutive, from 200 on.
    const bNew = b.frames.slice(bFrom).map((f) => f.frameIndex);
    expect(bNew.length).toBeGreaterThan(10);
    expect(bNew.length).toBeLessThan(20);
    expect(bNew[0]!).toBeGreaterThanOrEqual(200);
    bNew.slice(1).forEach((k, i) => expect(k).toBe(bNew[i]! + 1));
    // Following: about 60 a second.
    expect(c.frames.length - cFrom).toBeGreaterThan(50);
    for (const w of [a, b, c]) expect(w.frames.every((f) => f.ok)).toBe(true);
  });

  it('answers an out-of-range seek with a notice and keeps the connection', async () => {
    const w = watcher();
    await sleep(200);
    w.control({ action: 'seek', frame: 5000 });
    await sleep(200);
    const framesBefore = w.frames.length;
    await sleep(200);
    w.client.stop();
    expect(w.playbacks.at(-1)!.notice).toMatch(/seek to 5000 ignored: frames are 0-299/);
    expect(w.frames.length).toBeGreaterThan(framesBefore);
    expect(w.client.closes).toBe(0);
  });
});
