// Helpers for end-to-end tests: real server processes, trace fixtures and pixel readback.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import type { PhaseVizSnapshot } from '../src/app/frames/phase-viz';
import { tempDir } from '../src/testing/temp-dir';

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

export { tempDir };

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

/**
 * The real server with some of the detector's rules off (KAIZEN_RULES, docs/API.md), so that a
 * test's own tickets, latencies or stalls open no tickets of their own.
 */
export async function startServerWithRules(
  rules: Record<string, unknown>,
  args: { dataDir?: string } = {},
): Promise<RunningServer> {
  const dataDir = args.dataDir ?? tempDir('data');
  const file = path.join(dataDir, 'rules.json');
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, JSON.stringify(rules));
  const before = process.env.KAIZEN_RULES;
  process.env.KAIZEN_RULES = file; // read by the server process startServer spawns
  try {
    return await startServer({ dataDir });
  } finally {
    if (before === undefined) delete process.env.KAIZEN_RULES;
    else process.env.KAIZEN_RULES = before;
  }
}

/** Every rule of the detector off: the only tickets are the test's. */
export const NO_DETECTOR_RULES = {
  streamStalled: { enabled: false },
  orderParameterLow: { enabled: false },
  latencyAboveSlo: { enabled: false },
};

/** window.phaseViz (docs/ARCHITECTURE.md 4.3), the same type the app publishes. */
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

/** A decoded screenshot: RGBA bytes, row-major. */
export interface Rgba {
  width: number;
  height: number;
  data: Buffer;
  /** RGB of the pixel at (x, y). */
  at(x: number, y: number): [number, number, number];
}

/** Decodes a PNG screenshot with the browser's own decoder and hands the pixels back to the test. */
export async function decodeScreenshot(page: Page, png: Buffer): Promise<Rgba> {
  const { width, height, base64 } = await page.evaluate(
    async (dataUrl) => {
      const image = new Image();
      image.src = dataUrl;
      await image.decode();
      const canvas = document.createElement('canvas');
      canvas.width = image.naturalWidth;
      canvas.height = image.naturalHeight;
      const context = canvas.getContext('2d')!;
      context.drawImage(image, 0, 0);
      const bytes = context.getImageData(0, 0, canvas.width, canvas.height).data;
      let binary = '';
      for (let i = 0; i < bytes.length; i += 0x8000) {
        binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      }
      return { width: canvas.width, height: canvas.height, base64: btoa(binary) };
    },
    `data:image/png;base64,${png.toString('base64')}`,
  );
  const data = Buffer.from(base64, 'base64');
  return {
    width,
    height,
    data,
    at: (x, y) => {
      const o = (y * width + x) * 4;
      return [data[o]!, data[o + 1]!, data[o + 2]!];
    },
  };
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
  const image = await decodeScreenshot(page, await page.getByTestId('heatmap').screenshot());
  return cells.map(([x, y]) =>
    image.at(
      Math.floor(((x + 0.5) / lattice.width) * image.width),
      Math.floor(((y + 0.5) / lattice.height) * image.height),
    ),
  );
}

/**
 * Issues a token with the admin CLI, as an operator would (a viewer unless `role` says otherwise);
 * returns the secret.
 */
export function issueToken(
  dataDir: string,
  tenants: string,
  name = `e2e-${Date.now()}`,
  role?: 'viewer' | 'operator' | 'admin',
): string {
  const out = execFileSync(
    process.execPath,
    ['--import', 'tsx', 'src/cli/admin.ts', '--data', dataDir, 'token', 'issue'].concat(
      ['--name', name, '--tenants', tenants],
      role ? ['--role', role] : [],
    ),
    { encoding: 'utf8' },
  );
  const token = out.split(/\s+/).find((w) => /^[A-Za-z0-9_-]{40,}$/.test(w));
  if (!token) throw new Error(`no token in admin output:\n${out}`);
  return token;
}

/** Opens the app with this token already signed in (kept for the tab, as the app keeps it). */
export async function gotoSignedIn(page: Page, url: string, token: string): Promise<void> {
  await page.addInitScript((t) => sessionStorage.setItem('phase-console.token', t), token);
  await page.goto(url);
}
