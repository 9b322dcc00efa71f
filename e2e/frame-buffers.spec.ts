// Frame buffers go back to the stream worker in a real Chromium: the page transfers each frame's
// phases buffer back (a `recycle` message) once nothing on the page reads the frame any more, so
// the worker decodes later frames into buffers already written (src/app/frames/frame-store.ts).
import { expect, test } from '@playwright/test';
import { phaseViz, waitForFrames } from './support';

declare global {
  interface Window {
    recycled?: { count: number; bytes: number[] };
  }
}

test('the page hands frame buffers of the lattice size back to the worker, and keeps only a few', async ({
  page,
}) => {
  // Counts what the page posts to its workers, before the app's scripts run.
  await page.addInitScript(() => {
    const recycled = { count: 0, bytes: [] as number[] };
    window.recycled = recycled;
    type Post = (this: Worker, message: unknown, transfer?: unknown) => void;
    const post = Worker.prototype.postMessage as Post;
    const counting: Post = function (message, transfer) {
      const m = message as { type?: string; buffer?: ArrayBuffer } | null;
      if (m?.type === 'recycle' && m.buffer) {
        recycled.count += 1;
        if (recycled.bytes.length < 50) recycled.bytes.push(m.buffer.byteLength);
      }
      post.call(this, message, transfer);
    };
    Worker.prototype.postMessage = counting as typeof Worker.prototype.postMessage;
  });
  await page.goto('/');
  await waitForFrames(page, 60);
  const viz = await phaseViz(page);
  // Read after the figures: frames that came since only add to what went back.
  const recycled = await page.evaluate(() => window.recycled!);
  // The page holds at most the ring, the frame on screen and the cursor's: every frame before
  // those went back.
  expect(recycled.count).toBeGreaterThanOrEqual(viz.framesReceived - 12);
  expect(new Set(recycled.bytes)).toEqual(new Set([viz.spins * 2]));
});
