// @ts-check
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';
import globals from 'globals';

/** Node built-ins, with and without the node: prefix. */
const NODE_BUILTINS = [
  'assert', 'buffer', 'child_process', 'cluster', 'crypto', 'dgram', 'dns', 'events', 'fs', 'fs/promises', 'http', 'http2',
  'https', 'module', 'net', 'os', 'path', 'perf_hooks', 'process', 'readline', 'stream', 'timers', 'tls', 'url', 'util',
  'v8', 'vm', 'worker_threads', 'zlib',
];
const nodePatterns = [{ group: ['node:*'], message: 'Node built-ins are not available here.' }];
const nodePaths = NODE_BUILTINS.map((name) => ({ name, message: 'Node built-ins are not available here.' }));

// What every main-process file may not import. A zone below restates these with its own additions:
// in a flat config the last matching block's options replace the earlier ones for a rule.
const mainPaths = [{ name: 'electron', message: 'Services run in plain Node too (web host, CLI): Electron only in src/main/index.ts and src/main/windows.' }];
const mainPatterns = [{ group: ['**/renderer/**', '**/preload/**'], message: 'The main process does not import window code.' }];

/**
 * Zones inside the main process (docs/architecture.md): lower layers never reach up. Relative imports
 * are matched by regex on the path text, e.g. `../../market/service` from a venue folder.
 * @param {string} files @param {string} regex @param {string} message @param {boolean} [noNode] also no Node built-ins
 */
const mainZone = (files, regex, message, noNode = false) => ({
  files: [files],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        paths: [...mainPaths, ...(noNode ? nodePaths : [])],
        patterns: [...mainPatterns, ...(noNode ? nodePatterns : []), { regex, message }],
      },
    ],
  },
});

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  // Import boundaries (DESIGN.md "Layout"): where code runs decides what it may import.
  {
    files: ['src/shared/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'src/shared runs everywhere: no Electron.' },
            { name: 'react', message: 'src/shared runs everywhere: no React.' },
            { name: 'react-dom', message: 'src/shared runs everywhere: no React.' },
            ...nodePaths,
          ],
          patterns: [...nodePatterns, { group: ['**/main/**', '**/renderer/**', '**/preload/**'], message: 'src/shared imports only src/shared.' }],
        },
      ],
    },
  },
  {
    // Only the Electron shell (lifecycle and windows) may touch Electron; every service runs in plain Node.
    files: ['src/main/**/*.{ts,tsx}'],
    ignores: ['src/main/index.ts', 'src/main/windows/**'],
    rules: { 'no-restricted-imports': ['error', { paths: mainPaths, patterns: mainPatterns }] },
  },
  // The book is pure data structure: src/shared, its own files and npm packages, nothing of the process around it.
  mainZone('src/main/book/**/*.{ts,tsx}', '^\\.\\./(?!\\.\\./shared/)', 'src/main/book imports only src/shared, its own files and npm packages.', true),
  mainZone('src/main/venues/**/*.{ts,tsx}', '^(\\.\\./)+(app|publish|market)(/|$)', 'Venues are below the market service: no imports from app/, publish/ or market/.'),
  mainZone('src/main/analytics/**/*.{ts,tsx}', '^(\\.\\./)+app(/|$)', 'Analytics is a service that composition uses: no imports from app/.'),
  mainZone('src/main/store/worker/**/*.{ts,tsx}', '^(\\.\\./)+(store/)?client(/|$)', 'The store worker runs on its own thread: it shares only store/protocol.ts, types.ts and errors.ts with the client, never client/.'),
  {
    files: ['src/main/web/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The web host runs without Electron.' }],
          patterns: [{ group: ['**/windows/**', '**/renderer/**', '**/preload/**'], message: 'The web host runs without Electron.' }],
        },
      ],
    },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The renderer talks to the host only through window.orderbook.' }, ...nodePaths],
          patterns: [
            ...nodePatterns,
            { group: ['**/main/**', '**/preload/**'], message: 'The renderer imports only src/shared and its own files.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/preload/web.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The web bridge runs in a browser.' }, ...nodePaths],
          patterns: [...nodePatterns, { group: ['**/main/**', '**/renderer/**'], message: 'The web bridge imports only src/shared.' }],
        },
      ],
    },
  },
);
