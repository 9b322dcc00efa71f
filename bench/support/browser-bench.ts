// The browser benchmarks (bench:render, bench:render3d): a Vite server for their pages, Chromium
// to open them, and one page run whose result the page leaves on a window global.
import { existsSync } from 'node:fs';
import { chromium, type Browser } from '@playwright/test';
import { createServer, type ViteDevServer } from 'vite';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../scripts/chromium-options';
import { numberOption } from './cli';

/** What a bench page leaves on its window global: running, its result, or why it failed. */
export type BenchPageState<T> = { done: false } | { done: true; result: T } | { error: string };

/** The command-line options every browser benchmark takes, for parseArgs. */
export const BROWSER_BENCH_ARGS = {
  seconds: { type: 'string', default: '5' },
  unlimited: { type: 'boolean', default: false },
  'browser-arg': { type: 'string', multiple: true, default: [] as string[] },
  chromium: { type: 'string', default: CHROMIUM_PATH },
} as const;

/** The usage of BROWSER_BENCH_ARGS, for the usage line. */
export const BROWSER_BENCH_USAGE =
  '[--seconds S] [--unlimited] [--browser-arg ARG]... [--chromium PATH]';

/** Checks BROWSER_BENCH_ARGS' values; throws with what was wrong (optionsOrExit reports it). */
export function browserBenchOptions(values: {
  seconds: string;
  unlimited: boolean;
  'browser-arg': string[];
  chromium: string;
}): BrowserBenchOptions & { seconds: number } {
  const seconds = numberOption('seconds', values.seconds, { min: 1, max: 120 });
  if (!existsSync(values.chromium)) {
    throw new Error(
      `no Chromium at ${values.chromium}; install Debian's "chromium" or pass --chromium PATH`,
    );
  }
  return {
    seconds,
    chromium: values.chromium,
    unlimited: values.unlimited,
    browserArgs: values['browser-arg'],
  };
}

export interface BrowserBenchOptions {
  chromium: string;
  /** Turns off Chromium's frame-rate limit and vsync, to show the headroom. */
  unlimited: boolean;
  browserArgs: string[];
}

export interface BrowserBench {
  browser: Browser;
  /**
   * Opens `page` (a path under the repository root) with `query`, waits for the window global
   * `name` to hold a result and returns it with the WebGL renderer that did the work. Throws with
   * the page's error, or its uncaught errors.
   */
  run<T>(
    page: string,
    query: URLSearchParams,
    name: string,
    timeoutMs: number,
  ): Promise<{ result: T; webglRenderer: string }>;
  close(): Promise<void>;
}

export async function startBrowserBench(options: BrowserBenchOptions): Promise<BrowserBench> {
  const vite: ViteDevServer = await createServer({
    root: process.cwd(),
    logLevel: 'error',
    server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: false },
  });
  await vite.listen();
  const baseUrl = vite.resolvedUrls?.local[0];
  if (!baseUrl) {
    await vite.close();
    throw new Error('the Vite server did not report its address');
  }
  let browser: Browser;
  try {
    browser = await chromium.launch({
      executablePath: options.chromium,
      args: [
        ...CHROMIUM_ARGS,
        ...(options.unlimited ? ['--disable-frame-rate-limit', '--disable-gpu-vsync'] : []),
        ...options.browserArgs,
      ],
    });
  } catch (error) {
    await vite.close();
    throw error;
  }

  async function run<T>(
    pagePath: string,
    query: URLSearchParams,
    name: string,
    timeoutMs: number,
  ): Promise<{ result: T; webglRenderer: string }> {
    const page = await browser.newPage({ viewport: { width: 1000, height: 1000 } });
    try {
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(new URL(`${pagePath}?${query}`, baseUrl).href);
      // Done or failed: anything but the initial { done: false }.
      await page.waitForFunction(
        (key) => {
          const state = (window as unknown as Record<string, unknown>)[key];
          return typeof state === 'object' && state !== null && !('done' in state && !state.done);
        },
        name,
        { timeout: timeoutMs },
      );
      const outcome = await page.evaluate(
        (key) => (window as unknown as Record<string, unknown>)[key],
        name,
      );
      const state = outcome as BenchPageState<T>;
      if ('error' in state) throw new Error(state.error);
      if (!state.done) throw new Error('the page never finished');
      if (errors.length > 0) throw new Error(`page errors: ${errors.join('; ')}`);
      const webglRenderer = await page.evaluate(() => {
        const gl = document.createElement('canvas').getContext('webgl');
        if (!gl) return 'none';
        const info = gl.getExtension('WEBGL_debug_renderer_info');
        return String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
      });
      return { result: state.result, webglRenderer };
    } finally {
      await page.close();
    }
  }

  return {
    browser,
    run,
    async close() {
      await browser.close();
      await vite.close();
    },
  };
}
