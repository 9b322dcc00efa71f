// Lint, including the layer rules of DESIGN.md section 3: each forbidden import edge says why.
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
      'import-x/no-restricted-paths': ['error', { zones: layerZones }],
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
);
