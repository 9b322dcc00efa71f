// Helpers for end-to-end tests: real server processes, trace fixtures and pixel readback.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import type { PhaseVizSnapshot } from '../src/app/viz/controller';

export interface RunningServer {
  url: string;
  port: number;
  process: ChildProcess;
  output: () => string;
  stop(): Promise<void>;
}

let nextPort = 8300 + Math.floor(Math.random() * 500);

export function freshPort(): number {
  nextPort += 1;
  return nextPort;
}

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), `phase-${prefix}-`));
}

async function waitForHealth(
  url: string,
  timeoutMs: number,
  child: ChildProcess,
  output: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`server exited with ${child.exitCode}:\n${output()}`);
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.status === 200) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server at ${url} not healthy after ${timeoutMs} ms:\n${output()}`);
}

/** Starts the real server (`src/server/main.ts`) and waits until it streams. */
export async function startServer(
  args: { trace?: string; port?: number; dataDir?: string; extra?: string[] } = {},
): Promise<RunningServer> {
  const port = args.port ?? freshPort();
  // Node itself (not npx) so that the child PID is the server and a signal reaches it.
  const argv = [
    '--import',
    'tsx',
    'src/server/main.ts',
    '--port',
    String(port),
    '--data',
    args.dataDir ?? tempDir('data'),
  ];
  if (args.trace) argv.push('--trace', args.trace);
  argv.push(...(args.extra ?? []));
  const child = spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout?.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (log += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  await waitForHealth(url, 60_000, child, () => log);
  return {
    url,
    port,
    process: child,
    output: () => log,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** window.phaseViz (DESIGN.md 4.2), the same type the app publishes. */
export type PhaseViz = PhaseVizSnapshot;

export function phaseViz(page: Page): Promise<PhaseViz> {
  return page.evaluate(() => (window as unknown as { phaseViz: PhaseViz }).phaseViz);
}

export async function waitForFrames(page: Page, minRendered = 5): Promise<PhaseViz> {
  await page.waitForFunction(
    (n) => {
      const viz = (window as unknown as { phaseViz?: PhaseViz }).phaseViz;
      return viz !== undefined && viz.connected && viz.framesRendered >= n;
    },
    minRendered,
    { timeout: 30_000 },
  );
  return phaseViz(page);
}

/**
 * Screenshots the heatmap canvas and returns the RGB of the centre of each listed lattice cell,
 * read from the composited page as an operator sees it.
 */
export async function readCellColours(
  page: Page,
  lattice: { width: number; height: number },
  cells: [x: number, y: number][],
): Promise<[number, number, number][]> {
  const png = await page.getByTestId('heatmap').screenshot();
  return page.evaluate(
    async ({ dataUrl, lattice, cells }) => {
      const image = new Image();
      image.src = dataUrl;
      await image.decode();
      const canvas = document.createElement('canvas');
      canvas.width = image.naturalWidth;
      canvas.height = image.naturalHeight;
      const context = canvas.getContext('2d')!;
      context.drawImage(image, 0, 0);
      return cells.map(([x, y]) => {
        const px = Math.floor(((x + 0.5) / lattice.width) * canvas.width);
        const py = Math.floor(((y + 0.5) / lattice.height) * canvas.height);
        const d = context.getImageData(px, py, 1, 1).data;
        return [d[0]!, d[1]!, d[2]!] as [number, number, number];
      });
    },
    { dataUrl: `data:image/png;base64,${png.toString('base64')}`, lattice, cells },
  );
}
