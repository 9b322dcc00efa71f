// `npm run build:report` (and the tail of `npm run build`): what JavaScript the first screen
// downloads, gzipped, read from the built dist/. The first screen is the module script of
// index.html, its modulepreload links, the workers they start and everything those import
// statically; dynamic import() chunks (the 3-D view) are not in it. Prints JSON and exits 1 when
// three.js is in a first-screen file: the 3-D view must stay behind its lazy import.
//
//   node scripts/bundle-report.mjs [--dist DIR]
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

/** Strings only three.js's own code holds (its devtools hook and its renderer's log prefix). */
const THREE_MARKERS = ['__THREE__', 'THREE.WebGLRenderer'];

function fail(message) {
  console.error(`[bundle-report] ${message}`);
  process.exit(2);
}

function distArg(argv) {
  const i = argv.indexOf('--dist');
  if (i === -1) return 'dist';
  const value = argv[i + 1];
  if (!value) fail('--dist needs a directory');
  return value;
}

function attribute(tag, name) {
  const match = new RegExp(`\\s${name}\\s*=\\s*["']([^"']+)["']`, 'i').exec(tag);
  return match ? match[1] : null;
}

/** Paths (as written, e.g. /assets/index-x.js) of the scripts index.html loads up front. */
function htmlEntries(html) {
  const out = [];
  for (const [tag] of html.matchAll(/<script\b[^>]*>/gi)) {
    if (attribute(tag, 'type') === 'module' && attribute(tag, 'src'))
      out.push(attribute(tag, 'src'));
  }
  for (const [tag] of html.matchAll(/<link\b[^>]*>/gi)) {
    if (attribute(tag, 'rel') === 'modulepreload' && attribute(tag, 'href'))
      out.push(attribute(tag, 'href'));
  }
  return out;
}

// `import x from "./a.js"`, `import "./a.js"`, `export * from "./a.js"`, but not `import("./a.js")`.
const STATIC_IMPORT = /\b(?:import|export)\s*(?:[^'"`();]*?\bfrom\s*)?["'`]([^"'`\s]+\.m?js)["'`]/g;
// `new Worker(new URL("/assets/w.js", import.meta.url))`: started by the page as it loads.
const WORKER_URL = /new\s+(?:Shared)?Worker\(\s*new\s+URL\(\s*["'`]([^"'`\s]+\.m?js)["'`]/g;

function localPath(distDir, fromFile, specifier) {
  if (/^[a-z]+:/i.test(specifier) || specifier.startsWith('//')) return null; // another origin
  const clean = specifier.split(/[?#]/)[0];
  return clean.startsWith('/')
    ? path.join(distDir, clean)
    : path.resolve(path.dirname(fromFile), clean);
}

function gzipBytes(buffer) {
  return gzipSync(buffer, { level: 9 }).length;
}

function jsFiles(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...jsFiles(full));
    else if (/\.m?js$/.test(entry.name)) out.push(full);
  }
  return out;
}

function bundleReport(distDir) {
  const indexPath = path.join(distDir, 'index.html');
  if (!existsSync(indexPath)) fail(`${indexPath} not found: run vite build first`);
  const html = readFileSync(indexPath, 'utf8');
  const entries = htmlEntries(html);
  if (entries.length === 0) fail(`${indexPath}: no module script or modulepreload link`);

  const firstScreen = new Set();
  const queue = [];
  const enqueue = (fromFile, specifier, what) => {
    const file = localPath(distDir, fromFile, specifier);
    if (file === null || firstScreen.has(file)) return;
    if (!existsSync(file) || !statSync(file).isFile()) {
      fail(`${path.relative(distDir, fromFile) || 'index.html'}: ${what} ${specifier} not found`);
    }
    firstScreen.add(file);
    queue.push(file);
  };
  for (const entry of entries) enqueue(indexPath, entry, 'script');
  while (queue.length > 0) {
    const file = queue.shift();
    const text = readFileSync(file, 'utf8');
    for (const [, specifier] of text.matchAll(STATIC_IMPORT)) enqueue(file, specifier, 'import');
    for (const [, specifier] of text.matchAll(WORKER_URL)) enqueue(file, specifier, 'worker');
  }

  const chunks = jsFiles(distDir)
    .map((file) => {
      const buffer = readFileSync(file);
      const text = buffer.toString('utf8');
      return {
        file: path.relative(distDir, file).split(path.sep).join('/'),
        bytes: buffer.length,
        gzipBytes: gzipBytes(buffer),
        firstScreen: firstScreen.has(file),
        three: THREE_MARKERS.some((marker) => text.includes(marker)),
      };
    })
    .sort((a, b) => Number(b.firstScreen) - Number(a.firstScreen) || b.bytes - a.bytes);
  const first = chunks.filter((c) => c.firstScreen);
  return {
    firstScreenGzipBytes: first.reduce((sum, c) => sum + c.gzipBytes, 0),
    firstScreenBytes: first.reduce((sum, c) => sum + c.bytes, 0),
    firstScreenFiles: first.map((c) => c.file),
    threeInFirstScreen: first.some((c) => c.three),
    threeChunks: chunks.filter((c) => c.three).map((c) => c.file),
    chunks,
  };
}

const report = bundleReport(path.resolve(distArg(process.argv.slice(2))));
console.log(JSON.stringify(report, null, 2));
if (report.threeInFirstScreen) {
  const offenders = report.chunks.filter((c) => c.firstScreen && c.three).map((c) => c.file);
  console.error(
    `[bundle-report] three.js is in the first screen (${offenders.join(', ')}): ` +
      "load it only through the 3-D view's lazy import()",
  );
  process.exit(1);
}
