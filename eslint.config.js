// Lint: TypeScript rules plus the import boundaries of docs/architecture.md.
import tseslint from 'typescript-eslint';
import globals from 'globals';

const noOurs = (from, forbidden, message) => ({
  files: [`${from}/**/*.{ts,tsx}`],
  rules: {
    'no-restricted-imports': ['error', { patterns: forbidden.map((group) => ({ group: [group], message })) }],
  },
});

export default tseslint.config(
  {
    ignores: ['node_modules/', 'dist/', 'out/', 'release/', '.tools/', '.tmp/', 'test-results/', 'playwright-report/'],
  },
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' }],
    },
  },
  { files: ['*.config.{js,ts}', '**/vite.config.ts', 'eslint.config.js'], rules: { 'no-restricted-syntax': 'off' } },
  { files: ['renderer/**/*.{ts,tsx}'], languageOptions: { globals: { ...globals.browser } } },
  // shared/ is pure: nothing of ours, no node:, no electron, no DOM-only libraries.
  noOurs(
    'shared',
    [
      '**/main/**',
      '**/renderer/**',
      '../main/*',
      '../renderer/*',
      'node:*',
      'electron',
      'react',
      'react-dom',
      'node-powershell',
    ],
    'shared/ imports nothing of ours and nothing of Node, Electron or the DOM.',
  ),
  // main/ never imports renderer/.
  noOurs('main', ['**/renderer/**'], 'main/ and renderer/ never import each other; share through shared/.'),
  // renderer/ never imports main/, Node or Electron. Only renderer/src/bridge.ts reads window.dda.
  {
    ...noOurs(
      'renderer',
      ['**/main/**', 'node:*', 'electron', 'node-powershell'],
      'renderer/ never imports main/, Node or Electron; talk to the host through renderer/src/bridge.ts.',
    ),
    ignores: ['renderer/vite.config.ts'],
  },
  // Only main/electron/ may import electron; the rest of main is plain Node.
  {
    files: ['main/**/*.ts'],
    ignores: ['main/electron/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'Electron stays at the edges: only main/electron/ imports it.' }],
          patterns: [{ group: ['**/renderer/**'], message: 'main/ and renderer/ never import each other.' }],
        },
      ],
    },
  },
);
