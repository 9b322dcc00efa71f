import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

interface Report {
  firstScreenGzipBytes: number;
  firstScreenFiles: string[];
  threeInFirstScreen: boolean;
  threeChunks: string[];
  chunks: { file: string; bytes: number; gzipBytes: number; firstScreen: boolean }[];
}

const THREE_CODE = 'window.__THREE__="187";class WebGLRenderer{}';

/** A fake dist/: index.html plus assets/NAME.js for each entry of `files`. */
function fakeDist(html: string, files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'phase-bundle-'));
  mkdirSync(path.join(dir, 'assets'));
  writeFileSync(path.join(dir, 'index.html'), html);
  for (const [name, text] of Object.entries(files))
    writeFileSync(path.join(dir, 'assets', name), text);
  return dir;
}

function runReport(dist: string): { status: number | null; report: Report | null; stderr: string } {
  const run = spawnSync(process.execPath, ['scripts/bundle-report.mjs', '--dist', dist], {
    encoding: 'utf8',
  });
  return {
    status: run.status,
    report: run.stdout.trim() ? (JSON.parse(run.stdout) as Report) : null,
    stderr: run.stderr,
  };
}

const HTML =
  '<script type="module" crossorigin src="/assets/index.js"></script>' +
  '<link rel="modulepreload" crossorigin href="/assets/vendor.js">';

describe('bundle-report', () => {
  it('counts the entry, its preloads, static imports and workers, not lazy chunks', () => {
    const dist = fakeDist(HTML, {
      'index.js':
        'import{a}from"./shared.js";const w=new Worker(new URL(`/assets/worker.js`,``+import.meta.url));' +
        'const v=()=>import(`./view3d.js`);',
      'vendor.js': 'export const react=1;',
      'shared.js': 'export const a=1;',
      'worker.js': 'import"./decoder.js";',
      'decoder.js': 'export{};',
      'view3d.js': `import{a}from"./shared.js";${THREE_CODE}`,
    });
    const { status, report } = runReport(dist);
    expect(status).toBe(0);
    expect(report!.firstScreenFiles.sort()).toEqual([
      'assets/decoder.js',
      'assets/index.js',
      'assets/shared.js',
      'assets/vendor.js',
      'assets/worker.js',
    ]);
    expect(report!.threeInFirstScreen).toBe(false);
    expect(report!.threeChunks).toEqual(['assets/view3d.js']);
    const first = report!.chunks.filter((c) => c.firstScreen);
    expect(report!.firstScreenGzipBytes).toBe(first.reduce((s, c) => s + c.gzipBytes, 0));
    for (const chunk of report!.chunks) expect(chunk.gzipBytes).toBeGreaterThan(0);
  });

  const FIRST_SCREEN_THREE: { name: string; files: Record<string, string> }[] = [
    { name: 'the entry itself', files: { 'index.js': THREE_CODE, 'vendor.js': '' } },
    {
      name: 'a chunk the entry imports statically',
      files: {
        'index.js': 'import*as t from"./three.js";',
        'three.js': THREE_CODE,
        'vendor.js': '',
      },
    },
    { name: 'a modulepreload link', files: { 'index.js': '', 'vendor.js': THREE_CODE } },
  ];
  it.each(FIRST_SCREEN_THREE)('fails when three.js is in $name', ({ files }) => {
    const { status, report, stderr } = runReport(fakeDist(HTML, files));
    expect(status).toBe(1);
    expect(report!.threeInFirstScreen).toBe(true);
    expect(stderr).toContain('three.js is in the first screen');
  });

  it('says what is missing when there is no build', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'phase-bundle-'));
    const { status, stderr } = runReport(dir);
    expect(status).toBe(2);
    expect(stderr).toMatch(/\[bundle-report\] .*index\.html not found: run vite build first/);
  });

  it('names a script that index.html loads but the build lacks', () => {
    const { status, stderr } = runReport(fakeDist(HTML, { 'index.js': '' }));
    expect(status).toBe(2);
    expect(stderr).toContain('script /assets/vendor.js not found');
  });
});
