// Lint, including the layer rules of docs/ARCHITECTURE.md section 2: each forbidden import edge says why.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

const layerZones = [
  {
    target: './src/core',
    from: ['./src/sim', './src/render', './src/app', './src/server', './src/cli', './shaders'],
    message: 'core is pure and isomorphic: it runs in the browser, the server and workers alike.',
  },
  {
    target: './src/sim',
    from: ['./src/render', './src/app', './src/server', './src/cli'],
    message: 'sim is a pure model of the lattice; the server and CLI drive it, not the reverse.',
  },
  {
    target: './src/render',
    from: ['./src/app', './src/server', './src/cli', './src/sim'],
    message: 'renderers are imperative objects fed typed arrays; no React, no store, no Node.',
  },
  {
    target: './src/app',
    from: ['./src/server', './src/cli', './src/sim'],
    message: 'the browser app talks to the server over HTTP and WebSocket only, never by import.',
  },
  {
    target: './src/server',
    from: ['./src/app', './src/render', './src/cli'],
    message: 'the server is Node only; it must not pull in browser code or the CLI.',
  },
  {
    target: './src/server/stream',
    from: ['./src/server/tenants'],
    message:
      'streams run sources and serve clients whoever the tenant is: tenants/ builds streams from tenant records, never the reverse.',
  },
];

// The browser app's own layers, bottom to top: a layer imports only those below it, so the store
// and the frame pipeline never depend on the UI that reads them (docs/ARCHITECTURE.md).
const appLayers = [
  {
    dir: 'state',
    reason:
      'app state is the bottom layer: the UI store, its types and pure math import no other app layer.',
  },
  {
    dir: 'url',
    reason:
      'app url reads and writes the address bar from the state alone, below the API, frames and UI.',
  },
  {
    dir: 'api',
    reason:
      'app api is the REST client and its query definitions: no frames, tickets, shell or UI.',
  },
  {
    dir: 'frames',
    reason:
      'app frames is the frame pipeline (stream, frame store, render loop): it feeds the UI, never imports it.',
  },
  {
    dir: 'tickets',
    reason:
      'app tickets is the Kaizen logic (navigation, filters, queries): the shell and the UI use it, not the reverse.',
  },
  {
    dir: 'shell',
    reason:
      'app shell builds the app context from the layers below; the embed bridge and components build on it.',
  },
  {
    dir: 'embed',
    reason:
      'app embed talks to the host page through the app context; only components and main.tsx sit above it.',
  },
  {
    dir: 'components',
    reason: 'app components render from the app context; only App.tsx and main.tsx compose them.',
  },
];
const appRoot = ['./src/app/App.tsx', './src/app/main.tsx'];
const appLayerZones = appLayers.map(({ dir, reason }, i) => ({
  target: `./src/app/${dir}`,
  from: [...appLayers.slice(i + 1).map((above) => `./src/app/${above.dir}`), ...appRoot],
  message: reason,
}));

// Test and drill scaffolding serves tests, benchmarks and drills only: imported by a product file,
// it would ship in the app's build or run inside the server. Under src/ only *.test.ts files may
// import src/testing/, and nothing under src/ imports bench/ or e2e/, so the server's and the app's
// import graphs cannot reach any of it.
const scaffoldingZone = {
  target: ['./src/!(testing)/**/!(*.test).{ts,tsx,js,mjs}', './src/!(*.test).{ts,tsx,js,mjs}'],
  from: ['./src/testing', './bench', './e2e'],
  message:
    'test and drill scaffolding stays out of the product: only *.test.ts files, bench/ and e2e/ import it.',
};

export default tseslint.config(
  { ignores: ['dist', 'node_modules', 'test-results', 'playwright-report', 'traces'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    files: ['**/*.{ts,tsx,js,mjs}'],
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    plugins: { 'import-x': importX, 'react-hooks': reactHooks },
    // The layer rule compares resolved file paths, so extensionless TypeScript imports must resolve.
    settings: { 'import-x/resolver-next': [createTypeScriptImportResolver()] },
    rules: {
      'import-x/no-restricted-paths': [
        'error',
        { zones: [...layerZones, ...appLayerZones, scaffoldingZone] },
      ],
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
);
