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

async function until(predicate: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

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
    await until(() => [a, b, c].every((w) => w.frames.length > 0), 'every watcher streaming');
    a.control({ action: 'seek', frame: 10 });
    a.control({ action: 'pause' });
    b.control({ action: 'seek', frame: 200 });
    b.control({ action: 'speed', speed: 0.25 });
    // The controls have taken effect when their playback messages and the cursors' frames are in,
    // however long the machine took.
    await until(
      () =>
        a.playbacks.some((p) => !p.playing && p.frame === 10) &&
        a.frames.at(-1)?.frameIndex === 10 &&
        b.playbacks.some((p) => p.speed === 0.25) &&
        (b.frames.at(-1)?.frameIndex ?? 0) >= 200,
      'the controls to take effect',
    );
    const aFrom = a.frames.length;
    const bFrom = b.frames.length;
    const cFrom = c.frames.length;
    const ticksFrom = server.bus.framesProduced;
    await sleep(1000);
    const ticks = server.bus.framesProduced - ticksFrom;
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
    // A quarter speed: a new frame every fourth tick of the stream (about 15 a second on an idle
    // machine; counted in ticks, so a loaded machine that ticks less often agrees), consecutive.
    expect(ticks).toBeGreaterThan(8);
    const bNew = b.frames.slice(bFrom).map((f) => f.frameIndex);
    expect(bNew.length).toBeGreaterThanOrEqual(Math.floor(ticks / 4) - 2);
    expect(bNew.length).toBeLessThanOrEqual(Math.ceil(ticks / 4) + 2);
    expect(bNew[0]!).toBeGreaterThanOrEqual(200);
    bNew.slice(1).forEach((k, i) => expect(k).toBe(bNew[i]! + 1));
    // Following: every tick's frame, but the one or two on their way when the window closed.
    expect(c.frames.length - cFrom).toBeGreaterThanOrEqual(ticks - 2);
    for (const w of [a, b, c]) expect(w.frames.every((f) => f.ok)).toBe(true);
  });

  it('answers an out-of-range seek with a notice and keeps the connection', async () => {
    const w = watcher();
    await until(() => w.frames.length > 0, 'the first frame');
    w.control({ action: 'seek', frame: 5000 });
    await until(() => w.playbacks.length > 0, 'the answer to the seek');
    const framesBefore = w.frames.length;
    // Still streaming after the refusal (the deadline only bounds a server that stopped).
    await until(() => w.frames.length > framesBefore, 'frames after the refusal');
    w.client.stop();
    expect(w.playbacks.at(-1)!.notice).toMatch(/seek to 5000 ignored: frames are 0-299/);
    expect(w.frames.length).toBeGreaterThan(framesBefore);
    expect(w.client.closes).toBe(0);
  });
});
