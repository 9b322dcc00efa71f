// A client flooding the real server with control messages: its seeks are coalesced (one answer
// and one frame per stream interval, not one per message), it is slowed and then closed with 4429,
// and another client of the tenant keeps at least 95 % of the frames it gets without the flood.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLOSE, encodeMessage } from '../../core/wire/envelope';
import { writePatternTrace } from '../../testing/pattern-trace';
import { tempDir } from '../../testing/temp-dir';
import { TestClient } from '../../testing/test-client';
import { startTestServer, type TestServer } from '../../testing/test-server';
import { FLOOD_CLOSE_AFTER_MS } from './message-limiter';

let server: TestServer;
beforeAll(async () => {
  const file = path.join(tempDir('flood'), 'pattern.bin');
  await writePatternTrace(file, 120, 100, 600);
  server = await startTestServer(file);
});
afterAll(async () => server?.close());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const WINDOW_MS = 4000;
/** Longer than it takes the server to close a flooder, with slack for a busy machine. */
const FLOOD_SECONDS = FLOOD_CLOSE_AFTER_MS / 1000 + 15;

/** Frames `client` receives over the next `ms`. */
async function framesOver(client: TestClient, ms: number): Promise<number> {
  const before = client.frames().length;
  await sleep(ms);
  return client.frames().length - before;
}

describe('a control flood', () => {
  it('is coalesced, slowed and closed with 4429, and the other clients keep their frames', async () => {
    const watcher = new TestClient(server.wsUrl);
    await watcher.opened;
    await watcher.waitFor(() => watcher.frames().length >= 5);
    // The flooder runs in a process of its own, connected and idle until told to go.
    const flooder = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'src/testing/flood-client.ts',
        server.wsUrl,
        '3000',
        String(FLOOD_SECONDS),
      ],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    );
    let output = '';
    flooder.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise((resolve) => flooder.once('exit', resolve));
    await expect.poll(() => output, { timeout: 30_000 }).toContain('ready');
    // What this machine delivers now, with both clients connected and no flood: their frames.
    const baseline = await framesOver(watcher, WINDOW_MS);
    const nominal = WINDOW_MS / (server.bus.info.intervalUs / 1000);
    // The finding: 3,000 seeks at once (134 KB), then more, as fast as the server reads them.
    flooder.stdin.write('go\n');
    const during = await framesOver(watcher, WINDOW_MS);
    await exited;
    watcher.close();
    const seen = JSON.parse(output.replace('ready\n', '')) as {
      sent: number;
      playbacks: number;
      bytesReceived: number;
      closeCode: number;
      closeReason: string;
    };

    expect(during).toBeGreaterThanOrEqual(0.95 * Math.min(nominal, baseline));
    // Answers are coalesced: at most one per stream interval, never one per seek.
    expect(seen.sent).toBeGreaterThan(3000);
    expect(seen.playbacks).toBeGreaterThan(0);
    expect(seen.playbacks).toBeLessThan(seen.sent / 10);
    // The finding's 54 MB of answers to 3,000 seeks: now a bounded trickle.
    expect(seen.bytesReceived).toBeLessThan(8 * 1024 * 1024);
    // Slowed, then closed while still over its rate.
    expect(seen.closeCode).toBe(CLOSE.tooManyMessages);
    expect(seen.closeReason).toContain('too many messages');
    expect(watcher.faults).toEqual([]);
    const metrics = await server.metrics.registry.metrics();
    expect(metrics).toMatch(/^ws_protocol_errors_total\{reason="too_many_messages"\} 1$/m);
  }, 60_000);

  it('answers one control at once, as before', async () => {
    const client = new TestClient(server.wsUrl);
    await client.opened;
    await client.waitFor(() => client.frames().length >= 2);
    client.socket.send(encodeMessage({ t: 'control', control: { action: 'seek', frame: 7 } }));
    await client.waitFor(() => client.messages.some((m) => m.t === 'playback'));
    await client.waitFor(() => client.decoded.some((f) => f.frameIndex === 7));
    client.close();
    expect(client.faults).toEqual([]);
  });
});
