// A frame found corrupt while replaying is logged and skipped; the stream goes on with a
// keyframe and no client ever decodes the bad frame.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { frameStrideBytes, TRACE_HEADER_BYTES } from '../../core/trace';
import { writePatternTrace } from '../../testing/pattern-trace';
import { tempDir } from '../../testing/temp-dir';
import { startTestServer, type TestServer } from '../../testing/test-server';
import { NodeStreamClient } from '../../testing/node-stream-client';

let server: TestServer | undefined;
afterAll(async () => server?.close());

it('skips a frame whose CRC fails, logs it, and resumes with a keyframe', async () => {
  const width = 16;
  const height = 12;
  const file = path.join(tempDir('corrupt'), 'trace.bin');
  const frameAt = await writePatternTrace(file, width, height, 20);
  const bytes = readFileSync(file);
  // Flip a phase byte of frame 5: its record CRC no longer matches.
  const bad = 5;
  bytes[TRACE_HEADER_BYTES + bad * frameStrideBytes(width, height) + 8 + 3]! ^= 0xff;
  writeFileSync(file, bytes);

  server = await startTestServer(file);
  const seen: { frameIndex: number; kind: number; ok: boolean }[] = [];
  const client = new NodeStreamClient({
    url: server.wsUrl,
    onFrame: (f) => {
      const expected = frameAt(f.frameIndex);
      seen.push({
        frameIndex: f.frameIndex,
        kind: f.kind,
        ok: f.phases.every((v, i) => v === expected[i]),
      });
    },
  });
  client.start();
  // Until the stream has gone past the bad frame once (at 60 frames/s about a second; longer on a
  // loaded machine), whatever the time it takes.
  const pastTheGap = () => seen.some((f, i) => f.frameIndex === bad + 1 && i > 0);
  const deadline = Date.now() + 20_000;
  while ((seen.length <= 30 || !pastTheGap()) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 20));
  }
  client.stop();

  expect(seen.length).toBeGreaterThan(30);
  expect(seen.every((f) => f.ok)).toBe(true);
  expect(seen.some((f) => f.frameIndex === bad)).toBe(false);
  // Right after the gap the stream restarts from a keyframe.
  const after = seen.filter((f, i) => f.frameIndex === bad + 1 && i > 0);
  expect(after.length).toBeGreaterThan(0);
  expect(after.every((f) => f.kind === 0)).toBe(true);
  expect(server.logs.some((l) => l.includes(`frame ${bad}`) && l.includes('skipping'))).toBe(true);
  expect(client.faults).toBe(0);
});
